"""Scheduled audits: an interval on the audit, and the beat task's scan that starts due runs.

Why one beat task that scans rather than django-celery-beat: a schedule is two columns of the
audit it belongs to (interval, next run), written by the same request that reads them, so
there is no second copy to keep in step; and django-celery-beat's scheduler sends every due
entry from each beat process that runs, while a due run here is claimed in the database:
the scan locks the audit's row (`SKIP LOCKED`, so another scanner moves on) and moves its
next run forward with a conditional update in the same transaction. Two beat processes
started by mistake, or the embedded default's in-process beat beside one, start a due run
once. A due audit whose run is still going, or whose owner already has the allowed number of
audits running, is skipped until its next time rather than queued twice.
"""

import calendar
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from reports.audit_runs import audit_run_is_active, audit_run_queue, audit_running_cap_reached
from reports.models import Audit, AuditRun
from rows.saving import row_save

logger = logging.getLogger(__name__)

# Due audits started per scan; the next scan takes the rest.
SCAN_BATCH = 100


def schedule_next_after(*, previous: datetime, interval: str) -> datetime:
    """The time one `interval` after `previous` (a calendar month for monthly, day clamped)."""
    if interval == Audit.Interval.DAILY:
        return previous + timedelta(days=1)
    if interval == Audit.Interval.WEEKLY:
        return previous + timedelta(weeks=1)
    # The next calendar month: months counted from year 0, zero-based.
    year, index = divmod(previous.year * 12 + previous.month, 12)
    month = index + 1
    day = min(previous.day, calendar.monthrange(year, month)[1])
    return previous.replace(year=year, month=month, day=day)


@transaction.atomic
def audit_schedule_set(*, audit_id: int, interval: str | None) -> Audit:
    """Schedule the audit every `interval` from now, or stop its schedule (None)."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    if interval:
        audit.schedule_interval = interval
        audit.schedule_next_run_at = schedule_next_after(previous=timezone.now(), interval=interval)
    else:
        audit.schedule_interval = ""
        audit.schedule_next_run_at = None
    return row_save(audit)


def audit_schedules_start_due() -> int:
    """Start a run of every audit whose schedule is due; the number started."""
    started = 0
    for _ in range(SCAN_BATCH):
        outcome = _audit_schedule_claim_next()
        if outcome is None:
            break
        started += outcome
    return started


@transaction.atomic
def _audit_schedule_claim_next() -> int | None:
    """Claim the most overdue schedule and start its run: 1 started, 0 skipped, None if none."""
    now = timezone.now()
    audit = (
        Audit.objects.select_for_update(skip_locked=True)
        .exclude(schedule_interval="")
        .filter(schedule_next_run_at__lte=now)
        .order_by("schedule_next_run_at", "pk")
        .first()
    )
    if audit is None:
        return None
    due_at = audit.schedule_next_run_at
    following = due_at
    # A scanner that was down for several intervals starts one run, not one per interval.
    while following <= now:
        following = schedule_next_after(previous=following, interval=audit.schedule_interval)
    # The claim: only the scanner that still sees the due time moves it (SQLite has no row
    # locks; on PostgreSQL the row lock already makes this the only writer).
    if not Audit.objects.filter(pk=audit.pk, schedule_next_run_at=due_at).update(
        schedule_next_run_at=following
    ):
        return 0
    audit.schedule_next_run_at = following
    if audit_run_is_active(audit=audit):
        reason = "running"
    elif audit_running_cap_reached(owner_user_id=audit.owner_user_id):
        reason = "running_limit"
    else:
        audit_run_queue(audit=audit, trigger=AuditRun.Trigger.SCHEDULE)
        logger.info("audit_schedule_started", extra={"audit_id": audit.pk})
        return 1
    logger.info("audit_schedule_skipped", extra={"audit_id": audit.pk, "reason": reason})
    return 0
