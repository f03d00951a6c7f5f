"""The crawl: robots.txt, sitemaps (indexes, gzip), same-site links, bounds and refusals."""

import gzip
import itertools

from audit_engine.engine import site_audit
from tests.audit_engine.sites import (
    clean_site_serve,
    html_serve,
    page_html,
    site_root,
    sitemap_xml,
)


def _audit(url, options, on_progress=lambda pages: True):
    return site_audit(url=url, options=options, on_progress=on_progress)


def _crawled(results, root):
    return sorted(page["url"].removeprefix(root.rstrip("/")) for page in results["pages"])


def test_robots_disallow_for_our_user_agent_is_obeyed(httpserver, local_options):
    robots = "User-agent: LatentGEO-Audit\nDisallow: /private\n\nUser-agent: *\nAllow: /\n"
    root = clean_site_serve(
        httpserver, robots=robots, home=page_html(links=["/private/report", "/public"])
    )
    html_serve(httpserver, "/public", page_html())
    html_serve(httpserver, "/private/report", page_html())

    results = _audit(root, local_options())

    assert _crawled(results, root) == ["/", "/public"]
    assert all(request.path != "/private/report" for request, _ in httpserver.log)


def test_sitemap_index_and_gzip_sitemaps_from_robots_are_followed(httpserver, local_options):
    root = site_root(httpserver)
    robots = f"User-agent: *\nAllow: /\nSitemap: {root}sitemaps/index.xml\n"
    clean_site_serve(httpserver, robots=robots, sitemap=False)
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{root}sitemaps/pages.xml.gz</loc></sitemap></sitemapindex>"
    )
    httpserver.expect_request("/sitemaps/index.xml").respond_with_data(
        index, content_type="application/xml"
    )
    pages = sitemap_xml([f"{root}only-in-sitemap", "https://elsewhere.example/page"])
    httpserver.expect_request("/sitemaps/pages.xml.gz").respond_with_data(
        gzip.compress(pages.encode()), content_type="application/gzip"
    )
    html_serve(httpserver, "/only-in-sitemap", page_html())

    results = _audit(root, local_options())

    assert _crawled(results, root) == ["/", "/only-in-sitemap"]
    assert "SITEMAP_MISSING" not in {f["code"] for f in results["findings"]}


def test_links_are_followed_breadth_first_on_the_same_site_only(httpserver, local_options):
    root = clean_site_serve(
        httpserver, home=page_html(links=["/a", "https://other.example/x", "/a#part"])
    )
    html_serve(httpserver, "/a", page_html(links=["/b"]))
    html_serve(httpserver, "/b", page_html(links=["/", "/a"]))

    results = _audit(root, local_options())

    assert [page["url"] for page in results["pages"]] == [root, root + "a", root + "b"]


def test_max_pages_bounds_the_crawl(httpserver, local_options):
    paths = [f"/p{i}" for i in range(10)]
    root = clean_site_serve(httpserver, home=page_html(links=paths))
    for path in paths:
        html_serve(httpserver, path, page_html())

    results = _audit(root, local_options(max_pages=3))

    assert len(results["pages"]) == 3
    assert results["crawl"]["pages_crawled"] == 3


def test_time_budget_ends_the_crawl(httpserver, local_options):
    paths = [f"/p{i}" for i in range(30)]
    root = clean_site_serve(httpserver, home=page_html(links=paths))
    for path in paths:
        html_serve(httpserver, path, page_html())
    # A clock that moves one second per reading: the budget runs out after a few fetches.
    ticks = itertools.count()

    results = _audit(root, local_options(time_budget_seconds=12, clock=lambda: float(next(ticks))))

    assert results["crawl"]["budget_exhausted"] is True
    assert 0 < len(results["pages"]) < 31
    assert "time budget" in results["summary"]


def test_progress_callback_can_stop_the_crawl(httpserver, local_options):
    paths = [f"/p{i}" for i in range(10)]
    root = clean_site_serve(httpserver, home=page_html(links=paths))
    for path in paths:
        html_serve(httpserver, path, page_html())
    seen = []

    def on_progress(pages: int) -> bool:
        seen.append(pages)
        return pages < 3

    results = _audit(root, local_options(concurrency=1), on_progress)

    assert len(results["pages"]) == 3
    assert results["crawl"]["stopped"] is True
    assert seen == [1, 2, 3]


def test_refused_redirect_and_link_become_fetch_blocked(httpserver, local_options):
    root = site_root(httpserver)
    credentials_link = root.replace("http://", "http://admin:hunter2@") + "admin"
    clean_site_serve(httpserver, home=page_html(links=["/go", credentials_link]))
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )

    results = _audit(root, local_options())

    [blocked] = [f for f in results["findings"] if f["code"] == "FETCH_BLOCKED"]
    assert blocked["severity"] == "low"
    assert sorted(blocked["pages"]) == sorted([root + "go", credentials_link])
    assert "http://169.254.169.254/latest/meta-data/" in blocked["names"]
    assert _crawled(results, root) == ["/"]


def test_page_over_the_size_limit_is_listed_with_an_error(httpserver, local_options):
    root = clean_site_serve(httpserver, home=page_html(links=["/huge"]))
    html_serve(httpserver, "/huge", "<html><body>" + "x" * (2 * 1024 * 1024 + 1) + "</body></html>")

    results = _audit(root, local_options())

    huge = next(page for page in results["pages"] if page["url"].endswith("/huge"))
    assert huge["status"] is None
    assert "byte limit" in huge["error"]


def test_start_url_redirecting_to_another_host_crawls_that_host(httpserver, local_options):
    moved = f"http://localhost:{httpserver.port}/"
    httpserver.no_handler_status_code = 404
    httpserver.expect_request(
        "/", headers={"Host": f"127.0.0.1:{httpserver.port}"}
    ).respond_with_data("", status=301, headers={"Location": moved})
    clean_site_serve(httpserver)

    results = _audit(site_root(httpserver), local_options())

    assert [page["url"] for page in results["pages"]] == [moved]
    assert results["findings"] == []


def test_no_time_budget_fetches_nothing(httpserver, local_options):
    root = clean_site_serve(httpserver)

    results = _audit(root, local_options(time_budget_seconds=0))

    assert httpserver.log == []
    assert results["pages"] == []
    assert results["crawl"]["budget_exhausted"] is True


def test_sitemap_entities_are_never_resolved(httpserver, local_options, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("topsecret")
    root = site_root(httpserver)
    clean_site_serve(httpserver, sitemap=False)
    sitemap = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{root}page-&leak;</loc></url></urlset>"
    )
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        sitemap, content_type="application/xml"
    )

    _audit(root, local_options())

    assert all("topsecret" not in request.path for request, _ in httpserver.log)
