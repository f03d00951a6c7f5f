"""What a page says about itself, read for the fixes: its H1, its first paragraph, its kind.

Reading uses lxml like the audit engine does, so a value is taken from the same element the
engine looks at; writing never goes through this tree (see `fixes.html_edits`).
"""

import re

import lxml.etree
import lxml.html

DESCRIPTION_MAX_CHARS = 160
WHITESPACE = re.compile(r"\s+")
# Punctuation left dangling where a description is cut.
TRAILING_PUNCTUATION = ",;:-([\u2013\u2014"


def html_document(html: bytes | str):
    """The lxml document of a page; an unparsable page reads as an empty one."""
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def _text(element) -> str:
    return WHITESPACE.sub(" ", element.text_content()).strip()


def page_title(html: bytes | str) -> str | None:
    """The text of the page's first `<h1>`: the title a page without one should get."""
    for heading in html_document(html).xpath("//h1"):
        text = _text(heading)
        if text:
            return text
    return None


def description_cut(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """`text` in at most `limit` characters, cut after a whole word."""
    text = WHITESPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    # One word longer than the limit is cut inside the word rather than dropped.
    cut = cut[:space] if space > 0 else text[:limit]
    return cut.rstrip(TRAILING_PUNCTUATION + " ")


def page_description(html: bytes | str) -> str | None:
    """The page's first non-empty paragraph in at most 160 characters, cut at a word."""
    for paragraph in html_document(html).xpath("//p"):
        text = _text(paragraph)
        if text:
            return description_cut(text)
    return None


def page_meta_description(html: bytes | str) -> str | None:
    """The page's own meta description, when it has one."""
    for element in html_document(html).xpath("//meta[@name]"):
        if element.get("name", "").strip().lower() == "description":
            content = WHITESPACE.sub(" ", element.get("content") or "").strip()
            if content:
                return content
    return None


def page_is_article(html: bytes | str) -> bool:
    """True for an article-like page as the engine sees one: `<article>` or og:type article."""
    document = html_document(html)
    if document.xpath("//article"):
        return True
    for element in document.xpath("//meta[@property]"):
        if element.get("property", "").strip().lower() == "og:type":
            return (element.get("content") or "").strip().lower() == "article"
    return False
