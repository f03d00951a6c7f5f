"""OpenAPI descriptions of the audit operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from errors import catalog
from errors.schema import answer, operation_group
from reports.serializers import (
    AuditCreateInputSerializer,
    AuditOutputSerializer,
    AuditResultsInputSerializer,
    PdfGenerateOutputSerializer,
    PdfGenerateQuerySerializer,
    PdfStatusOutputSerializer,
)
from reports.webapp_serializers import AuditListQuerySerializer, AuditSummaryOutputSerializer

TAGS = ["latentgeo-audits"]
AUDIT_ID_PARAMETER = OpenApiParameter("audit_id", int, OpenApiParameter.PATH)
OWNER_ERRORS = (catalog.AUDIT_NOT_FOUND, catalog.AUDIT_NOT_OWNED)
# Operations on the caller's audits, and on the one audit of theirs the path names.
audits_operation = operation_group(tags=TAGS, validation=True)
audit_operation = operation_group(
    tags=TAGS, parameters=[AUDIT_ID_PARAMETER], errors=OWNER_ERRORS, validation=True
)

audits_list = audits_operation(
    operation_id="audits_list",
    parameters=[AuditListQuerySerializer],
    responses=answer(
        200, AuditSummaryOutputSerializer(many=True), "The caller's audits, newest first."
    ),
)

audits_create = audits_operation(
    operation_id="audits_create",
    request=AuditCreateInputSerializer,
    responses=answer(
        201,
        AuditOutputSerializer,
        "The audit, pending: queued unless `run` is false; or the caller's "
        "queued or running audit of the same URL. `Location` names it.",
    ),
    errors=(catalog.MALFORMED_JSON, catalog.AUDIT_RUNNING_LIMIT),
)

audits_retrieve = audit_operation(
    operation_id="audits_retrieve",
    responses=answer(200, AuditOutputSerializer, "The audit."),
)

audits_results_update = audit_operation(
    operation_id="audits_results_update",
    request=AuditResultsInputSerializer,
    examples=[
        OpenApiExample(
            "results",
            request_only=True,
            value={
                "results": {
                    "summary": "Solid base; metadata needs work.",
                    "scores": {"seo": 72, "performance": 91},
                    "findings": [
                        {
                            "severity": "high",
                            "title": "Missing meta descriptions",
                            "description": "Many pages have no meta description.",
                            "recommendation": "Write unique descriptions for the top pages.",
                            "url": "https://shop.example.com/",
                        }
                    ],
                }
            },
        )
    ],
    responses=answer(200, AuditOutputSerializer, "The audit with its results, completed."),
    errors=(catalog.MALFORMED_JSON,),
)

audits_delete = audit_operation(
    operation_id="audits_delete",
    responses=answer(204, None, "Deleted, with its PDF report and jobs."),
)

audits_rerun = audit_operation(
    operation_id="audits_rerun",
    request=None,
    responses=answer(202, AuditOutputSerializer, "A new crawl is queued."),
    errors=(catalog.AUDIT_RUNNING, catalog.AUDIT_RUNNING_LIMIT),
)

audits_generate_pdf = audit_operation(
    operation_id="audits_generate_pdf",
    parameters=[PdfGenerateQuerySerializer],
    request=None,
    responses={
        **answer(200, PdfGenerateOutputSerializer, "A current report already exists."),
        **answer(202, PdfGenerateOutputSerializer, "Generation queued."),
    },
    errors=(catalog.AUDIT_NOT_COMPLETED, catalog.PDF_IN_PROGRESS, catalog.SERVICE_UNAVAILABLE),
)

audits_pdf_status = audit_operation(
    operation_id="audits_pdf_status",
    responses=answer(200, PdfStatusOutputSerializer, "The audit's latest PDF job."),
    errors=(catalog.PDF_FILE_MISSING,),
)

audits_download_pdf = audit_operation(
    operation_id="audits_download_pdf",
    responses=answer((200, "application/pdf"), bytes, "The PDF report, as an attachment."),
    errors=(catalog.PDF_NOT_READY, catalog.PDF_FILE_MISSING, catalog.SERVICE_UNAVAILABLE),
)
