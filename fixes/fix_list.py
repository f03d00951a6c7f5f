"""The fix list of an audit: every finding of every page, automatic or left to a person.

Built from the results alone (no page is fetched), so a value that depends on a page's HTML
is described rather than shown; the change itself is computed where the files are read.
"""

from dataclasses import dataclass

from audit_engine.findings import FINDINGS
from fixes.codes import AUTOMATIC_CODES, INPUT_CODES
from fixes.inputs import FixInputs, page_path

CHANGE_WORDS = {
    "LLMS_TXT_MISSING": "Create llms.txt listing the crawled pages",
    "AI_CRAWLER_BLOCKED": "Add an Allow: / group for the blocked AI crawlers to robots.txt",
    "SITEMAP_MISSING": "Create sitemap.xml of the crawled pages and name it in robots.txt",
    "SCHEMA_MISSING": "Insert a schema.org JSON-LD block (WebPage, Organization, Article)",
    "TITLE_MISSING": "Insert a <title> taken from the page's <h1>",
    "META_DESCRIPTION_MISSING": "Insert a meta description from the first paragraph",
    "CANONICAL_MISSING": "Insert a canonical link to the page's URL",
    "H1_MULTIPLE": "Turn every <h1> after the first into an <h2>",
    "AUTHOR_MISSING": 'Insert <meta name="author"> with the author given',
}


@dataclass(frozen=True)
class FixItem:
    type: str
    code: str
    priority: str
    value: str | None
    page_url: str
    description: str
    current_value: str | None
    impact: str
    kind: str


def _item(code: str, url: str, finding: dict, inputs: FixInputs) -> FixItem:
    spec = FINDINGS.get(code)
    automatic = code in AUTOMATIC_CODES and (
        code not in INPUT_CODES or inputs.author(page_path(url)) is not None
    )
    value = CHANGE_WORDS.get(code) if automatic else None
    if code == "CANONICAL_MISSING":
        value = f'<link rel="canonical" href="{url}">'
    names = finding.get("names") or []
    return FixItem(
        type=AUTOMATIC_CODES[code] if automatic else "manual",
        code=code,
        priority=finding.get("severity") or (spec.severity if spec else "low"),
        value=value,
        page_url=url,
        description=finding.get("recommendation") or (spec.recommendation if spec else ""),
        current_value=", ".join(names) if names else None,
        impact=f"{spec.category} score" if spec else "",
        kind="automatic" if automatic else "manual",
    )


def fix_list_build(*, results: dict, inputs: FixInputs) -> list[FixItem]:
    """One item per finding and page, automatic ones first, each as severe as its finding."""
    findings = {
        f["code"]: f for f in results.get("findings") or [] if isinstance(f, dict) and "code" in f
    }
    items: list[FixItem] = []
    seen: set[tuple[str, str]] = set()
    for page in results.get("pages") or []:
        if not isinstance(page, dict):
            continue
        for code in page.get("findings") or []:
            if (code, page["url"]) not in seen:
                seen.add((code, page["url"]))
                items.append(_item(code, page["url"], findings.get(code, {}), inputs))
    for code, finding in findings.items():
        urls = finding.get("pages") or [finding.get("url") or ""]
        if any((code, url) in seen for url in urls):
            continue
        for url in urls:
            seen.add((code, url))
            items.append(_item(code, url, finding, inputs))
    order = ("critical", "high", "medium", "low")
    items.sort(
        key=lambda i: (i.kind != "automatic", order.index(i.priority) if i.priority in order else 4)
    )
    return items
