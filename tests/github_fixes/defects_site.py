"""A small static site with known defects, as files of a repository.

Automatic findings: TITLE_MISSING, META_DESCRIPTION_MISSING, CANONICAL_MISSING,
SCHEMA_MISSING, H1_MULTIPLE, AUTHOR_MISSING (with the author as a fix input),
AI_CRAWLER_BLOCKED, SITEMAP_MISSING, LLMS_TXT_MISSING. Manual ones: THIN_CONTENT,
IMAGE_ALT_MISSING, LONG_PARAGRAPH, H1_HIERARCHY_SKIP, CONTENT_FRESHNESS_MISSING.
"""

import json

from tests.audit_engine.sites import ARTICLE_SCHEMA, FILLER, page_html

ROBOTS = (
    "# Crawl rules of the bicycle workshop\n"
    "User-agent: *\n"
    "Disallow: /private/\n"
    "\n"
    "# We used to keep AI crawlers out\n"
    "User-agent: GPTBot\n"
    "User-agent: CCBot\n"
    "Disallow: /\n"
)
NAV = ["/about", "/blog/restoring-frames/", "/contact", "/workshop"]


def _lines(html: str) -> str:
    # One tag a line, as hand-written sites are laid out, so a diff shows single lines.
    return html.replace("><", ">\n<") + "\n"


def defects_site_files(pages: int = 5) -> dict[str, str]:
    """The site's files; `pages` above 5 adds plain pages `/page-N` linked from the home."""
    extra = [f"/page-{n}" for n in range(1, max(0, pages - 5) + 1)]
    files = {
        "README.md": "# The workshop's site\n\nPlain HTML, served as is.\n",
        "robots.txt": ROBOTS,
        "index.html": _lines(
            page_html(
                title="Vintage bicycle workshop",
                description=False,
                canonical=False,
                schemas=[],
                links=NAV + extra,
            )
        ),
        "about.html": _lines(page_html(title=" ", h1s=2, paragraphs=1, links=["/"])),
        "blog/restoring-frames/index.html": _lines(
            page_html(
                schemas=[json.dumps({**ARTICLE_SCHEMA, "author": None, "datePublished": None})],
                time_element=False,
                body_extra="<article><p>Notes from the bench.</p></article>",
            )
        ),
        "contact.html": _lines(
            page_html(
                body_extra=f'<img src="/map.png"><p>{FILLER * 4}</p>',
                headings="<h2>Find us</h2><h4>Opening hours</h4>",
            )
        ),
        "workshop.html": _lines(page_html(canonical=False, description=False)),
    }
    for path in extra:
        files[f"{path.lstrip('/')}.html"] = _lines(page_html(canonical=False, schemas=[]))
    return files
