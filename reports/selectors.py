"""Reads of audits and their PDF jobs; ownership is enforced here."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from authn.ownership import owned_by, owner_matches
from errors import catalog
from errors.exceptions import ApiError
from reports.models import Audit, PdfJob


def audit_list_for_owner(*, user: Auth0User) -> QuerySet[Audit]:
    """The caller's audits, newest first: owned by its `sub` or by its email."""
    return Audit.objects.filter(owned_by(user))


def audit_for_owner(*, audit_id: int, user: Auth0User) -> Audit:
    """The audit `audit_id` when the caller owns it; 404 when absent, 403 when not owned."""
    audit = Audit.objects.filter(pk=audit_id).first()
    if audit is None:
        raise ApiError(catalog.AUDIT_NOT_FOUND)
    if not owner_matches(
        user=user, owner_user_id=audit.owner_user_id, owner_email=audit.owner_email
    ):
        raise ApiError(catalog.AUDIT_NOT_OWNED)
    return audit


def pdf_job_for_audit(*, audit: Audit) -> PdfJob:
    """The audit's current PDF job; 404 when no PDF was ever requested."""
    job = PdfJob.objects.filter(audit=audit).first()
    if job is None:
        raise ApiError(catalog.PDF_FILE_MISSING)
    return job


def pdf_report_for_download(*, audit: Audit) -> PdfJob:
    """The audit's finished PDF job; 400 while not completed, 404 when there is no file."""
    job = pdf_job_for_audit(audit=audit)
    if job.status != PdfJob.Status.COMPLETED:
        raise ApiError(catalog.PDF_NOT_READY, status=job.status)
    if not job.file or not job.file.storage.exists(job.file.name):
        raise ApiError(catalog.PDF_FILE_MISSING)
    return job


def pdf_job_is_current(*, job: PdfJob, audit: Audit) -> bool:
    """True when the job holds a finished report of the audit's latest results."""
    return (
        job.status == PdfJob.Status.COMPLETED
        and job.audit_revision == audit.results_revision
        and bool(job.file)
        and job.file.storage.exists(job.file.name)
    )
