"""Writes of audits and PDF jobs."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit_engine.crawler import DEFAULT_MAX_PAGES
from authn.auth0_user import Auth0User
from authn.ownership import owner_fields
from errors import catalog
from errors.exceptions import ApiError
from reports import tasks
from reports.audit_runs import audit_run_next_number
from reports.models import Audit, AuditRun, PdfJob
from reports.pdf_job_steps import WORKER_LOST_MESSAGE
from reports.run_outcomes import audit_run_completed_record
from reports.selectors import pdf_job_is_current
from reports.states import AUDIT_RUN, PDF_JOB
from rows.saving import row_save

logger = logging.getLogger(__name__)

PDF_RETRY_AFTER_SECONDS = 10
SUPERSEDED_MESSAGE = "Replaced by results sent for the audit while it ran."


@dataclass(frozen=True)
class PdfJobRequest:
    job: PdfJob
    queued: bool


@transaction.atomic
def audit_create(
    *, url: str, user: Auth0User, max_pages: int = DEFAULT_MAX_PAGES, intake: dict | None = None
) -> Audit:
    """A new pending audit of `url` owned by the caller, waiting for results by PATCH."""
    audit = Audit(
        url=url,
        max_pages=max_pages,
        **owner_fields(user),
        **(intake or {}),
    )
    return row_save(audit)


@transaction.atomic
def audit_results_update(*, audit_id: int, results: dict) -> Audit:
    """Store new results as a completed run; any earlier PDF becomes outdated."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    now = timezone.now()
    # Outside results win: a crawl of this audit still running sees a newer generation and stops.
    audit.run_generation += 1
    AUDIT_RUN.move_rows(
        AuditRun.objects.filter(audit=audit),
        sources=AuditRun.RUN_ACTIVE,
        target=AuditRun.Status.FAILED,
        error=SUPERSEDED_MESSAGE,
        completed_at=now,
        lease_expires_at=None,
    )
    run = AuditRun(
        audit=audit,
        number=audit_run_next_number(audit=audit),
        trigger=AuditRun.Trigger.RESULTS,
        generation=audit.run_generation,
        requested_at=now,
        started_at=now,
    )
    audit_run_completed_record(audit=audit, run=run, results=results)
    return audit


@transaction.atomic
def pdf_job_request(*, audit_id: int, force: bool) -> PdfJobRequest:
    """Queue a PDF report of a completed audit, or hand back the current one unless `force`."""
    # The audit row lock serialises concurrent requests: the later one sees the queued job.
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    if audit.status != Audit.Status.COMPLETED:
        raise ApiError(catalog.AUDIT_NOT_COMPLETED, status=audit.status)
    job = PdfJob.objects.filter(audit=audit).first()
    # A job whose worker died is no longer in progress: this request starts it afresh.
    if (
        job is not None
        and job.status in PdfJob.IN_PROGRESS
        and not job.is_abandoned(now=timezone.now())
    ):
        raise ApiError(
            catalog.PDF_IN_PROGRESS, headers={"Retry-After": str(PDF_RETRY_AFTER_SECONDS)}
        )
    if job is not None and not force and pdf_job_is_current(job=job, audit=audit):
        return PdfJobRequest(job=job, queued=False)
    if job is None:
        job = PdfJob(audit=audit)
    PDF_JOB.move(job, target=PdfJob.Status.QUEUED)
    job.error = ""
    job.audit_revision = audit.results_revision
    job.celery_task_id = ""
    job.requested_at = timezone.now()
    job.started_at = None
    job.completed_at = None
    job.attempts = 0
    job.lease_expires_at = None
    job.full_clean()
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Only reachable where the row lock is a no-op (SQLite): another request won the insert.
        raise ApiError(
            catalog.PDF_IN_PROGRESS, headers={"Retry-After": str(PDF_RETRY_AFTER_SECONDS)}
        ) from None
    tasks.pdf_report_generate.delay_on_commit(audit_id=audit.pk)
    return PdfJobRequest(job=job, queued=True)


def pdf_job_recover(*, job: PdfJob) -> PdfJob:
    """Re-queue a job whose worker died, or fail it after too many attempts; else unchanged."""
    if not job.is_abandoned(now=timezone.now()):
        return job
    return _pdf_job_recover_locked(job_id=job.pk)


@transaction.atomic
def _pdf_job_recover_locked(*, job_id: int) -> PdfJob:
    # Under the row lock: another request may have recovered it, or the worker renewed it.
    job = PdfJob.objects.select_for_update().get(pk=job_id)
    if not job.is_abandoned(now=timezone.now()):
        return job
    logger.warning(
        "pdf_report_worker_lost",
        extra={"audit_id": job.audit_id, "job_id": job.pk, "attempts": job.attempts},
    )
    job.lease_expires_at = None
    if job.attempts >= settings.PDF_JOB_MAX_ATTEMPTS:
        PDF_JOB.move(job, target=PdfJob.Status.FAILED)
        job.error = WORKER_LOST_MESSAGE
        job.completed_at = timezone.now()
    else:
        PDF_JOB.move(job, target=PdfJob.Status.QUEUED)
        job.celery_task_id = ""
        tasks.pdf_report_generate.delay_on_commit(audit_id=job.audit_id)
    job.save(
        update_fields=["status", "error", "completed_at", "celery_task_id", "lease_expires_at"]
    )
    return job


@transaction.atomic
def audit_delete(*, audit_id: int) -> None:
    """Delete the audit with its runs, score records and PDF job (cascades) and its PDF file."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    job = PdfJob.objects.filter(audit=audit).first()
    if job is not None and job.file:
        storage, name = job.file.storage, job.file.name
        # The file goes once the rows are gone for good; a crawl or render still running
        # finds no row to write to and stops.
        transaction.on_commit(lambda: storage.delete(name))
    audit.delete()
