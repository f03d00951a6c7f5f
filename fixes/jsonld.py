"""schema.org JSON-LD for a page: `WebPage`, plus `Organization` and `Article` when known.

The block is written so that it can sit inside `<script>` in any file: ASCII only (other
characters as JSON escapes) and no `<`, `>` or `&`, so no text of the page can close the
script early.
"""

import json
from dataclasses import dataclass

SCHEMA_CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class Organization:
    name: str
    url: str | None = None


def jsonld_items(
    *,
    url: str,
    title: str | None,
    description: str | None,
    organization: Organization | None = None,
    article: bool = False,
    author: str | None = None,
    date_published: str | None = None,
    language: str | None = None,
) -> list[dict]:
    """The schema.org items for one page, each with its `@type`."""
    page: dict = {"@type": "WebPage", "url": url}
    if title:
        page["name"] = title
    if description:
        page["description"] = description
    if language:
        page["inLanguage"] = language
    items = [page]
    if organization is not None:
        items.append(
            {"@type": "Organization", "name": organization.name, "url": organization.url or url}
        )
    if article and author:
        item: dict = {"@type": "Article", "author": {"@type": "Person", "name": author}}
        if title:
            item["headline"] = title
        if date_published:
            item["datePublished"] = date_published
        item["mainEntityOfPage"] = url
        items.append(item)
    return items


def jsonld_text(items: list[dict]) -> str:
    """The JSON of a JSON-LD block: one item, or an `@graph` of several."""
    if len(items) == 1:
        document = {"@context": SCHEMA_CONTEXT, **items[0]}
    else:
        document = {"@context": SCHEMA_CONTEXT, "@graph": items}
    text = json.dumps(document, ensure_ascii=True, separators=(", ", ": "))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jsonld_script(items: list[dict]) -> str:
    """The `<script type="application/ld+json">` element holding `items`."""
    return f'<script type="application/ld+json">{jsonld_text(items)}</script>'
