"""From results and files to changes, the fix list and the fix inputs."""

from fixes import (
    FixInputs,
    fix_list_build,
    input_groups,
    inputs_missing,
    site_changes_build,
)
from tests.audit_engine.sites import page_html

ROOT = "https://bikes.example/"


def _results(pages: dict[str, list[str]], site_codes: dict[str, dict]) -> dict:
    findings = {}
    for url, codes in pages.items():
        for code in codes:
            findings.setdefault(
                code, {"code": code, "severity": "high", "title": code, "pages": []}
            )
            findings[code]["pages"].append(url)
    for code, extra in site_codes.items():
        findings[code] = {"code": code, "severity": "medium", "title": code, "url": ROOT, **extra}
    return {
        "pages": [
            {
                "url": url,
                "status": 200,
                "title": "Home" if url == ROOT else None,
                "scores": {},
                "findings": codes,
            }
            for url, codes in pages.items()
        ],
        "findings": list(findings.values()),
    }


def test_static_site_changes_edit_pages_and_create_site_files():
    files = {
        "index.html": page_html(canonical=False).encode(),
        "about.html": page_html(description=False, h1s=2).encode(),
        "robots.txt": b"User-agent: GPTBot\nDisallow: /\n",
        "README.md": b"# site\n",
    }
    results = _results(
        {
            ROOT: ["CANONICAL_MISSING"],
            ROOT + "about": ["META_DESCRIPTION_MISSING", "H1_MULTIPLE", "THIN_CONTENT"],
        },
        {
            "AI_CRAWLER_BLOCKED": {"names": ["GPTBot"]},
            "SITEMAP_MISSING": {},
            "LLMS_TXT_MISSING": {},
            "FAQ_MISSING": {},
        },
    )
    changes = site_changes_build(
        results=results, site_url=ROOT, paths=set(files), read=files.get, inputs=FixInputs()
    )
    assert sorted(changes.files) == [
        "about.html",
        "index.html",
        "llms.txt",
        "robots.txt",
        "sitemap.xml",
    ]
    assert {(f.code, f.path) for f in changes.applied} == {
        ("CANONICAL_MISSING", "index.html"),
        ("META_DESCRIPTION_MISSING", "about.html"),
        ("H1_MULTIPLE", "about.html"),
        ("AI_CRAWLER_BLOCKED", "robots.txt"),
        ("SITEMAP_MISSING", "sitemap.xml"),
        ("SITEMAP_MISSING", "robots.txt"),
        ("LLMS_TXT_MISSING", "llms.txt"),
    }
    assert changes.manual_codes == ["THIN_CONTENT", "FAQ_MISSING"]
    robots = changes.files["robots.txt"].decode()
    assert robots.startswith("User-agent: GPTBot\nDisallow: /\n\n")
    assert robots.endswith("Allow: /\n\nSitemap: https://bikes.example/sitemap.xml\n")
    llms = changes.files["llms.txt"].decode()
    assert llms.startswith("# Home\n\n> How we restore vintage bicycles.\n\n## Pages\n\n")
    assert "- [Home](https://bikes.example/): How we restore vintage bicycles." in llms


def test_pages_that_map_to_no_file_are_manual_and_site_files_still_change():
    files = {"package.json": b'{"dependencies": {"next": "15.0.0"}}', "public/logo.png": b"x"}
    results = _results({ROOT: ["TITLE_MISSING"]}, {"SITEMAP_MISSING": {}})
    changes = site_changes_build(
        results=results, site_url=ROOT, paths=set(files), read=files.get, inputs=FixInputs()
    )
    assert changes.layout.site_type == "nextjs"
    assert sorted(changes.files) == ["public/robots.txt", "public/sitemap.xml"]
    assert [(m.code, m.page_url) for m in changes.manual] == [("TITLE_MISSING", ROOT)]


def test_llms_txt_waits_for_a_site_name_when_the_crawl_found_none():
    results = _results({ROOT + "a": []}, {"LLMS_TXT_MISSING": {}})
    groups = input_groups(results=results, site_url=ROOT)
    site = next(g for g in groups if g.id == "site")
    assert site.required
    changes = site_changes_build(
        results=results, site_url=ROOT, paths=set(), read=lambda p: None, inputs=FixInputs()
    )
    assert changes.manual_codes == ["LLMS_TXT_MISSING"]
    named = FixInputs(values={"site": {"name": "Bikes", "description": "Old bikes."}})
    assert inputs_missing(groups=[site], inputs=named) == []
    changes = site_changes_build(
        results=results, site_url=ROOT, paths=set(), read=lambda p: None, inputs=named
    )
    assert changes.files["llms.txt"].startswith(b"# Bikes\n\n> Old bikes.\n")


def test_author_input_makes_author_missing_automatic_in_the_fix_list():
    results = _results({ROOT + "post": ["AUTHOR_MISSING", "THIN_CONTENT"]}, {})
    groups = input_groups(results=results, site_url=ROOT)
    assert [(g.id, g.required) for g in groups] == [("author:/post", False)]
    kinds = {i.code: i.kind for i in fix_list_build(results=results, inputs=FixInputs())}
    assert kinds == {"AUTHOR_MISSING": "manual", "THIN_CONTENT": "manual"}
    inputs = FixInputs(values={"author:/post": {"name": "Ana"}})
    items = fix_list_build(results=results, inputs=inputs)
    assert [(i.code, i.kind, i.type) for i in items] == [
        ("AUTHOR_MISSING", "automatic", "author"),
        ("THIN_CONTENT", "manual", "manual"),
    ]
