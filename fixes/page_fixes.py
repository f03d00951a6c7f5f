"""Fixes inside one HTML page, each an insertion into the file as it is.

`TITLE_MISSING`, `META_DESCRIPTION_MISSING`, `CANONICAL_MISSING` and `SCHEMA_MISSING` add an
element at the end of `<head>`; `AUTHOR_MISSING` adds `<meta name="author">` (and the author
to the JSON-LD when this fix inserts it: an existing block is never rewritten);
`H1_MULTIPLE` turns the digit of every `<h1>`/`</h1>` after the first into a 2; an empty
`<title>` gets its text inside it. A code the page no longer has (the file changed since the
audit) is left alone: the engine's own page checks decide. Inserted markup is ASCII (other
characters as references), so it reads the same whatever the file's encoding.
"""

import html
from dataclasses import dataclass, field

from audit_engine.page_checks import page_analyse
from fixes.html_edits import (
    TextEdit,
    edits_apply,
    head_insertion,
    html_decode,
    html_encode,
    tags_locate,
)
from fixes.jsonld import Organization, jsonld_items, jsonld_script
from fixes.page_text import (
    page_description,
    page_is_article,
    page_meta_description,
    page_title,
)

PAGE_CODES = (
    "TITLE_MISSING",
    "META_DESCRIPTION_MISSING",
    "CANONICAL_MISSING",
    "SCHEMA_MISSING",
    "H1_MULTIPLE",
    "AUTHOR_MISSING",
)


@dataclass(frozen=True)
class PageInputs:
    """What the user told about a page: its author and date, the organization on the home."""

    author: str | None = None
    date_published: str | None = None
    organization: Organization | None = None
    language: str | None = None


@dataclass
class PageFix:
    content: bytes
    # The edits made, as offsets into the decoded original text (`html_edits.html_decode`).
    edits: list[TextEdit] = field(default_factory=list)
    # Codes fixed by the edit, and codes of the page this package could not fix.
    applied: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)


def _ascii(text: str) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _attribute(value: str) -> str:
    return _ascii(html.escape(value, quote=True))


def _h1_renames(text: str, tags) -> list[TextEdit]:
    h1_starts = [t for t in tags if t.name == "h1" and not t.is_end]
    if len(h1_starts) < 2:
        return []
    second = h1_starts[1].start
    edits = []
    for tag in tags:
        if tag.name != "h1" or tag.start < second:
            continue
        # `<h1` or `</h1`: the digit follows the name's `h`, in whatever case it was written.
        digit = tag.start + (3 if tag.is_end else 2)
        if text[digit : digit + 1] == "1":
            edits.append(TextEdit(digit, digit + 1, "2"))
    return edits


def page_jsonld(
    *,
    url: str,
    html_content: bytes | str,
    organization: Organization | None = None,
    author: str | None = None,
    date_published: str | None = None,
    language: str | None = None,
) -> str:
    """The `<script type="application/ld+json">` block a page without structured data gets."""
    title = page_title(html_content)
    description = page_meta_description(html_content) or page_description(html_content)
    items = jsonld_items(
        url=url,
        title=title,
        description=description,
        organization=organization,
        article=page_is_article(html_content),
        author=author,
        date_published=date_published,
        language=language,
    )
    return jsonld_script(items)


def page_fix(*, content: bytes, url: str, codes: list[str], inputs: PageInputs) -> PageFix:
    """Fix the page's automatic findings among `codes`; the others are listed as manual."""
    text = html_decode(content)
    tags = tags_locate(text)
    # The file may have changed since the audit: what it no longer has wrong is left alone.
    present = set(page_analyse(url=url, html=content, charset=None, robots_header="").findings)
    wanted = {code for code in codes if code not in PAGE_CODES or code in present}
    head: list[str] = []
    edits: list[TextEdit] = []
    result = PageFix(content=content)

    if "TITLE_MISSING" in wanted:
        title = page_title(content)
        title_start = next((t for t in tags if t.name == "title" and not t.is_end), None)
        title_end = next(
            (
                t
                for t in tags
                if t.name == "title" and t.is_end and title_start and t.start >= title_start.end
            ),
            None,
        )
        if title is None:
            result.manual.append("TITLE_MISSING")
        elif title_start is not None and title_end is not None:
            # The page has an empty `<title>`: its text goes inside, in place of the blanks.
            escaped = _ascii(html.escape(title, quote=False))
            edits.append(TextEdit(title_start.end, title_end.start, escaped))
            result.applied.append("TITLE_MISSING")
        else:
            head.append(f"<title>{_ascii(html.escape(title, quote=False))}</title>")
            result.applied.append("TITLE_MISSING")
    if "META_DESCRIPTION_MISSING" in wanted:
        description = page_description(content)
        if description:
            head.append(f'<meta name="description" content="{_attribute(description)}">')
            result.applied.append("META_DESCRIPTION_MISSING")
        else:
            result.manual.append("META_DESCRIPTION_MISSING")
    if "CANONICAL_MISSING" in wanted:
        head.append(f'<link rel="canonical" href="{_attribute(url)}">')
        result.applied.append("CANONICAL_MISSING")
    if "AUTHOR_MISSING" in wanted:
        if inputs.author:
            head.append(f'<meta name="author" content="{_attribute(inputs.author)}">')
            result.applied.append("AUTHOR_MISSING")
        else:
            result.manual.append("AUTHOR_MISSING")
    if "SCHEMA_MISSING" in wanted:
        head.append(
            page_jsonld(
                url=url,
                html_content=content,
                organization=inputs.organization,
                author=inputs.author,
                date_published=inputs.date_published,
                language=inputs.language,
            )
        )
        result.applied.append("SCHEMA_MISSING")
    if "H1_MULTIPLE" in wanted:
        renames = _h1_renames(text, tags)
        if renames:
            edits.extend(renames)
            result.applied.append("H1_MULTIPLE")
        else:
            result.manual.append("H1_MULTIPLE")
    result.manual.extend(sorted(wanted - set(PAGE_CODES)))
    if head:
        edits.append(head_insertion(text, tags, head))
    if edits:
        result.content = html_encode(edits_apply(text, edits))
        result.edits = sorted(edits, key=lambda edit: edit.start)
    return result
