"""Local test sites: a clean page that passes every check, and one defect per finding code."""

import json

from pytest_httpserver import HTTPServer

FILLER = (
    "Our workshop restores vintage bicycles with original parts sourced from collectors "
    "across Europe and explains every repair step so owners can maintain them at home. "
)
ARTICLE_SCHEMA = {
    "@context": "https://schema.org",
    "@type": "Article",
    "headline": "Restoring vintage bicycles",
    "author": {"@type": "Person", "name": "Ana Ruiz"},
    "datePublished": "2026-01-10",
}


def page_html(
    *,
    title: str = "Restoring vintage bicycles",
    head_extra: str = "",
    description: bool = True,
    canonical: bool = True,
    schemas: list[str] | None = None,
    h1s: int = 1,
    headings: str = "<h2>Frame repair</h2><h3>Which paint lasts longest?</h3>",
    paragraphs: int = 7,
    body_extra: str = "",
    outbound: bool = True,
    time_element: bool = True,
    links: list[str] = (),
) -> str:
    """An HTML page passing every page check, unless a keyword removes or adds something."""
    if schemas is None:
        schemas = [json.dumps(ARTICLE_SCHEMA)]
    head = [f"<title>{title}</title>"]
    if description:
        head.append('<meta name="description" content="How we restore vintage bicycles.">')
    if canonical:
        head.append('<link rel="canonical" href="/">')
    head.extend(f'<script type="application/ld+json">{block}</script>' for block in schemas)
    head.append(head_extra)
    body = ["<main>"]
    body.extend("<h1>Restoring vintage bicycles</h1>" for _ in range(h1s))
    body.append(headings)
    # Each paragraph is about 30 words and under 400 characters.
    body.extend(f"<p>{FILLER.strip()} Part {i}.</p>" for i in range(paragraphs * 2))
    if time_element:
        body.append('<p>Published <time datetime="2026-01-10">10 January 2026</time>.</p>')
    if outbound:
        body.append('<p>Source: <a href="https://www.bikeheritage.example/">Bike Heritage</a></p>')
    body.extend(f'<a href="{link}">{link}</a>' for link in links)
    body.append('<img src="/frame.jpg" alt="A restored steel frame">')
    body.append(body_extra)
    body.append("</main>")
    return (
        f"<!DOCTYPE html><html lang='en'><head>{''.join(head)}</head>"
        f"<body>{''.join(body)}</body></html>"
    )


# Each page of the defects site and the one finding code it must produce.
DEFECT_PAGES = {
    "/h1-missing": ("H1_MISSING", {"h1s": 0}),
    "/h1-multiple": ("H1_MULTIPLE", {"h1s": 2}),
    "/hierarchy-skip": (
        "H1_HIERARCHY_SKIP",
        {"headings": "<h2>Frame repair</h2><h4>Which paint lasts longest?</h4>"},
    ),
    "/title-missing": ("TITLE_MISSING", {"title": "  "}),
    "/description-missing": ("META_DESCRIPTION_MISSING", {"description": False}),
    "/schema-missing": ("SCHEMA_MISSING", {"schemas": []}),
    "/schema-invalid": (
        "SCHEMA_INVALID",
        {"schemas": [json.dumps(ARTICLE_SCHEMA), '{"name": "no type here"}']},
    ),
    "/schema-unparsable": (
        "SCHEMA_INVALID",
        {"schemas": [json.dumps(ARTICLE_SCHEMA), '{"@type": "Thing",,,']},
    ),
    "/author-missing": (
        "AUTHOR_MISSING",
        {"schemas": [json.dumps({**ARTICLE_SCHEMA, "author": None})]},
    ),
    "/freshness-missing": (
        "CONTENT_FRESHNESS_MISSING",
        {
            "schemas": [json.dumps({**ARTICLE_SCHEMA, "datePublished": None})],
            "time_element": False,
        },
    ),
    "/citations-missing": ("AUTHORITATIVE_CITATIONS_MISSING", {"outbound": False}),
    "/long-paragraphs": (
        "LONG_PARAGRAPH",
        {"body_extra": f"<p>{FILLER * 3}</p><p>{FILLER * 4}</p>"},
    ),
    "/thin": ("THIN_CONTENT", {"paragraphs": 1}),
    "/images-without-alt": (
        "IMAGE_ALT_MISSING",
        {"body_extra": '<img src="/a.jpg"><img src="/b.jpg"><img src="/c.jpg" alt="">'},
    ),
    "/canonical-missing": ("CANONICAL_MISSING", {"canonical": False}),
    "/noindex": (
        "META_ROBOTS_NOINDEX",
        {"head_extra": '<meta name="robots" content="noindex, follow">'},
    ),
}

CLEAN_ROBOTS = "User-agent: *\nAllow: /\n"
LLMS_TXT = "# Vintage bicycles\n\n- [Restoring](/): how we restore frames\n"


def sitemap_xml(urls: list[str]) -> str:
    """A urlset sitemap listing `urls`."""
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


def site_root(server: HTTPServer) -> str:
    """The root URL of the local site, by address (the name `localhost` is refused)."""
    return f"http://127.0.0.1:{server.port}/"


def html_serve(server: HTTPServer, path: str, html: str, **kwargs) -> None:
    """Serve `html` at `path` as text/html."""
    server.expect_request(path).respond_with_data(
        html, content_type="text/html; charset=utf-8", **kwargs
    )


def clean_site_serve(
    server: HTTPServer,
    *,
    robots: str = CLEAN_ROBOTS,
    llms_txt: bool = True,
    sitemap: bool = True,
    home: str | None = None,
) -> str:
    """A site whose home page and site files pass every check; returns its root URL."""
    root = site_root(server)
    server.no_handler_status_code = 404
    server.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    if llms_txt:
        server.expect_request("/llms.txt").respond_with_data(LLMS_TXT, content_type="text/plain")
    if sitemap:
        server.expect_request("/sitemap.xml").respond_with_data(
            sitemap_xml([root]), content_type="application/xml"
        )
    html_serve(server, "/", home or page_html())
    return root
