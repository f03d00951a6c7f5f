"""The state of an audit's artifacts as the web app polls it: the PDF job, and PageSpeed.

The PDF job maps one to one; PageSpeed is not measured by this service and stays `idle`.
"""

from reports.audit_overview import PDF_STATUS_IDLE, audit_pdf_available, audit_pdf_job
from reports.models import Audit, PdfJob
from reports.services import PDF_RETRY_AFTER_SECONDS

PDF_FAILED_CODE = "pdf_generation_failed"
PDF_OUTDATED_WARNING = "The PDF report was made from earlier results; generate it again."
PDF_MESSAGES = {
    PDF_STATUS_IDLE: "No PDF report has been requested.",
    PdfJob.Status.QUEUED: "PDF generation queued.",
    PdfJob.Status.RUNNING: "PDF generation in progress.",
    PdfJob.Status.COMPLETED: "The PDF report is ready.",
}


def audit_artifacts_status(*, audit: Audit) -> dict:
    """The artifacts-status body of the audit."""
    job = audit_pdf_job(audit=audit)
    status = job.status if job is not None else PDF_STATUS_IDLE
    available = audit_pdf_available(audit=audit)
    warnings = []
    if available and job.audit_revision != audit.results_revision:
        warnings.append(PDF_OUTDATED_WARNING)
    failed = status == PdfJob.Status.FAILED
    return {
        "audit_id": audit.pk,
        "updated_at": audit.updated_at,
        "pdf_status": status,
        "pdf_job_id": job.pk if job is not None else None,
        "pdf_available": available,
        "pdf_report_id": job.pk if available else None,
        "pdf_waiting_on": None,
        "pdf_dependency_job_id": None,
        "pdf_warnings": warnings,
        "pdf_error": {"code": PDF_FAILED_CODE, "message": job.error} if failed else None,
        "pdf_started_at": job.started_at if job is not None else None,
        "pdf_completed_at": job.completed_at if job is not None else None,
        "pdf_retry_after_seconds": (
            PDF_RETRY_AFTER_SECONDS if status in PdfJob.IN_PROGRESS else None
        ),
        "pdf_message": job.error if failed else PDF_MESSAGES[status],
        "pagespeed_status": "idle",
        "pagespeed_available": False,
        "pagespeed_warnings": [],
    }
