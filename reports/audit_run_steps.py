"""An audit's crawl as the worker runs it: options, claim, lease, progress, outcome.

Each step writes only while the run's generation is current, so a PATCH or a rerun makes an
older crawl stop at its next step and its results are discarded. A crawl claims its run
(queued, or running under a lapsed lease) in one conditional update, so a task delivered
twice, or re-queued after its worker died, crawls once at a time.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit_engine.engine import AuditOptions
from audit_engine.fetcher import FetchPolicy
from reports.models import Audit, AuditRun
from reports.progress_events import audit_progress_publish
from reports.run_outcomes import audit_run_completed_record, audit_run_failed_record
from reports.states import AUDIT, AUDIT_RUN

NO_PAGE_MESSAGE = "No page of the site could be audited"
WORKER_LOST_MESSAGE = (
    "The audit stopped: its worker was lost and the re-queued crawl was lost too. "
    "Re-run it to try again."
)


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


def audit_run_lease_end():
    """When a crawl's lease taken or renewed now lapses."""
    return timezone.now() + timedelta(seconds=settings.AUDIT_RUN_LEASE_SECONDS)


def _current(audit_id: int, generation: int):
    return Audit.objects.filter(pk=audit_id, run_generation=generation, status__in=Audit.RUN_ACTIVE)


def _run_of(audit_id: int, generation: int):
    return AuditRun.objects.filter(audit_id=audit_id, generation=generation).exclude(
        trigger=AuditRun.Trigger.RESULTS
    )


@transaction.atomic
def audit_run_begin(*, audit_id: int, generation: int, task_id: str = "") -> Audit | None:
    """Claim the crawl of `generation` and mark it running; None when there is nothing to do.

    Nothing to do: the audit moved on (PATCH, rerun), another worker holds the run, or the
    run was already started `AUDIT_RUN_MAX_ATTEMPTS` times (it is then failed).
    """
    now = timezone.now()
    audit = _current(audit_id, generation).select_for_update().first()
    if audit is None:
        return None
    claimable = _run_of(audit_id, generation).filter(
        Q(status=AuditRun.Status.PENDING)
        | Q(status=AuditRun.Status.RUNNING, lease_expires_at__lte=now)
    )
    claimed = AUDIT_RUN.move_rows(
        claimable.filter(attempts__lt=settings.AUDIT_RUN_MAX_ATTEMPTS),
        sources=AuditRun.RUN_ACTIVE,
        target=AuditRun.Status.RUNNING,
        started_at=now,
        attempts=F("attempts") + 1,
        celery_task_id=task_id,
        lease_expires_at=audit_run_lease_end(),
    )
    if not claimed:
        run = claimable.first()
        if run is not None:
            audit_run_failed_record(audit=audit, run=run, error=WORKER_LOST_MESSAGE)
        return None
    AUDIT.move_rows(
        Audit.objects.filter(pk=audit_id),
        sources=Audit.RUN_ACTIVE,
        target=Audit.Status.RUNNING,
        progress=0,
        pages_crawled=0,
        updated_at=now,
    )
    audit_progress_publish(audit_id=audit_id)
    return Audit.objects.get(pk=audit_id)


def audit_run_lease_renew(*, audit_id: int, generation: int, task_id: str) -> bool:
    """Extend the running crawl's lease; False once the run is no longer this task's."""
    return bool(
        _run_of(audit_id, generation)
        .filter(status=AuditRun.Status.RUNNING, celery_task_id=task_id)
        .update(lease_expires_at=audit_run_lease_end())
    )


def audit_run_progress(*, audit_id: int, generation: int, pages: int, max_pages: int) -> bool:
    """Record crawl progress; False when the crawl must stop (the audit moved on)."""
    progress = min(99, pages * 100 // max(max_pages, 1))
    moved = _current(audit_id, generation).update(
        progress=progress, pages_crawled=pages, updated_at=timezone.now()
    )
    if moved:
        _run_of(audit_id, generation).update(pages_crawled=pages)
        audit_progress_publish(audit_id=audit_id)
    return bool(moved)


def _failure_reason(results: dict) -> str:
    first = (results.get("pages") or [{}])[0]
    if first.get("error") or first.get("status"):
        reason = first.get("error") or f"HTTP {first['status']}"
    elif results.get("crawl", {}).get("budget_exhausted"):
        reason = "the time budget ran out"
    else:
        reason = "robots.txt forbids it or it is not HTML"
    return f"{NO_PAGE_MESSAGE}: {reason}."


@transaction.atomic
def audit_run_complete(*, audit_id: int, generation: int, results: dict) -> bool:
    """Store the crawl's results (or fail the audit when no page was audited); False if stale."""
    audit = _current(audit_id, generation).select_for_update().first()
    if audit is None:
        return False
    run = _run_of(audit_id, generation).select_for_update().get()
    audited = [page for page in results.get("pages", []) if page.get("scores") is not None]
    audit.pages_crawled = len(results.get("pages", []))
    run.pages_crawled = audit.pages_crawled
    if not audited:
        audit_run_failed_record(audit=audit, run=run, error=_failure_reason(results))
    else:
        audit_run_completed_record(audit=audit, run=run, results=results)
    return True


@transaction.atomic
def audit_run_fail(*, audit_id: int, generation: int, error: str) -> None:
    """Mark the crawl of `generation` failed with `error`, unless the audit moved on."""
    audit = _current(audit_id, generation).select_for_update().first()
    if audit is None:
        return
    run = _run_of(audit_id, generation).select_for_update().get()
    audit_run_failed_record(audit=audit, run=run, error=error)
