"""Reads of audits and their PDF jobs; ownership is enforced here."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from authn.ownership import owned_by, owned_row_get
from errors import catalog
from errors.exceptions import ApiError
from errors.validation import path_int
from reports.models import Audit, PdfJob

logger = logging.getLogger(__name__)


def audit_list_for_owner(*, user: Auth0User, status: str | None = None) -> QuerySet[Audit]:
    """The caller's audits, newest first: owned by its `sub` or by its email; in `status`."""
    audits = Audit.objects.filter(owned_by(user))
    return audits.filter(status=status) if status is not None else audits


def audit_get_for_owner(*, audit_id: int, user: Auth0User) -> Audit:
    """The audit `audit_id` when the caller owns it; 404 when absent, 403 when not owned."""
    return owned_row_get(
        Audit.objects,
        pk=audit_id,
        user=user,
        not_found=catalog.AUDIT_NOT_FOUND,
        not_owned=catalog.AUDIT_NOT_OWNED,
    )


def audit_get_from_path(*, audit_id: str, user: Auth0User) -> Audit:
    """The audit the `audit_id` segment of a URL names, when the caller owns it."""
    return audit_get_for_owner(audit_id=path_int("audit_id", audit_id), user=user)


def pdf_job_get(*, audit: Audit) -> PdfJob:
    """The audit's current PDF job; 404 when no PDF was ever requested."""
    job = PdfJob.objects.filter(audit=audit).first()
    if job is None:
        raise ApiError(catalog.PDF_FILE_MISSING)
    return job


def pdf_report_get(*, audit: Audit) -> PdfJob:
    """The audit's finished PDF job; 400 while not completed, 404 when there is no file."""
    job = pdf_job_get(audit=audit)
    if job.status != PdfJob.Status.COMPLETED:
        raise ApiError(catalog.PDF_NOT_READY, status=job.status)
    if not _report_file_exists(job):
        raise ApiError(catalog.PDF_FILE_MISSING)
    return job


def pdf_report_open(*, job: PdfJob) -> File:
    """The job's report file, open for reading; 503 while the storage does not answer."""
    with _storage_answering(job):
        return job.file.open("rb")


def pdf_job_is_current(*, job: PdfJob, audit: Audit) -> bool:
    """True when the job holds a finished report of the audit's latest results."""
    return (
        job.status == PdfJob.Status.COMPLETED
        and job.audit_revision == audit.results_revision
        and _report_file_exists(job)
    )


def _report_file_exists(job: PdfJob) -> bool:
    if not job.file:
        return False
    with _storage_answering(job):
        return job.file.storage.exists(job.file.name)


@contextmanager
def _storage_answering(job: PdfJob) -> Iterator[None]:
    # Reports may sit in a bucket (django-storages): a store that fails or times out is a
    # 503 the client retries, not a 500.
    try:
        yield
    except (OSError, BotoCoreError, ClientError) as exc:
        logger.warning(
            "report_storage_unavailable", extra={"job_id": job.pk, "reason": type(exc).__name__}
        )
        raise ApiError(catalog.SERVICE_UNAVAILABLE) from exc
