"""The fix plan of an audit: one item per finding of its latest results, most severe first.

Site-wide findings name the site file that fixes them; page findings name the paths of the
pages where they were found, each with its own step.
"""

from urllib.parse import urlsplit

from errors import catalog
from errors.exceptions import ApiError
from reports.audit_overview import audit_findings, audit_results_ready
from reports.models import Audit

# Findings fixed in one file of the site rather than in its pages.
SITE_FILES = {
    "LLMS_TXT_MISSING": ["llms.txt"],
    "AI_CRAWLER_BLOCKED": ["robots.txt"],
    "SITEMAP_MISSING": ["sitemap.xml", "robots.txt"],
}


def page_path(*, url: str) -> str:
    """The path of a page URL, `/` for the home page."""
    return urlsplit(url).path or "/"


def _fix_plan_item(finding: dict) -> dict:
    code = finding.get("code") or ""
    recommendation = finding.get("recommendation", "")
    pages = finding.get("pages") or ([finding["url"]] if finding.get("url") else [])
    if code in SITE_FILES:
        files = list(SITE_FILES[code])
        steps = [f"{name}: {recommendation}" for name in files]
    else:
        files = list(dict.fromkeys(page_path(url=url) for url in pages))
        steps = [f"{path}: {recommendation}" for path in files] or [recommendation]
    item = {
        "issue": code or finding.get("title", ""),
        "title": finding.get("title", ""),
        "description": finding.get("description", ""),
        "priority": finding.get("severity"),
        "recommendations": [recommendation] if recommendation else [],
        "steps": steps,
        "files": files,
        "code": code,
    }
    if finding.get("url"):
        item["page_url"] = finding["url"]
    return item


def fix_plan_list(*, audit: Audit) -> list[dict]:
    """The fix plan items of the audit's latest results (empty before a run completes)."""
    return [_fix_plan_item(finding) for finding in audit_findings(audit=audit)]


def fix_plan_get(*, audit: Audit) -> list[dict]:
    """The fix plan; 400 while no run of the audit has completed."""
    if not audit_results_ready(audit=audit):
        raise ApiError(catalog.FIX_PLAN_NOT_READY, status=audit.status)
    return fix_plan_list(audit=audit)
