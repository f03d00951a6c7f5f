"""Running the audit engine on an audit: queueing, the running cap, progress and outcome."""

import logging
from datetime import timedelta

import pglock
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit_engine.fetcher import fetch_target_refusal
from authn.auth0_user import Auth0User
from authn.ownership import owner_fields
from errors import catalog
from errors.exceptions import ApiError
from reports import tasks
from reports.audit_run_steps import WORKER_LOST_MESSAGE, audit_fetch_policy
from reports.models import Audit, AuditRun
from reports.progress_events import audit_progress_publish
from reports.run_outcomes import audit_run_failed_record
from reports.states import AUDIT, AUDIT_RUN
from rows.saving import row_save

logger = logging.getLogger(__name__)

RUNNING_LIMIT_RETRY_AFTER_SECONDS = 30
# A run whose worker died stops counting (and may be re-run) once this much past its budget.
RUN_STALE_GRACE_SECONDS = 120
# Lost runs recovered per scan; the next scan takes the rest.
RECOVER_BATCH = 100


def audit_target_refusal(*, url: str) -> str | None:
    """Why the engine may not audit `url` (a refused address, port or credentials), or None."""
    return fetch_target_refusal(url=url, policy=audit_fetch_policy())


def _run_stale_before():
    return timezone.now() - timedelta(
        seconds=settings.AUDIT_TIME_BUDGET_SECONDS + RUN_STALE_GRACE_SECONDS
    )


def audit_run_is_active(*, audit: Audit) -> bool:
    """True while a queued or running crawl of the audit may still write to it."""
    return (
        audit.status in Audit.RUN_ACTIVE
        and audit.run_generation > 0
        and audit.run_requested_at is not None
        and audit.updated_at >= _run_stale_before()
    )


def _owner_runs_lock(*, owner_user_id: str) -> None:
    if connection.vendor == "postgresql":
        # Held to the end of the caller's transaction: one user's concurrent starts queue up
        # here, so two requests (or a request and a scheduled run) cannot both pass the cap,
        # nor both start an audit of the same URL.
        pglock.advisory(
            f"reports.audit_run.user.{owner_user_id}", xact=True, timeout=None
        ).acquire()


def _owner_active_runs(*, owner_user_id: str):
    return Audit.objects.filter(
        owner_user_id=owner_user_id,
        status__in=Audit.RUN_ACTIVE,
        run_generation__gt=0,
        updated_at__gte=_run_stale_before(),
    )


def audit_running_cap_reached(*, owner_user_id: str) -> bool:
    """True when the owner has as many audits running as allowed (locks the owner's count)."""
    _owner_runs_lock(owner_user_id=owner_user_id)
    active = _owner_active_runs(owner_user_id=owner_user_id).count()
    return active >= settings.AUDIT_MAX_RUNNING_PER_USER


def _running_cap_check(*, user: Auth0User) -> None:
    if audit_running_cap_reached(owner_user_id=user.sub):
        limit = settings.AUDIT_MAX_RUNNING_PER_USER
        raise ApiError(
            catalog.AUDIT_RUNNING_LIMIT,
            headers={"Retry-After": str(RUNNING_LIMIT_RETRY_AFTER_SECONDS)},
            limit=limit,
        )


def audit_run_queue(*, audit: Audit, trigger: str) -> AuditRun:
    """Queue a crawl of `audit` as a new run (the caller holds the audit's row)."""
    now = timezone.now()
    AUDIT.move(audit, target=Audit.Status.PENDING)
    audit.progress = 0
    audit.pages_crawled = 0
    audit.error = ""
    audit.run_generation += 1
    audit.run_requested_at = now
    audit.updated_at = now
    row_save(audit)
    audit_progress_publish(audit_id=audit.pk)
    run = AuditRun(
        audit=audit,
        number=audit_run_next_number(audit=audit),
        trigger=trigger,
        generation=audit.run_generation,
        requested_at=now,
    )
    row_save(run)
    tasks.audit_run.delay_on_commit(audit_id=audit.pk, generation=audit.run_generation)
    return run


