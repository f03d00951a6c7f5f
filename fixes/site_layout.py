"""Where a site lives in a repository: its generator, the folder of its pages, URL → file.

A static site's pages are files under one folder (the root, `public/`, `dist/`, `docs/`,
`_site/`...): the candidate holding `index.html` with the most HTML files wins. A site built
by a generator (Next.js, Astro, Hugo, Jekyll) has its pages in templates, so page edits are
left to a person, and its site files (robots.txt, llms.txt, sitemap.xml) go to the folder the
generator copies as is.
"""

import json
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SITE_TYPES = ("static", "nextjs", "astro", "hugo", "jekyll")
PAGE_FOLDERS = ("", "public", "dist", "docs", "_site", "build", "out", "site")
# The folder each generator copies to the site's root untouched.
STATIC_FOLDERS = {"nextjs": "public", "astro": "public", "hugo": "static", "jekyll": ""}
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")


@dataclass(frozen=True)
class SiteLayout:
    site_type: str
    # The folder (no trailing slash, "" for the root) where site files such as robots.txt go.
    files_folder: str
    # The folder of the HTML pages, or None when pages are not files of the repository.
    pages_folder: str | None


def _package_dependencies(package_json: bytes | None) -> set[str]:
    if not package_json:
        return set()
    try:
        package = json.loads(package_json)
    except (ValueError, UnicodeDecodeError):
        return set()
    if not isinstance(package, dict):
        return set()
    names: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        section = package.get(key)
        if isinstance(section, dict):
            names.update(section)
    return names


def site_type_detect(*, paths: set[str], package_json: bytes | None = None) -> str:
    """static, nextjs, astro, hugo or jekyll, from the repository's files at its root."""
    top = {path for path in paths if "/" not in path}
    dependencies = _package_dependencies(package_json)
    if any(p.startswith("next.config.") for p in top) or "next" in dependencies:
        return "nextjs"
    if any(p.startswith("astro.config.") for p in top) or "astro" in dependencies:
        return "astro"
    if any(p in top for p in HUGO_CONFIGS) or (
        "config.toml" in top and any(p.startswith(("content/", "layouts/")) for p in paths)
    ):
        return "hugo"
    if "_config.yml" in top or "_config.yaml" in top:
        return "jekyll"
    return "static"


def _html_count(paths: set[str], folder: str) -> int:
    if folder:
        inside = [p for p in paths if p.startswith(f"{folder}/")]
    else:
        # The root's own pages: not those of another candidate folder.
        others = tuple(f"{other}/" for other in PAGE_FOLDERS if other)
        inside = [p for p in paths if not p.startswith(others)]
    return sum(1 for p in inside if p.endswith((".html", ".htm")))


def site_layout_detect(*, paths: set[str], package_json: bytes | None = None) -> SiteLayout:
    """The site's generator, its site-files folder and its pages folder."""
    site_type = site_type_detect(paths=paths, package_json=package_json)
    if site_type != "static":
        return SiteLayout(site_type, STATIC_FOLDERS[site_type], None)
    candidates = [
        folder
        for folder in PAGE_FOLDERS
        if (f"{folder}/index.html" if folder else "index.html") in paths
    ]
    if not candidates:
        # No home page among the files: the site is built elsewhere; site files go where a
        # static host would serve them from.
        folder = "public" if any(p.startswith("public/") for p in paths) else ""
        return SiteLayout(site_type, folder, None)
    # Order of PAGE_FOLDERS breaks ties (max keeps the first).
    best = max(candidates, key=lambda folder: _html_count(paths, folder))
    return SiteLayout(site_type, best, best)


def folder_path(folder: str, name: str) -> str:
    """`name` inside `folder` ("" is the root)."""
    return f"{folder}/{name}" if folder else name


def page_file(*, layout: SiteLayout, url: str, paths: set[str]) -> str | None:
    """The repository file that serves `url`, or None when no file does."""
    if layout.pages_folder is None:
        return None
    path = unquote(urlsplit(url).path) or "/"
    relative = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    if relative.startswith(".."):
        return None
    if relative in ("", "."):
        candidates = ["index.html"]
    elif path.endswith("/"):
        candidates = [f"{relative}/index.html"]
    elif relative.endswith((".html", ".htm")):
        candidates = [relative]
    else:
        candidates = [f"{relative}.html", f"{relative}/index.html", relative]
    for candidate in candidates:
        full = folder_path(layout.pages_folder, candidate)
        if full in paths and full.endswith((".html", ".htm")):
            return full
    return None
