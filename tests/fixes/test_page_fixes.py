"""Page fixes: each automatic code is fixed as the engine sees it, with the right values."""

import json

import pytest

from audit_engine.page_checks import page_analyse
from fixes import PageInputs, page_description, page_fix, page_jsonld, page_title
from fixes.jsonld import Organization
from tests.audit_engine.sites import DEFECT_PAGES, page_html

URL = "http://127.0.0.1:8000"
AUTOMATIC = {
    "TITLE_MISSING",
    "META_DESCRIPTION_MISSING",
    "CANONICAL_MISSING",
    "SCHEMA_MISSING",
    "H1_MULTIPLE",
    "AUTHOR_MISSING",
}


def _codes(html: bytes, url: str = URL + "/") -> set[str]:
    return set(page_analyse(url=url, html=html, charset=None, robots_header="").findings)


@pytest.mark.parametrize("path", sorted(DEFECT_PAGES))
def test_each_defect_page_loses_its_automatic_finding_and_keeps_the_manual_ones(path):
    code, keywords = DEFECT_PAGES[path]
    html = page_html(**keywords).encode()
    before = _codes(html, URL + path)
    fix = page_fix(
        content=html, url=URL + path, codes=sorted(before), inputs=PageInputs(author="Ana Ruiz")
    )
    after = _codes(fix.content, URL + path)
    if code in AUTOMATIC:
        assert fix.applied == [code]
        assert code not in after
    else:
        assert fix.applied == []
        assert fix.content == html
        assert after == before


def test_author_missing_without_an_author_is_left_to_a_person():
    html = page_html(**DEFECT_PAGES["/author-missing"][1]).encode()
    fix = page_fix(content=html, url=URL + "/a", codes=["AUTHOR_MISSING"], inputs=PageInputs())
    assert fix.manual == ["AUTHOR_MISSING"]
    assert fix.content == html


def test_title_comes_from_the_h1_and_an_empty_title_is_filled_in_place():
    html = b"<html><head><title> </title></head><body><h1>Frame &amp; fork</h1></body></html>"
    fix = page_fix(content=html, url=URL + "/", codes=["TITLE_MISSING"], inputs=PageInputs())
    assert fix.content == (
        b"<html><head><title>Frame &amp; fork</title></head><body><h1>Frame &amp; fork</h1>"
        b"</body></html>"
    )
    assert page_title(html) == "Frame & fork"


def test_description_is_the_first_paragraph_cut_at_a_word_within_160_characters():
    words = " ".join(f"word{i}" for i in range(60))
    html = f"<html><body><p> </p><p>{words}</p></body></html>"
    description = page_description(html)
    assert len(description) <= 160
    assert words.startswith(description)
    assert words[len(description)] == " "
    assert page_description("<p>Short and sweet.</p>") == "Short and sweet."
    assert page_description("<div>no paragraph</div>") is None


def test_jsonld_names_the_page_the_organization_and_the_article_author():
    html = b"<html><head></head><body><article><h1>Fork</h1><p>Steel forks.</p></article></body>"
    block = page_jsonld(
        url=URL + "/fork",
        html_content=html,
        organization=Organization(name="Bikes </script> Ltd"),
        author="Ana Ruiz",
        date_published="2026-01-10",
    )
    assert block.startswith('<script type="application/ld+json">')
    assert "</script>" not in block[: -len("</script>")]
    document = json.loads(block[len('<script type="application/ld+json">') : -len("</script>")])
    types = [item["@type"] for item in document["@graph"]]
    assert types == ["WebPage", "Organization", "Article"]
    assert document["@graph"][0]["name"] == "Fork"
    assert document["@graph"][0]["description"] == "Steel forks."
    assert document["@graph"][1]["name"] == "Bikes </script> Ltd"
    assert document["@graph"][2]["author"] == {"@type": "Person", "name": "Ana Ruiz"}
    assert document["@graph"][2]["datePublished"] == "2026-01-10"
    fixed = page_fix(
        content=html, url=URL + "/fork", codes=["SCHEMA_MISSING"], inputs=PageInputs()
    ).content
    assert not {"SCHEMA_MISSING", "SCHEMA_INVALID"} & _codes(fixed)


def test_every_h1_after_the_first_becomes_an_h2_whatever_its_case():
    html = b"<body><h1 id=a>One</h1><p>x</p><H1 class='b'>Two</H1><h1>Three</h1></body>"
    fix = page_fix(content=html, url=URL + "/", codes=["H1_MULTIPLE"], inputs=PageInputs())
    assert fix.content == (
        b"<body><h1 id=a>One</h1><p>x</p><H2 class='b'>Two</H2><h2>Three</h2></body>"
    )


def test_head_elements_go_on_their_own_lines_when_the_head_is_laid_out_so():
    html = b"<html>\n  <head>\n    <meta charset='utf-8'>\n  </head>\n  <body><p>Hi there.</p>"
    fix = page_fix(
        content=html,
        url=URL + "/",
        codes=["CANONICAL_MISSING", "META_DESCRIPTION_MISSING"],
        inputs=PageInputs(),
    )
    assert fix.content == (
        b"<html>\n  <head>\n    <meta charset='utf-8'>\n"
        b'    <meta name="description" content="Hi there.">\n'
        b'    <link rel="canonical" href="http://127.0.0.1:8000/">\n'
        b"  </head>\n  <body><p>Hi there.</p>"
    )


def test_a_page_without_head_gets_one_and_undecodable_bytes_survive():
    html = b"<!DOCTYPE html>\n<p>Caf\xe9 \xff and more</p>"
    fix = page_fix(content=html, url=URL + "/", codes=["CANONICAL_MISSING"], inputs=PageInputs())
    assert fix.content == (
        b'<!DOCTYPE html><head><link rel="canonical" href="http://127.0.0.1:8000/"></head>'
        b"\n<p>Caf\xe9 \xff and more</p>"
    )
    assert "CANONICAL_MISSING" not in _codes(fix.content)


def test_non_ascii_values_are_inserted_as_character_references():
    html = "<html><head></head><body><h1>Café ñandú</h1></body></html>".encode("latin-1")
    fix = page_fix(content=html, url=URL + "/", codes=["TITLE_MISSING"], inputs=PageInputs())
    assert b"<title>Caf&#233; &#241;and&#250;</title>" in fix.content
