"""A PDF job as the worker runs it: claim, lease renewal, completion and failure."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from errors.apis import LATENTGEO_PREFIX
from notifications.models import PDF_READY
from notifications.services import audit_event_emit
from reports.models import PdfJob
from reports.states import PDF_JOB
from rows.saving import row_save

logger = logging.getLogger(__name__)

WORKER_LOST_MESSAGE = (
    "PDF rendering stopped: its worker was lost too many times. Request a new PDF to try again."
)


def _lease_end():
    # When a lease taken or renewed now lapses.
    return timezone.now() + timedelta(seconds=settings.PDF_JOB_LEASE_SECONDS)


@transaction.atomic
def pdf_job_claim(*, audit_id: int, claimable: tuple[str, ...], task_id: str) -> PdfJob | None:
    """Move the audit's job from one of `claimable` to running; None when nothing to do.

    A job already started `PDF_JOB_MAX_ATTEMPTS` times is marked failed instead.
    """
    jobs = PdfJob.objects.filter(audit_id=audit_id)
    claimed = PDF_JOB.move_rows(
        jobs.filter(attempts__lt=settings.PDF_JOB_MAX_ATTEMPTS),
        sources=claimable,
        target=PdfJob.Status.RUNNING,
        started_at=timezone.now(),
        completed_at=None,
        error="",
        celery_task_id=task_id,
        attempts=F("attempts") + 1,
        lease_expires_at=_lease_end(),
    )
    if not claimed:
        if PDF_JOB.move_rows(
            jobs,
            sources=claimable,
            target=PdfJob.Status.FAILED,
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


@transaction.atomic
def pdf_job_complete(*, job_id: int, content: bytes, audit_revision: int) -> PdfJob:
    """Store the rendered PDF and mark the job completed for `audit_revision`."""
    job = PdfJob.objects.select_for_update().select_related("audit").get(pk=job_id)
    previous = job.file.name if job.file else ""
    job.file.save(f"audit-{job.audit_id}-report.pdf", ContentFile(content), save=False)
    job.file_size = len(content)
    job.audit_revision = audit_revision
    PDF_JOB.move(job, target=PdfJob.Status.COMPLETED)
    job.error = ""
    job.completed_at = timezone.now()
    job.lease_expires_at = None
    row_save(job)
    if previous and previous != job.file.name:
        storage = job.file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    audit_event_emit(
        audit=job.audit,
        event=PDF_READY,
        data={
            "job_id": job.pk,
            "file_size": job.file_size,
            "download_path": f"{LATENTGEO_PREFIX}audits/{job.audit_id}/download-pdf",
            "completed_at": job.completed_at.isoformat(),
        },
    )
    return job


@transaction.atomic
def pdf_job_fail(*, job_id: int, error: str) -> None:
    """Mark the job failed with a message for the API; a new generation may then be requested."""
    PDF_JOB.move_rows(
        PdfJob.objects.filter(pk=job_id),
        target=PdfJob.Status.FAILED,
        error=error,
        completed_at=timezone.now(),
        lease_expires_at=None,
    )
