"""llms.txt, sitemap.xml and robots.txt edits."""

import lxml.etree
from protego import Protego

from fixes.site_files import (
    LlmsPage,
    llms_txt_build,
    robots_txt_allow,
    robots_txt_sitemap,
    sitemap_xml_build,
)

ROBOTS = (
    "# Our crawl policy\n"
    "User-agent: *\n"
    "Disallow: /admin\n"
    "\n"
    "# No AI crawlers\n"
    "User-agent: GPTBot\n"
    "User-agent: CCBot\n"
    "Disallow: /\n"
    "Disallow: /private  # never\n"
    "Sitemap: https://example.com/old.xml"
)


def test_llms_txt_follows_the_llmstxt_format():
    text = llms_txt_build(
        site_name="Vintage [bikes]",
        description="We restore\nbicycles.",
        pages=[
            LlmsPage("Home", "https://example.com/", "Restored frames"),
            LlmsPage("About us", "https://example.com/about us"),
        ],
    )
    assert text == (
        "# Vintage (bikes)\n\n"
        "> We restore bicycles.\n\n"
        "## Pages\n\n"
        "- [Home](https://example.com/): Restored frames\n"
        "- [About us](https://example.com/about%20us)\n"
    )


def test_robots_edit_lets_the_named_crawlers_in_and_keeps_every_other_line():
    edited = robots_txt_allow(text=ROBOTS, agents=["GPTBot", "CCBot"])
    assert edited.startswith(ROBOTS + "\n\n")
    assert edited.endswith("User-agent: GPTBot\nUser-agent: CCBot\nAllow: /\n")
    robots = Protego.parse(edited)
    assert robots.can_fetch("https://example.com/", "GPTBot")
    assert robots.can_fetch("https://example.com/", "CCBot")
    # Their longer rules and the other groups still hold.
    assert not robots.can_fetch("https://example.com/private", "GPTBot")
    assert not robots.can_fetch("https://example.com/admin", "Googlebot")
    assert list(robots.sitemaps) == ["https://example.com/old.xml"]


def test_robots_sitemap_line_is_appended_once():
    edited = robots_txt_sitemap(text=ROBOTS, sitemap_url="https://example.com/sitemap.xml")
    assert edited == ROBOTS + "\n\nSitemap: https://example.com/sitemap.xml\n"
    assert robots_txt_sitemap(text=edited, sitemap_url="https://example.com/sitemap.xml") == edited
    assert (
        robots_txt_sitemap(text="", sitemap_url="https://e.com/s.xml")
        == "Sitemap: https://e.com/s.xml\n"
    )


def test_sitemap_lists_each_url_once_in_a_valid_urlset():
    xml = sitemap_xml_build(urls=["https://e.com/", "https://e.com/a?x=1&y=2", "https://e.com/"])
    root = lxml.etree.fromstring(xml.encode())
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert [loc.text for loc in root.iter("{*}loc")] == [
        "https://e.com/",
        "https://e.com/a?x=1&y=2",
    ]
