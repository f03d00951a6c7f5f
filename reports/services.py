"""Writes of audits and PDF jobs."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from authn.auth0_user import Auth0User
from errors import catalog
from errors.exceptions import ApiError
from reports import tasks
from reports.models import Audit, PdfJob
from reports.selectors import pdf_job_is_current

logger = logging.getLogger(__name__)

PDF_RETRY_AFTER_SECONDS = 10
WORKER_LOST_MESSAGE = (
    "PDF rendering stopped: its worker was lost too many times. Request a new PDF to try again."
)


@dataclass(frozen=True)
class PdfJobRequest:
    job: PdfJob
    queued: bool


@transaction.atomic
def audit_create(*, url: str, user: Auth0User) -> Audit:
    """A new pending audit of `url` owned by the caller."""
    audit = Audit(url=url, owner_user_id=user.sub, owner_email=(user.email or "").lower())
    audit.full_clean()
    audit.save()
    return audit


@transaction.atomic
def audit_results_update(*, audit_id: int, results: dict) -> Audit:
    """Store new results; the audit becomes completed and any earlier PDF becomes outdated."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    audit.results = results
    audit.status = Audit.Status.COMPLETED
    audit.results_revision += 1
    audit.full_clean()
    audit.save()
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
    job.status = PdfJob.Status.QUEUED
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


def _lease_end():
    return timezone.now() + timedelta(seconds=settings.PDF_JOB_LEASE_SECONDS)


@transaction.atomic
def pdf_job_claim(*, audit_id: int, claimable: tuple[str, ...], task_id: str) -> PdfJob | None:
    """Move the audit's job from one of `claimable` to running; None when nothing to do.

    A job already started `PDF_JOB_MAX_ATTEMPTS` times is marked failed instead.
    """
    jobs = PdfJob.objects.filter(audit_id=audit_id, status__in=claimable)
    claimed = jobs.filter(attempts__lt=settings.PDF_JOB_MAX_ATTEMPTS).update(
        status=PdfJob.Status.RUNNING,
        started_at=timezone.now(),
        completed_at=None,
        error="",
        celery_task_id=task_id,
        attempts=F("attempts") + 1,
        lease_expires_at=_lease_end(),
    )
    if not claimed:
        if jobs.update(
            status=PdfJob.Status.FAILED,
            error=WORKER_LOST_MESSAGE,
            completed_at=timezone.now(),
            lease_expires_at=None,
        ):
            logger.warning("pdf_report_attempts_exhausted", extra={"audit_id": audit_id})
        return None
    return PdfJob.objects.get(audit_id=audit_id)


def pdf_job_lease_renew(*, job_id: int, task_id: str) -> bool:
    """Extend the running job's lease; False once the job is no longer this task's."""
    return bool(
        PdfJob.objects.filter(
            pk=job_id, status=PdfJob.Status.RUNNING, celery_task_id=task_id
        ).update(lease_expires_at=_lease_end())
    )


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
        job.status = PdfJob.Status.FAILED
        job.error = WORKER_LOST_MESSAGE
        job.completed_at = timezone.now()
    else:
        job.status = PdfJob.Status.QUEUED
        job.celery_task_id = ""
        tasks.pdf_report_generate.delay_on_commit(audit_id=job.audit_id)
    job.save(
        update_fields=["status", "error", "completed_at", "celery_task_id", "lease_expires_at"]
    )
    return job


@transaction.atomic
def pdf_job_complete(*, job_id: int, content: bytes, audit_revision: int) -> PdfJob:
    """Store the rendered PDF and mark the job completed for `audit_revision`."""
    job = PdfJob.objects.select_for_update().get(pk=job_id)
    previous = job.file.name if job.file else ""
    job.file.save(f"audit-{job.audit_id}-report.pdf", ContentFile(content), save=False)
    job.file_size = len(content)
    job.audit_revision = audit_revision
    job.status = PdfJob.Status.COMPLETED
    job.error = ""
    job.completed_at = timezone.now()
    job.lease_expires_at = None
    job.full_clean()
    job.save()
    if previous and previous != job.file.name:
        storage = job.file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return job


@transaction.atomic
def pdf_job_fail(*, job_id: int, error: str) -> None:
    """Mark the job failed with a message for the API; a new generation may then be requested."""
    PdfJob.objects.filter(pk=job_id).update(
        status=PdfJob.Status.FAILED, error=error, completed_at=timezone.now(), lease_expires_at=None
    )
