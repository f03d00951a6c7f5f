"""The checks of one HTML page: headings, metadata, structured data, E-E-A-T and content."""

import copy
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from extruct.jsonld import JsonLdExtractor

LONG_PARAGRAPH_CHARS = 400
THIN_CONTENT_WORDS = 300
ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "TechArticle", "ScholarlyArticle", "Report"}
)
DATE_PROPERTIES = ("datePublished", "dateModified")
DATE_META = ("article:published_time", "article:modified_time", "og:updated_time")
# Markup that is not the page's own text.
NON_CONTENT_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
WHITESPACE = re.compile(r"\s+")
TOKEN_SEPARATOR = re.compile(r"[,\s]+")


@dataclass
class PageAnalysis:
    title: str | None
    # Finding code -> occurrences on the page (1 for yes/no checks).
    findings: dict[str, int] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    has_faq: bool = False


def _text(element) -> str:
    return WHITESPACE.sub(" ", element.text_content()).strip()


def _schema_items(document) -> tuple[list[dict], int, int]:
    """JSON-LD items of the page, the number of blocks, and the number of invalid blocks."""
    extractor = JsonLdExtractor()
    blocks = document.xpath('//script[@type="application/ld+json"]')
    items, invalid = [], 0
    for block in blocks:
        try:
            # The extractor searches descendant-or-self, so one block is parsed on its own.
            block_items = extractor.extract_items(block)
        except ValueError:
            invalid += 1
            continue
        flat = []
        for item in block_items:
            graph = item.get("@graph") if isinstance(item, dict) else None
            flat.extend(graph if isinstance(graph, list) else [item])
        if not flat or any(not isinstance(i, dict) or not i.get("@type") for i in flat):
            invalid += 1
        items.extend(i for i in flat if isinstance(i, dict))
    return items, len(blocks), invalid


def _types(item: dict) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _meta(document, attribute: str, name: str) -> str:
    for element in document.xpath(f"//meta[@{attribute}]"):
        if element.get(attribute, "").strip().lower() == name:
            content = (element.get("content") or "").strip()
            if content:
                return content
    return ""


def _rel_links(document, rel: str) -> list:
    return [
        element
        for element in document.xpath("//link[@rel] | //a[@rel]")
        if rel in element.get("rel", "").lower().split()
    ]


def _same_site(a: str, b: str) -> bool:
    return (urlsplit(a).hostname or "").removeprefix("www.") == (
        urlsplit(b).hostname or ""
    ).removeprefix("www.")


def _main_text_words(document) -> int:
    roots = document.xpath("//main") or document.xpath("//article") or document.xpath("//body")
    if not roots:
        return 0
    # A copy to strip; a serialise-and-parse round trip would hand back a bare comment for a
    # body that holds only one.
    root = copy.deepcopy(roots[0])
    lxml.etree.strip_elements(root, *NON_CONTENT_TAGS, lxml.etree.Comment, with_tail=False)
    return len(root.text_content().split())


def _heading_skips(document) -> int:
    skips, previous = 0, None
    for heading in document.iter(*HEADING_TAGS):
        level = int(heading.tag[1])
        if previous is not None and level > previous + 1:
            skips += 1
        previous = level
    return skips


def page_analyse(*, url: str, html: bytes, charset: str | None, robots_header: str) -> PageAnalysis:
    """Run every page check on one HTML document fetched from `url`."""
    parser = lxml.html.HTMLParser(encoding=charset) if charset else None
    try:
        document = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError, LookupError):
        document = lxml.html.document_fromstring("<html><body></body></html>")
    findings: dict[str, int] = {}

    def flag(code: str, count: int = 1) -> None:
        if count:
            findings[code] = count

    title_elements = document.xpath("//title")
    title = _text(title_elements[0]) if title_elements else ""
    flag("TITLE_MISSING", 0 if title else 1)

    h1_count = len(document.xpath("//h1"))
    flag("H1_MISSING", 1 if h1_count == 0 else 0)
    flag("H1_MULTIPLE", 1 if h1_count > 1 else 0)
    flag("H1_HIERARCHY_SKIP", 1 if _heading_skips(document) else 0)
    flag("META_DESCRIPTION_MISSING", 0 if _meta(document, "name", "description") else 1)
    canonical = [e for e in _rel_links(document, "canonical") if (e.get("href") or "").strip()]
    flag("CANONICAL_MISSING", 0 if canonical else 1)
    robots = set(
        TOKEN_SEPARATOR.split(f"{_meta(document, 'name', 'robots')},{robots_header}".lower())
    )
    flag("META_ROBOTS_NOINDEX", 1 if robots & {"noindex", "none"} else 0)
    flag("IMAGE_ALT_MISSING", len(document.xpath("//img[not(@alt)]")))

    items, blocks, invalid = _schema_items(document)
    flag("SCHEMA_MISSING", 1 if blocks == 0 else 0)
    flag("SCHEMA_INVALID", 1 if invalid else 0)
    types = set().union(*(_types(item) for item in items)) if items else set()

    articles = [item for item in items if _types(item) & ARTICLE_TYPES]
    article_like = (
        bool(articles)
        or bool(document.xpath("//article"))
        or _meta(document, "property", "og:type").lower() == "article"
    )
    author_named = (
        any(item.get("author") for item in articles)
        or bool(_meta(document, "name", "author"))
        or bool(_rel_links(document, "author"))
        or bool(document.xpath("//*[@itemprop='author']"))
    )
    flag("AUTHOR_MISSING", 1 if article_like and not author_named else 0)

    dated = (
        any(item.get(prop) for item in items for prop in DATE_PROPERTIES)
        or any(_meta(document, "property", name) for name in DATE_META)
        or bool(document.xpath("//time[normalize-space(@datetime)]"))
    )
    flag("CONTENT_FRESHNESS_MISSING", 0 if dated else 1)

    links = []
    for anchor in document.xpath("//a[@href]"):
        href = anchor.get("href", "").strip()
        if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            links.append(urljoin(url, href).split("#", 1)[0])
    web_links = [link for link in links if urlsplit(link).scheme in ("http", "https")]
    outbound = any(not _same_site(link, url) for link in web_links)
    flag("AUTHORITATIVE_CITATIONS_MISSING", 0 if outbound else 1)

    long_paragraphs = sum(1 for p in document.xpath("//p") if len(_text(p)) > LONG_PARAGRAPH_CHARS)
    flag("LONG_PARAGRAPH", long_paragraphs)
    flag("THIN_CONTENT", 1 if _main_text_words(document) < THIN_CONTENT_WORDS else 0)

    question_heading = any(_text(h).endswith("?") for h in document.iter(*HEADING_TAGS))
    return PageAnalysis(
        title=title or None,
        findings=findings,
        links=web_links,
        has_faq=question_heading or "FAQPage" in types,
    )
