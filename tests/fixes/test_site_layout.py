"""Site generators, the folder of the pages, and URL → file mapping."""

import json

import pytest

from fixes.site_layout import page_file, site_layout_detect, site_type_detect


@pytest.mark.parametrize(
    ("paths", "package", "expected"),
    [
        ({"index.html", "about.html"}, None, "static"),
        (
            {"package.json", "app/page.tsx", "public/robots.txt"},
            {"dependencies": {"next": "15"}},
            "nextjs",
        ),
        ({"next.config.mjs", "pages/index.js"}, None, "nextjs"),
        ({"astro.config.mjs", "src/pages/index.astro"}, None, "astro"),
        ({"package.json"}, {"devDependencies": {"astro": "5"}}, "astro"),
        ({"hugo.toml", "content/_index.md"}, None, "hugo"),
        ({"config.toml", "layouts/index.html"}, None, "hugo"),
        ({"_config.yml", "index.md"}, None, "jekyll"),
    ],
)
def test_site_type_is_detected_from_the_files(paths, package, expected):
    package_json = json.dumps(package).encode() if package else None
    assert site_type_detect(paths=paths, package_json=package_json) == expected


def test_the_pages_folder_is_the_one_with_the_home_page_and_most_pages():
    paths = {"README.md", "docs/index.html", "docs/about.html", "docs/guide/index.html"}
    layout = site_layout_detect(paths=paths)
    assert (layout.site_type, layout.pages_folder, layout.files_folder) == (
        "static",
        "docs",
        "docs",
    )
    paths = {"index.html", "dist/index.html", "dist/a.html", "dist/b.html"}
    assert site_layout_detect(paths=paths).pages_folder == "dist"
    assert site_layout_detect(paths={"index.html", "a.html"}).pages_folder == ""


def test_generated_sites_put_site_files_in_their_static_folder_and_map_no_page():
    layout = site_layout_detect(paths={"next.config.js", "public/favicon.ico"})
    assert (layout.files_folder, layout.pages_folder) == ("public", None)
    assert page_file(layout=layout, url="https://e.com/", paths={"public/index.html"}) is None
    assert site_layout_detect(paths={"hugo.toml"}).files_folder == "static"


def test_urls_map_to_html_files_under_the_pages_folder():
    paths = {"public/index.html", "public/about.html", "public/blog/index.html", "public/x.htm"}
    layout = site_layout_detect(paths=paths)

    def file(url):
        return page_file(layout=layout, url=url, paths=paths)

    assert file("https://e.com/") == "public/index.html"
    assert file("https://e.com/about") == "public/about.html"
    assert file("https://e.com/about.html") == "public/about.html"
    assert file("https://e.com/blog/") == "public/blog/index.html"
    assert file("https://e.com/blog") == "public/blog/index.html"
    assert file("https://e.com/x.htm") == "public/x.htm"
    assert file("https://e.com/missing") is None
    assert file("https://e.com/../secret") is None
