"""Writes of audits and PDF jobs."""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from authn.auth0_user import Auth0User
from errors import catalog
from errors.exceptions import ApiError
from reports import tasks
from reports.models import Audit, PdfJob
from reports.selectors import pdf_job_is_current

PDF_RETRY_AFTER_SECONDS = 10


@dataclass(frozen=True)
class PdfJobRequest:
    job: PdfJob
    queued: bool


@transaction.atomic
def audit_create(*, url: str, user: Auth0User, max_pages: int = 50) -> Audit:
    """A new pending audit of `url` owned by the caller, waiting for results by PATCH."""
    audit = Audit(
        url=url,
        max_pages=max_pages,
        owner_user_id=user.sub,
        owner_email=(user.email or "").lower(),
    )
    audit.full_clean()
    audit.save()
    return audit


@transaction.atomic
def audit_results_update(*, audit_id: int, results: dict) -> Audit:
    """Store new results; the audit becomes completed and any earlier PDF becomes outdated."""
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    audit.results = results
    audit.status = Audit.Status.COMPLETED
    audit.error = ""
    audit.results_revision += 1
    # Outside results win: a crawl of this audit still running sees a newer generation and stops.
    audit.run_generation += 1
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
    if job is not None and job.status in PdfJob.IN_PROGRESS:
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


@transaction.atomic
def pdf_job_claim(*, audit_id: int, claimable: tuple[str, ...], task_id: str) -> PdfJob | None:
    """Move the audit's job from one of `claimable` to running; None when nothing to do."""
    claimed = PdfJob.objects.filter(audit_id=audit_id, status__in=claimable).update(
        status=PdfJob.Status.RUNNING,
        started_at=timezone.now(),
        completed_at=None,
        error="",
        celery_task_id=task_id,
    )
    if not claimed:
        return None
    return PdfJob.objects.get(audit_id=audit_id)


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
        status=PdfJob.Status.FAILED, error=error, completed_at=timezone.now()
    )
