"""Every finding code against a local site with one known defect per page."""

import pytest

from audit_engine.engine import site_audit
from tests.audit_engine.sites import (
    DEFECT_PAGES,
    clean_site_serve,
    html_serve,
    page_html,
    site_root,
)


def _audit(url, options):
    return site_audit(url=url, options=options, on_progress=lambda pages: True)


def _page(results, url):
    return next(page for page in results["pages"] if page["url"] == url)


def test_clean_site_has_no_findings_and_full_scores(httpserver, local_options):
    root = clean_site_serve(httpserver)

    results = _audit(root, local_options())

    assert results["findings"] == []
    assert results["pages"] == [
        {
            "url": root,
            "status": 200,
            "title": "Restoring vintage bicycles",
            "scores": {"structure": 100, "schema": 100, "eeat": 100, "content": 100},
            "findings": [],
        }
    ]
    assert results["scores"] == {
        "structure": 100,
        "schema": 100,
        "eeat": 100,
        "content": 100,
        "ai_access": 100,
        "overall": 100,
    }


@pytest.fixture
def defects_site(httpserver):
    root = clean_site_serve(httpserver, home=page_html(links=list(DEFECT_PAGES)))
    for path, (_code, defect) in DEFECT_PAGES.items():
        html_serve(httpserver, path, page_html(**defect))
    return root


def test_each_defect_page_has_exactly_its_finding(defects_site, local_options):
    results = _audit(defects_site, local_options())

    assert _page(results, defects_site)["findings"] == []
    for path, (code, _defect) in DEFECT_PAGES.items():
        assert _page(results, defects_site.rstrip("/") + path)["findings"] == [code], path
    assert {finding["code"] for finding in results["findings"]} == {
        code for code, _defect in DEFECT_PAGES.values()
    }


def test_findings_of_one_code_are_grouped_with_their_pages(defects_site, local_options):
    results = _audit(defects_site, local_options())

    schema_invalid = [f for f in results["findings"] if f["code"] == "SCHEMA_INVALID"]
    assert len(schema_invalid) == 1
    assert schema_invalid[0]["severity"] == "high"
    assert schema_invalid[0]["page_count"] == 2
    assert sorted(schema_invalid[0]["pages"]) == [
        defects_site + "schema-invalid",
        defects_site + "schema-unparsable",
    ]


def test_counted_findings_say_how_many(defects_site, local_options):
    results = _audit(defects_site, local_options())
    by_code = {finding["code"]: finding for finding in results["findings"]}

    assert by_code["IMAGE_ALT_MISSING"]["count"] == 2
    assert by_code["LONG_PARAGRAPH"]["count"] == 2
    assert by_code["IMAGE_ALT_MISSING"]["url"] == defects_site + "images-without-alt"


def test_findings_lower_their_category_scores(defects_site, local_options):
    results = _audit(defects_site, local_options())

    assert _page(results, defects_site + "h1-missing")["scores"]["structure"] == 70
    assert _page(results, defects_site + "schema-missing")["scores"]["schema"] == 70
    assert _page(results, defects_site + "thin")["scores"] == {
        "structure": 100,
        "schema": 100,
        "eeat": 100,
        "content": 90,
    }
    assert results["scores"]["overall"] < 100


def test_noindex_header_is_a_noindex_finding(httpserver, local_options):
    root = clean_site_serve(httpserver, home=page_html(links=["/header-noindex"]))
    html_serve(httpserver, "/header-noindex", page_html(), headers={"X-Robots-Tag": "noindex"})

    results = _audit(root, local_options())

    assert _page(results, root + "header-noindex")["findings"] == ["META_ROBOTS_NOINDEX"]


def test_site_without_question_headings_or_faq_schema_has_faq_missing(httpserver, local_options):
    root = clean_site_serve(httpserver, home=page_html(headings="<h2>Frame repair</h2>"))

    results = _audit(root, local_options())

    assert [f["code"] for f in results["findings"]] == ["FAQ_MISSING"]
    assert _page(results, root)["findings"] == []


def test_faq_schema_counts_as_faq_content(httpserver, local_options):
    faq = '{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": []}'
    home = page_html(headings="<h2>Frame repair</h2>", links=["/faq"])
    root = clean_site_serve(httpserver, home=home)
    html_serve(httpserver, "/faq", page_html(headings="<h2>Answers</h2>", schemas=[faq]))

    results = _audit(root, local_options())

    assert results["findings"] == []


def test_site_without_llms_txt_has_llms_txt_missing(httpserver, local_options):
    root = clean_site_serve(httpserver, llms_txt=False)

    results = _audit(root, local_options())

    assert [(f["code"], f["url"]) for f in results["findings"]] == [
        ("LLMS_TXT_MISSING", root + "llms.txt")
    ]
    assert results["scores"]["ai_access"] == 90


def test_site_without_sitemap_has_sitemap_missing(httpserver, local_options):
    root = clean_site_serve(httpserver, sitemap=False)

    results = _audit(root, local_options())

    assert [f["code"] for f in results["findings"]] == ["SITEMAP_MISSING"]


def test_robots_disallowing_ai_crawlers_names_them(httpserver, local_options):
    robots = (
        "User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nDisallow: /\n\n"
        "User-agent: ClaudeBot\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n"
    )
    root = clean_site_serve(httpserver, robots=robots)

    results = _audit(root, local_options())

    [finding] = results["findings"]
    assert finding["code"] == "AI_CRAWLER_BLOCKED"
    assert finding["severity"] == "critical"
    assert finding["names"] == ["GPTBot", "CCBot"]
    assert "GPTBot" in finding["description"]


def test_page_with_an_error_status_is_listed_without_checks(httpserver, local_options):
    root = clean_site_serve(httpserver, home=page_html(links=["/gone"]))
    html_serve(httpserver, "/gone", "<html><body>Gone</body></html>", status=410)

    results = _audit(root, local_options())

    gone = _page(results, root + "gone")
    assert gone["status"] == 410
    assert gone["scores"] is None
    assert results["findings"] == []


def test_missing_start_page_is_listed_with_its_status_and_no_page_findings(
    httpserver, local_options
):
    httpserver.no_handler_status_code = 404
    root = site_root(httpserver)

    results = _audit(root, local_options())

    assert [page["status"] for page in results["pages"]] == [404]
    assert {f["code"] for f in results["findings"]} == {"LLMS_TXT_MISSING", "SITEMAP_MISSING"}


def test_a_body_holding_only_a_comment_is_thin_content_not_a_crash():
    from audit_engine.page_checks import page_analyse

    analysis = page_analyse(
        url="http://127.0.0.1/", html=b"<body><!-- soon --></body>", charset=None, robots_header=""
    )
    assert "THIN_CONTENT" in analysis.findings
