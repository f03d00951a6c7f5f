"""Turning an audit into its PDF report: a Django template rendered by WeasyPrint."""

import mimetypes
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.models import Audit, AuditRun
from reports.report_sections import audit_report_sections
from reports.run_comparison import runs_compare
from reports.run_figures import run_overall_score

# Relative asset URLs in the template resolve against this origin, which the fetcher maps
# onto the project's static files; nothing else is ever fetched.
ASSET_PATH = "/static/"
ASSET_BASE_URL = f"https://report-assets.invalid{ASSET_PATH}"

# A finding with more text than this may be split across pages rather than kept whole.
LONG_FINDING_CHARS = 1500

OVERALL_KEY = "overall"
# The audit engine's categories whose names do not read well capitalised.
CATEGORY_LABELS = {"eeat": "E-E-A-T", "ai_access": "AI access"}
SEVERITIES = (
    ("critical", "Critical", "Fix immediately"),
    ("high", "High", "Fix within two weeks"),
    ("medium", "Medium", "Plan within a month"),
    ("low", "Low", "When convenient"),
)


class StaticAssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the project's static files and refuses the rest."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not url.startswith(ASSET_BASE_URL):
            raise ValueError(
                f"Refused to fetch {url!r}: only the project's static files are served"
            )
        relative = posixpath.normpath(unquote(urlsplit(url).path).removeprefix(ASSET_PATH))
        if relative.startswith(("..", "/")) or relative == ".":
            raise ValueError(f"Refused to fetch {url!r}: outside the static files")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"Static file not found: {relative}")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@dataclass(frozen=True)
class ScoreRow:
    label: str
    score: int
    band: str


def _category_label(key: str) -> str:
    if key in CATEGORY_LABELS:
        return CATEGORY_LABELS[key]
    words = key.replace("_", " ").replace("-", " ").strip()
    return words.upper() if len(words) <= 3 else words[:1].upper() + words[1:]


def _score_band(score: float) -> str:
    if score >= 90:
        return "good"
    if score >= 50:
        return "fair"
    return "poor"


def _code_groups(findings: list[dict]) -> list[dict]:
    """Findings that carry a code, one group per code, most severe first."""
    labels = {key: label for key, label, _timeframe in SEVERITIES}
    order = [key for key, _label, _timeframe in SEVERITIES]
    groups: dict[str, dict] = {}
    for finding in findings:
        code = finding.get("code")
        if not code:
            continue
        group = groups.setdefault(
            code,
            {
                "code": code,
                "severity": finding.get("severity"),
                "label": labels.get(finding.get("severity"), ""),
                "findings": [],
                "pages": [],
                "page_count": 0,
            },
        )
        group["findings"].append(finding)
        listed = finding.get("pages") or ([finding["url"]] if finding.get("url") else [])
        group["pages"].extend(url for url in listed if url not in group["pages"])
        group["page_count"] += finding.get("page_count") or len(listed)
    return sorted(
        groups.values(),
        key=lambda g: (order.index(g["severity"]) if g["severity"] in order else 4, g["code"]),
    )


def _crawled_pages(results: dict) -> list[dict]:
    """The crawled pages with their mean page score (None when the page was not audited)."""
    rows = []
    for page in results.get("pages") or []:
        scores = page.get("scores") or {}
        score = round(sum(scores.values()) / len(scores)) if scores else None
        rows.append(
            {
                "url": page.get("url", ""),
                "status": page.get("status"),
                "title": page.get("title") or "",
                "score": score,
                "band": _score_band(score) if score is not None else "",
                "findings": page.get("findings") or [],
                "error": page.get("error") or "",
            }
        )
    return rows


# The trend chart: the last runs drawn, its size in SVG user units, and the change lists' length.
TREND_RUNS = 12
TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 480, 150, 24
# Room on the left for the axis figures and the first run's label.
TREND_LEFT = 44
CHANGES_LISTED = 15
# The stylesheet's band colours, for the SVG marks (fill is an attribute there).
BAND_COLORS = {"good": "#16a34a", "fair": "#f59e0b", "poor": "#dc2626"}


