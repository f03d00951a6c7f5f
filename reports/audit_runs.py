"""Running the audit engine on an audit: queueing, the running cap, progress and outcome."""

from datetime import timedelta

import pglock
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit_engine.fetcher import FetchRefusedError, fetch_target_check
from authn.auth0_user import Auth0User
from errors import catalog
from errors.exceptions import ApiError
from reports import tasks
from reports.audit_run_steps import audit_fetch_policy
from reports.models import Audit

RUNNING_LIMIT_RETRY_AFTER_SECONDS = 30
# A run whose worker died stops counting (and may be re-run) once this much past its budget.
RUN_STALE_GRACE_SECONDS = 120


def audit_target_refusal(*, url: str) -> str | None:
    """Why the engine may not audit `url` (a refused address, port or credentials), or None."""
    try:
        fetch_target_check(url=url, policy=audit_fetch_policy())
    except FetchRefusedError as exc:
        return exc.reason
    return None


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


def _running_cap_check(*, user: Auth0User) -> None:
    if connection.vendor == "postgresql":
        # Held to the end of the caller's transaction: one user's concurrent starts queue up
        # here, so two requests cannot both pass the cap.
        pglock.advisory(f"reports.audit_run.user.{user.sub}", xact=True, timeout=None).acquire()
    active = Audit.objects.filter(
        owner_user_id=user.sub,
        status__in=Audit.RUN_ACTIVE,
        run_generation__gt=0,
        updated_at__gte=_run_stale_before(),
    ).count()
    limit = settings.AUDIT_MAX_RUNNING_PER_USER
    if active >= limit:
        raise ApiError(
            catalog.AUDIT_RUNNING_LIMIT,
            headers={"Retry-After": str(RUNNING_LIMIT_RETRY_AFTER_SECONDS)},
            limit=limit,
        )


def _run_queue(audit: Audit) -> None:
    now = timezone.now()
    audit.status = Audit.Status.PENDING
    audit.progress = 0
    audit.pages_crawled = 0
    audit.error = ""
    audit.run_generation += 1
    audit.run_requested_at = now
    audit.updated_at = now
    audit.full_clean()
    audit.save()
    tasks.audit_run.delay_on_commit(audit_id=audit.pk, generation=audit.run_generation)


@transaction.atomic
def audit_run_start(*, url: str, max_pages: int, user: Auth0User) -> Audit:
    """A new audit of `url` owned by the caller, queued for a crawl; 429 past the running cap."""
    _running_cap_check(user=user)
    audit = Audit(
        url=url,
        max_pages=max_pages,
        owner_user_id=user.sub,
        owner_email=(user.email or "").lower(),
    )
    _run_queue(audit)
    return audit


@transaction.atomic
def audit_rerun(*, audit_id: int, user: Auth0User) -> Audit:
    """Queue a new crawl of an audit; 409 while one is queued or running, 429 past the cap."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    if audit_run_is_active(audit=audit):
        raise ApiError(catalog.AUDIT_RUNNING)
    _running_cap_check(user=user)
    _run_queue(audit)
    return audit
