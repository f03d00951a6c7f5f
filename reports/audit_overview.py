"""What the web app's audit screens read from an audit: domain, score, counts, diagnostics.

Everything is derived from the audit's latest completed results (`Audit.results`), whether
the engine or an outside pipeline produced them, so the screens and the reports agree.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import OuterRef, QuerySet, Subquery

from audit_engine.findings import SEVERITY_ORDER
from reports.models import Audit, AuditRun, PdfJob

DIAGNOSTICS_SUMMARY_SIZE = 4
OVERALL_KEY = "overall"
# A PDF job's state as the web app names it; no job at all is `idle`.
PDF_STATUS_IDLE = "idle"


def _latest_run_times() -> dict:
    runs = AuditRun.objects.filter(audit=OuterRef("pk")).order_by("-number")
    return {
        "latest_run_started_at": Subquery(runs.values("started_at")[:1]),
        "latest_run_ended_at": Subquery(
            runs.filter(completed_at__isnull=False).values("completed_at")[:1]
        ),
    }


def audit_list_with_run_times(*, audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """`audits` with their latest run's start and end, and their PDF job, in the same query."""
    return audits.annotate(**_latest_run_times()).select_related("pdf_job")


def _run_time(audit: Audit, name: str) -> datetime | None:
    if not hasattr(audit, name):
        # A single audit: one query for both times.
        times = (
            Audit.objects.filter(pk=audit.pk)
            .annotate(**_latest_run_times())
            .values("latest_run_started_at", "latest_run_ended_at")
        )
        for key, value in (times.first() or {}).items():
            setattr(audit, key, value)
    return getattr(audit, name, None)


def audit_started_at(*, audit: Audit) -> datetime | None:
    """When the audit's latest run started (None before any run started)."""
    return _run_time(audit, "latest_run_started_at")


def audit_completed_at(*, audit: Audit) -> datetime | None:
    """When the audit's latest finished run (completed or failed) ended."""
    return _run_time(audit, "latest_run_ended_at")


def audit_domain(*, url: str) -> str:
    """The audited URL's host, lower-case."""
    return (urlsplit(url).hostname or "").lower()


def audit_results_ready(*, audit: Audit) -> bool:
    """True once a run completed: the audit has results to read."""
    return bool(audit.results)


def audit_geo_score(*, audit: Audit) -> int | None:
    """The overall score of the latest results (the mean of the categories when not stated)."""
    scores = dict((audit.results or {}).get("scores") or {})
    if not scores:
        return None
    if OVERALL_KEY in scores:
        return int(scores[OVERALL_KEY])
    return round(sum(scores.values()) / len(scores))


def audit_total_pages(*, audit: Audit) -> int:
    """Pages crawled by the latest run (or the running one)."""
    pages = (audit.results or {}).get("pages")
    if audit.status in Audit.RUN_ACTIVE or pages is None:
        return audit.pages_crawled
    return len(pages)


def audit_findings(*, audit: Audit) -> list[dict]:
    """The latest results' findings, most severe first (stable within a severity)."""
    findings = (audit.results or {}).get("findings") or []
    return sorted(findings, key=lambda finding: _severity_rank(finding.get("severity")))


def audit_finding_counts(*, audit: Audit) -> dict[str, int]:
    """Findings per severity."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for finding in audit_findings(audit=audit):
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    return counts


def audit_diagnostics_summary(*, audit: Audit) -> list[dict]:
    """The most severe findings, at most four: `{"code", "title", "severity"}`."""
    return [
        {
            "code": finding.get("code") or "",
            "title": finding.get("title", ""),
            "severity": finding.get("severity"),
        }
        for finding in audit_findings(audit=audit)[:DIAGNOSTICS_SUMMARY_SIZE]
    ]


def audit_pdf_job(*, audit: Audit) -> PdfJob | None:
    """The audit's PDF job, or None when no PDF was ever requested."""
    try:
        return audit.pdf_job
    except PdfJob.DoesNotExist:
        return None


def audit_pdf_status(*, audit: Audit) -> str:
    """`idle` without a PDF job, else the job's status."""
    job = audit_pdf_job(audit=audit)
    return job.status if job is not None else PDF_STATUS_IDLE


def audit_pdf_available(*, audit: Audit) -> bool:
    """True when a finished PDF report can be downloaded."""
    job = audit_pdf_job(audit=audit)
    return job is not None and job.status == PdfJob.Status.COMPLETED and bool(job.file)


def audit_intake_profile(*, audit: Audit) -> dict:
    """What the intake form said about the site."""
    return {
        "language": audit.language or None,
        "competitors": list(audit.competitors or []),
        "market": audit.market or None,
        "source": audit.source or None,
    }


def _severity_rank(severity) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)