def _score_trend(runs: list[AuditRun]) -> dict | None:
    """An overall-score line over the completed runs, as SVG coordinates; None under two runs."""
    points = [
        (run, score)
        for run in runs[-TREND_RUNS:]
        if (score := run_overall_score(scores=run.scores or {})) is not None
    ]
    if len(points) < 2:
        return None
    span_x = (TREND_WIDTH - TREND_LEFT - 2 * TREND_PAD) / (len(points) - 1)
    span_y = TREND_HEIGHT - 2 * TREND_PAD
    marks = [
        {
            "x": round(TREND_LEFT + index * span_x, 1),
            "y": round(TREND_PAD + span_y * (1 - score / 100), 1),
            "score": round(score),
            "score_y": round(TREND_PAD + span_y * (1 - score / 100) - 7, 1),
            "label": f"#{run.number}",
            "date": run.completed_at,
            "color": BAND_COLORS[_score_band(score)],
        }
        for index, (run, score) in enumerate(points)
    ]
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "baseline": TREND_HEIGHT - TREND_PAD,
        "top": TREND_PAD,
        "middle": TREND_PAD + span_y / 2,
        "left": TREND_LEFT - 10,
        "right": TREND_WIDTH - TREND_PAD,
        "axis_y": TREND_HEIGHT - 8,
        "polyline": " ".join(f"{mark['x']},{mark['y']}" for mark in marks),
        "marks": marks,
    }


def _changes_since_previous(runs: list[AuditRun]) -> dict | None:
    """What changed between the last two completed runs; None with fewer than two."""
    if len(runs) < 2:
        return None
    previous, latest = runs[-2], runs[-1]
    comparison = runs_compare(before=previous.results, after=latest.results)
    return {
        "previous": previous,
        "latest": latest,
        "scores": [
            {"label": _category_label(key), **delta} for key, delta in comparison["scores"].items()
        ],
        "fixed": comparison["fixed"][:CHANGES_LISTED],
        "fixed_count": len(comparison["fixed"]),
        "new": comparison["new"][:CHANGES_LISTED],
        "new_count": len(comparison["new"]),
        "unchanged": comparison["unchanged"],
    }


def _run_history(audit: Audit) -> dict:
    runs = list(
        AuditRun.objects.filter(audit=audit, status=AuditRun.Status.COMPLETED).order_by("number")
    )
    # The report renders the audit's results: runs after the one holding them are left out.
    while runs and runs[-1].results != audit.results:
        runs.pop()
    return {"trend": _score_trend(runs), "changes": _changes_since_previous(runs)}


def audit_report_context(*, audit: Audit) -> dict:
    """Everything the report template shows, computed from the audit's results."""
    results = audit.results or {}
    raw_scores = dict(results.get("scores") or {})
    stated_overall = raw_scores.pop(OVERALL_KEY, None)
    scores = [
        ScoreRow(label=_category_label(key), score=int(value), band=_score_band(value))
        for key, value in raw_scores.items()
    ]
    if stated_overall is not None:
        overall = int(stated_overall)
    else:
        overall = round(sum(row.score for row in scores) / len(scores)) if scores else None
    findings = [
        {
            **finding,
            "long": len(finding.get("description") or "") + len(finding.get("recommendation") or "")
            > LONG_FINDING_CHARS,
        }
        for finding in results.get("findings") or []
    ]
    groups = []
    action_plan = []
    for severity, label, timeframe in SEVERITIES:
        items = [finding for finding in findings if finding.get("severity") == severity]
        groups.append({"key": severity, "label": label, "findings": items})
        action_plan.extend(
            {"severity": severity, "label": label, "timeframe": timeframe, **finding}
            for finding in items
        )
    site = urlsplit(audit.url).hostname or audit.url
    return {
        "audit": audit,
        "site": site,
        "generated_at": timezone.now(),
        "summary": results.get("summary") or "",
        "scores": scores,
        "overall": overall,
        "overall_band": _score_band(overall) if overall is not None else "",
        "severity_groups": groups,
        "finding_count": len(findings),
        "action_plan": action_plan,
        "code_groups": _code_groups(findings),
        "pages": _crawled_pages(results),
        **_run_history(audit),
        "report_sections": audit_report_sections(audit=audit),
    }


def audit_report_render(*, audit: Audit) -> bytes:
    """The audit's PDF report."""
    html = render_to_string("reports/audit_report.html", audit_report_context(audit=audit))
    document = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=StaticAssetFetcher())
    return document.write_pdf()
