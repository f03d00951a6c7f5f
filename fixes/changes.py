"""From an audit's results, the repository's files and the fix inputs to file changes.

The results give the findings per page (`pages[].findings`) and per site (`findings`); the
files are read through a callable, so the same code serves a git repository, a folder or a
CMS export. Every finding either becomes a change to a file or is listed for a person.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fixes.codes import AUTOMATIC_CODES, SITE_CODES
from fixes.inputs import FixInputs, page_path
from fixes.page_fixes import PageInputs, page_fix
from fixes.page_text import page_description, page_meta_description, page_title
from fixes.site_files import (
    LlmsPage,
    llms_txt_build,
    robots_txt_allow,
    robots_txt_sitemap,
    sitemap_xml_build,
)
from fixes.site_layout import SiteLayout, folder_path, page_file, site_layout_detect


@dataclass(frozen=True)
class AppliedFix:
    code: str
    path: str
    page_url: str


@dataclass(frozen=True)
class ManualFix:
    code: str
    page_url: str
    title: str


@dataclass
class ChangeSet:
    layout: SiteLayout
    # Path -> the file's new bytes, for every file created or edited.
    files: dict[str, bytes] = field(default_factory=dict)
    applied: list[AppliedFix] = field(default_factory=list)
    manual: list[ManualFix] = field(default_factory=list)

    @property
    def manual_codes(self) -> list[str]:
        return list(dict.fromkeys(fix.code for fix in self.manual))


def site_root_url(site_url: str) -> str:
    """The root URL (`scheme://host[:port]/`) of the audited site."""
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}/"


def _finding_titles(results: dict) -> dict[str, str]:
    return {
        f["code"]: f.get("title") or f["code"]
        for f in results.get("findings") or []
        if isinstance(f, dict) and f.get("code")
    }


def _audited_pages(results: dict) -> list[dict]:
    return [
        page
        for page in results.get("pages") or []
        if isinstance(page, dict) and page.get("url") and page.get("scores") is not None
    ]


def site_files_read_by_changes(
    *, results: dict, paths: set[str], package_json: bytes | None
) -> set[str]:
    """The files `site_changes_build` may read, so a caller can fetch them ahead, together."""
    layout = site_layout_detect(paths=paths, package_json=package_json)
    wanted = {
        path
        for page in _audited_pages(results)
        if (path := page_file(layout=layout, url=page["url"], paths=paths)) is not None
    }
    wanted.add(folder_path(layout.files_folder, "robots.txt"))
    return wanted & paths


def site_changes_build(
    *,
    results: dict,
    site_url: str,
    paths: set[str],
    read: Callable[[str], bytes | None],
    inputs: FixInputs,
) -> ChangeSet:
    """The file changes that fix the automatic findings, and the findings left to a person."""
    package_json = read("package.json") if "package.json" in paths else None
    layout = site_layout_detect(paths=paths, package_json=package_json)
    changes = ChangeSet(layout=layout)
    titles = _finding_titles(results)
    originals: dict[str, bytes] = {}

    def current(path: str) -> bytes | None:
        if path in changes.files:
            return changes.files[path]
        if path not in originals and path in paths:
            originals[path] = read(path) or b""
        return originals.get(path)

    def manual(code: str, url: str) -> None:
        changes.manual.append(ManualFix(code, url, titles.get(code, code)))

    for page in _audited_pages(results):
        url = page["url"]
        codes = list(page.get("findings") or [])
        if not codes:
            continue
        path = page_file(layout=layout, url=url, paths=paths)
        if path is None:
            for code in codes:
                manual(code, url)
            continue
        home = page_path(url) == "/"
        fix = page_fix(
            content=current(path) or b"",
            url=url,
            codes=codes,
            inputs=PageInputs(
                author=inputs.author(page_path(url)),
                date_published=inputs.date_published(page_path(url)),
                organization=inputs.organization if home else None,
                language=inputs.language,
            ),
        )
        if fix.applied:
            changes.files[path] = fix.content
        changes.applied.extend(AppliedFix(code, path, url) for code in fix.applied)
        for code in fix.manual:
            manual(code, url)

    root = site_root_url(site_url)
    site_findings = {
        f["code"]: f
        for f in results.get("findings") or []
        if isinstance(f, dict) and f.get("code") in SITE_CODES
    }
    robots_path = folder_path(layout.files_folder, "robots.txt")
    blocked = site_findings.get("AI_CRAWLER_BLOCKED")
    if blocked is not None:
        robots = current(robots_path)
        if robots is None:
            # The robots.txt that blocks them is made elsewhere (a framework route, the host).
            manual("AI_CRAWLER_BLOCKED", root)
        else:
            text = robots.decode("utf-8", errors="surrogateescape")
            edited = robots_txt_allow(text=text, agents=list(blocked.get("names") or []))
            changes.files[robots_path] = edited.encode("utf-8", errors="surrogateescape")
            changes.applied.append(AppliedFix("AI_CRAWLER_BLOCKED", robots_path, root))
    if "SITEMAP_MISSING" in site_findings:
        sitemap_path = folder_path(layout.files_folder, "sitemap.xml")
        if sitemap_path in paths:
            manual("SITEMAP_MISSING", root)
        else:
            urls = [page["url"] for page in _audited_pages(results)]
            changes.files[sitemap_path] = sitemap_xml_build(urls=urls).encode()
            robots = (current(robots_path) or b"").decode("utf-8", errors="surrogateescape")
            edited = robots_txt_sitemap(text=robots, sitemap_url=f"{root}sitemap.xml")
            changes.files[robots_path] = edited.encode("utf-8", errors="surrogateescape")
            changes.applied.append(AppliedFix("SITEMAP_MISSING", sitemap_path, root))
            changes.applied.append(AppliedFix("SITEMAP_MISSING", robots_path, root))
    if "LLMS_TXT_MISSING" in site_findings:
        llms_path = folder_path(layout.files_folder, "llms.txt")
        llms = _llms_txt(results, root, layout, paths, current, inputs)
        if llms_path in paths or llms is None:
            manual("LLMS_TXT_MISSING", root)
        else:
            changes.files[llms_path] = llms.encode()
            changes.applied.append(AppliedFix("LLMS_TXT_MISSING", llms_path, root))

    for finding in results.get("findings") or []:
        code = finding.get("code") if isinstance(finding, dict) else None
        if code and code not in AUTOMATIC_CODES:
            for url in finding.get("pages") or [finding.get("url") or root]:
                if not any(m.code == code and m.page_url == url for m in changes.manual):
                    manual(code, url)
    return changes


def _llms_txt(results, root, layout, paths, current, inputs: FixInputs) -> str | None:
    pages, home_html = [], None
    for page in _audited_pages(results):
        path = page_file(layout=layout, url=page["url"], paths=paths)
        content = current(path) if path else None
        if page_path(page["url"]) == "/":
            home_html = content
        title = page.get("title") or (page_title(content) if content else None)
        description = (
            (page_meta_description(content) or page_description(content)) if content else None
        )
        pages.append(LlmsPage(title or page_path(page["url"]), page["url"], description))
    home = next((p for p in pages if page_path(p.url) == "/"), None)
    site_name = inputs.site_name or (home.title if home and home.title != "/" else None)
    if not site_name:
        # Without a name the file would introduce the site wrongly: it waits for the input.
        return None
    description = inputs.site_description or (home.description if home else None)
    if description is None and home_html:
        description = page_description(home_html)
    return llms_txt_build(site_name=site_name, description=description, pages=pages)
