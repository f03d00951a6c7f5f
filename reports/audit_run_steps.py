"""An audit's crawl as the worker runs it: options, begin, progress, outcome.

Each step writes only while the run's generation is current, so a PATCH or a rerun makes an
older crawl stop at its next step and its results are discarded.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit_engine.engine import AuditOptions
from audit_engine.fetcher import FetchPolicy
from reports.models import Audit

NO_PAGE_MESSAGE = "No page of the site could be audited"


def audit_fetch_policy() -> FetchPolicy:
    """The fetch policy of the settings (`AUDIT_ALLOWED_PRIVATE_HOSTS`)."""
    return FetchPolicy.from_strings(settings.AUDIT_ALLOWED_PRIVATE_HOSTS)


def audit_options(*, max_pages: int) -> AuditOptions:
    """Engine options for one audit from the settings."""
    return AuditOptions(
        policy=audit_fetch_policy(),
        max_pages=max_pages,
        time_budget_seconds=settings.AUDIT_TIME_BUDGET_SECONDS,
        concurrency=settings.AUDIT_CRAWL_CONCURRENCY,
    )


def _current(audit_id: int, generation: int):
    return Audit.objects.filter(pk=audit_id, run_generation=generation, status__in=Audit.RUN_ACTIVE)


def audit_run_begin(*, audit_id: int, generation: int) -> Audit | None:
    """Mark the crawl of `generation` running; None when the audit moved on (PATCH, rerun)."""
    if not _current(audit_id, generation).update(
        status=Audit.Status.RUNNING, progress=0, pages_crawled=0, updated_at=timezone.now()
    ):
        return None
    return Audit.objects.get(pk=audit_id)


def audit_run_progress(*, audit_id: int, generation: int, pages: int, max_pages: int) -> bool:
    """Record crawl progress; False when the crawl must stop (the audit moved on)."""
    progress = min(99, pages * 100 // max(max_pages, 1))
    return bool(
        _current(audit_id, generation).update(
            progress=progress, pages_crawled=pages, updated_at=timezone.now()
        )
    )


@transaction.atomic
def audit_run_complete(*, audit_id: int, generation: int, results: dict) -> bool:
    """Store the crawl's results (or fail the audit when no page was audited); False if stale."""
    audit = _current(audit_id, generation).select_for_update().first()
    if audit is None:
        return False
    audited = [page for page in results.get("pages", []) if page.get("scores") is not None]
    audit.pages_crawled = len(results.get("pages", []))
    if not audited:
        first = (results.get("pages") or [{}])[0]
        if first.get("error") or first.get("status"):
            reason = first.get("error") or f"HTTP {first['status']}"
        elif results.get("crawl", {}).get("budget_exhausted"):
            reason = "the time budget ran out"
        else:
            reason = "robots.txt forbids it or it is not HTML"
        audit.status = Audit.Status.FAILED
        audit.error = f"{NO_PAGE_MESSAGE}: {reason}."
    else:
        audit.status = Audit.Status.COMPLETED
        audit.progress = 100
        audit.results = results
        audit.results_revision += 1
    audit.full_clean()
    audit.save()
    return True


def audit_run_fail(*, audit_id: int, generation: int, error: str) -> None:
    """Mark the crawl of `generation` failed with `error`, unless the audit moved on."""
    _current(audit_id, generation).update(
        status=Audit.Status.FAILED, error=error, updated_at=timezone.now()
    )
