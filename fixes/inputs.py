"""Fix inputs: what a person can tell that makes a fix possible or better.

One group per fix an input would improve: the organization for the home page's JSON-LD, the
author (and publication date) of each article page, the site's name and description for
llms.txt, the site's language. A group is required only when the fix would write something
wrong without it: llms.txt needs a site name, and a crawl that found no title on the home
page gives none.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fixes.jsonld import Organization

TEXT = "text"
TEXTAREA = "textarea"
FIELD_MAX_CHARS = {"text": 300, "textarea": 2000}


@dataclass(frozen=True)
class InputField:
    key: str
    label: str
    placeholder: str
    required: bool = False
    input_type: str = TEXT


@dataclass(frozen=True)
class InputGroup:
    id: str
    issue_code: str
    page_path: str
    required: bool
    prompt: str
    fields: tuple[InputField, ...]


@dataclass(frozen=True)
class FixInputs:
    """The values a person gave, by group id then field key, read as the fixes need them."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def value(self, group_id: str, key: str) -> str | None:
        text = (self.values.get(group_id) or {}).get(key, "")
        return text.strip() or None

    @property
    def site_name(self) -> str | None:
        return self.value("site", "name")

    @property
    def site_description(self) -> str | None:
        return self.value("site", "description")

    @property
    def language(self) -> str | None:
        return self.value("language", "language")

    @property
    def organization(self) -> Organization | None:
        name = self.value("organization", "name")
        return Organization(name=name, url=self.value("organization", "url")) if name else None

    def author(self, page_path: str) -> str | None:
        return self.value(f"author:{page_path}", "name")

    def date_published(self, page_path: str) -> str | None:
        return self.value(f"author:{page_path}", "date_published")


def page_path(url: str) -> str:
    """The path of a page URL as fix inputs name it (`/` for the home page)."""
    return urlsplit(url).path or "/"


def _codes_by_page(results: dict) -> dict[str, set[str]]:
    pages: dict[str, set[str]] = {}
    for page in results.get("pages") or []:
        if isinstance(page, dict) and page.get("url"):
            pages.setdefault(page["url"], set()).update(page.get("findings") or [])
    return pages


def _home(results: dict, site_url: str) -> dict | None:
    for page in results.get("pages") or []:
        if isinstance(page, dict) and page_path(page.get("url", "")) == "/":
            return page
    return None


def input_groups(*, results: dict, site_url: str) -> list[InputGroup]:
    """Every group of inputs that would make a fix of these results possible or better."""
    codes = {f.get("code") for f in results.get("findings") or [] if isinstance(f, dict)}
    by_page = _codes_by_page(results)
    home = _home(results, site_url)
    groups = []
    if home is not None and "SCHEMA_MISSING" in (home.get("findings") or []):
        groups.append(
            InputGroup(
                id="organization",
                issue_code="SCHEMA_MISSING",
                page_path="/",
                required=False,
                prompt="Who publishes the site? The home page's structured data names them.",
                fields=(
                    InputField("name", "Organization name", "Vintage Bicycles Ltd"),
                    InputField("url", "Organization website", "https://example.com/"),
                ),
            )
        )
    for url, page_codes in by_page.items():
        if "AUTHOR_MISSING" in page_codes:
            path = page_path(url)
            groups.append(
                InputGroup(
                    id=f"author:{path}",
                    issue_code="AUTHOR_MISSING",
                    page_path=path,
                    required=False,
                    prompt=f"Who wrote {path}? The page and its structured data will name them.",
                    fields=(
                        InputField("name", "Author", "Ana Ruiz"),
                        InputField("date_published", "Published on (YYYY-MM-DD)", "2026-01-10"),
                    ),
                )
            )
    if "LLMS_TXT_MISSING" in codes:
        name_known = bool(home and home.get("title"))
        groups.append(
            InputGroup(
                id="site",
                issue_code="LLMS_TXT_MISSING",
                page_path="/",
                required=not name_known,
                prompt="How should language models introduce the site in llms.txt?",
                fields=(
                    InputField("name", "Site name", "Vintage Bicycles", required=not name_known),
                    InputField(
                        "description",
                        "One or two sentences on what the site offers",
                        "We restore vintage bicycles and explain every repair.",
                        input_type=TEXTAREA,
                    ),
                ),
            )
        )
    if "SCHEMA_MISSING" in codes:
        groups.append(
            InputGroup(
                id="language",
                issue_code="SCHEMA_MISSING",
                page_path="/",
                required=False,
                prompt="In which language are the pages written? (a BCP 47 tag such as en or es)",
                fields=(InputField("language", "Language", "en"),),
            )
        )
    return groups


def inputs_missing(*, groups: list[InputGroup], inputs: FixInputs) -> list[InputGroup]:
    """The groups still lacking a value in a required field, or lacking any value at all."""
    missing = []
    for group in groups:
        given = {f.key for f in group.fields if inputs.value(group.id, f.key)}
        if any(f.required and f.key not in given for f in group.fields) or not given:
            missing.append(group)
    return missing