def audit_run_next_number(*, audit: Audit) -> int:
    """The number of the audit's next run (the caller holds the audit's row)."""
    last = AuditRun.objects.filter(audit=audit).order_by("-number").first()
    return last.number + 1 if last else 1


@transaction.atomic
def audit_run_start(
    *, url: str, max_pages: int, user: Auth0User, intake: dict | None = None
) -> Audit:
    """A new audit of `url` queued for a crawl, or the caller's queued or running one of it.

    429 past the running cap; `intake` holds the web app's `language`, `competitors`,
    `market` and `source`.
    """
    _owner_runs_lock(owner_user_id=user.sub)
    running = (
        _owner_active_runs(owner_user_id=user.sub).filter(url=url).order_by("-created_at").first()
    )
    if running is not None:
        return running
    _running_cap_check(user=user)
    audit = Audit(
        url=url,
        max_pages=max_pages,
        **owner_fields(user),
        **(intake or {}),
    )
    audit_run_queue(audit=audit, trigger=AuditRun.Trigger.CREATE)
    return audit


@transaction.atomic
def audit_rerun(*, audit_id: int, user: Auth0User) -> Audit:
    """Queue a new crawl of an audit; 409 while one is queued or running, 429 past the cap."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    if audit_run_is_active(audit=audit):
        raise ApiError(catalog.AUDIT_RUNNING)
    _running_cap_check(user=user)
    audit_run_queue(audit=audit, trigger=AuditRun.Trigger.RERUN)
    return audit


def _lost_runs():
    # A lapsed lease; or no lease at all on a run started long ago, by a worker of the code
    # before leases (a crawl running while the service was upgraded).
    return AuditRun.objects.filter(status=AuditRun.Status.RUNNING).filter(
        Q(lease_expires_at__lte=timezone.now())
        | Q(lease_expires_at__isnull=True, requested_at__lt=_run_stale_before())
    )


def audit_runs_recover_lost() -> int:
    """Re-queue runs whose worker stopped renewing the lease (or fail them); how many."""
    lapsed = _lost_runs().values_list("pk", flat=True)[:RECOVER_BATCH]
    return sum(_audit_run_recover(run_id=run_id) for run_id in lapsed)


@transaction.atomic
def _audit_run_recover(*, run_id: int) -> int:
    audit_id = AuditRun.objects.filter(pk=run_id).values_list("audit_id", flat=True).first()
    if audit_id is None:
        return 0
    # The audit's row first, as every other writer of runs locks it.
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    run = AuditRun.objects.select_for_update().get(pk=run_id)
    if not _lost_runs().filter(pk=run_id).exists():
        return 0  # renewed or recovered meanwhile
    logger.warning(
        "audit_run_worker_lost",
        extra={"audit_id": audit_id, "run": run.number, "attempts": run.attempts},
    )
    if audit.run_generation != run.generation or run.attempts >= settings.AUDIT_RUN_MAX_ATTEMPTS:
        audit_run_failed_record(audit=audit, run=run, error=WORKER_LOST_MESSAGE)
        return 1
    AUDIT_RUN.move(run, target=AuditRun.Status.PENDING)
    run.lease_expires_at = None
    run.celery_task_id = ""
    run.save(update_fields=["status", "lease_expires_at", "celery_task_id"])
    AUDIT.move(audit, target=Audit.Status.PENDING)
    audit.progress = 0
    row_save(audit)
    tasks.audit_run.delay_on_commit(audit_id=audit.pk, generation=run.generation)
    return 1


CONFIGURED_AND_QUEUED = "Configuration saved. Audit queued."
ALREADY_STARTED = "This audit is already in progress or completed."


@transaction.atomic
def audit_configure(*, audit_id: int, user: Auth0User, intake: dict) -> str:
    """Store the intake of a pending audit and queue its crawl; the assistant's reply.

    An audit already running, completed or failed keeps its configuration.
    """
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    if audit.status != Audit.Status.PENDING:
        return ALREADY_STARTED
    for field, value in intake.items():
        setattr(audit, field, value)
    if audit_run_is_active(audit=audit):
        row_save(audit)
    else:
        _running_cap_check(user=user)
        audit_run_queue(audit=audit, trigger=AuditRun.Trigger.CREATE)
    return CONFIGURED_AND_QUEUED
