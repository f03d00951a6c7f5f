"""The pages of an audit's latest results, scored as the web app's page table reads them.

A page's overall score weighs its category scores as the site's overall does (the site-wide
`ai_access` category left out), and its H1 score takes the penalties of its heading findings
only; its issue counts are its findings per severity.
"""

from audit_engine.findings import FINDINGS, SEVERITY_ORDER
from audit_engine.scoring import CATEGORY_WEIGHTS, SEVERITY_PENALTIES
from reports.fix_plan import page_path
from reports.models import Audit

H1_CODES = ("H1_MISSING", "H1_MULTIPLE", "H1_HIERARCHY_SKIP")


def _page_overall(scores: dict) -> int | None:
    weighted = {key: CATEGORY_WEIGHTS[key] for key in scores if key in CATEGORY_WEIGHTS}
    if not weighted:
        return None
    total = sum(weighted.values())
    return round(sum(scores[key] * weight for key, weight in weighted.items()) / total)


def _page_row(index: int, page: dict) -> dict:
    scores = page.get("scores") or {}
    codes = [code for code in page.get("findings") or [] if code in FINDINGS]
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for code in codes:
        counts[FINDINGS[code].severity] += 1
    audited = bool(scores)
    h1_penalty = sum(
        SEVERITY_PENALTIES[FINDINGS[code].severity] for code in H1_CODES if code in codes
    )
    return {
        "id": index,
        "url": page.get("url", ""),
        "path": page_path(url=page.get("url", "")),
        "overall_score": _page_overall(scores),
        "h1_score": max(0, 100 - h1_penalty) if audited else None,
        "structure_score": scores.get("structure"),
        "content_score": scores.get("content"),
        "eeat_score": scores.get("eeat"),
        "schema_score": scores.get("schema"),
        "critical_issues": counts["critical"],
        "high_issues": counts["high"],
        "medium_issues": counts["medium"],
        "low_issues": counts["low"],
    }


def audit_page_list(*, audit: Audit) -> list[dict]:
    """The crawled pages of the latest results, numbered from 1 (`[]` before a run completes)."""
    pages = (audit.results or {}).get("pages") or []
    return [_page_row(index, page) for index, page in enumerate(pages, start=1)]
