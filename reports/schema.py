"""OpenAPI descriptions of the audit operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from errors import catalog
from errors.schema import operation
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

audits_list = operation(
    tags=TAGS,
    operation_id="audits_list",
    parameters=[AuditListQuerySerializer],
    responses={
        200: OpenApiResponse(
            AuditSummaryOutputSerializer(many=True),
            description="The caller's audits, newest first.",
        )
    },
    validation=True,
)

audits_create = operation(
    tags=TAGS,
    operation_id="audits_create",
    request=AuditCreateInputSerializer,
    responses={
        201: OpenApiResponse(
            AuditOutputSerializer,
            description="The audit, pending: queued unless `run` is false; or the caller's "
            "queued or running audit of the same URL. `Location` names it.",
        )
    },
    errors=(catalog.MALFORMED_JSON, catalog.AUDIT_RUNNING_LIMIT),
    validation=True,
)

audits_retrieve = operation(
    tags=TAGS,
    operation_id="audits_retrieve",
    parameters=[AUDIT_ID_PARAMETER],
    responses={200: OpenApiResponse(AuditOutputSerializer, description="The audit.")},
    errors=OWNER_ERRORS,
    validation=True,
)

audits_results_update = operation(
    tags=TAGS,
    operation_id="audits_results_update",
    parameters=[AUDIT_ID_PARAMETER],
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
    responses={
        200: OpenApiResponse(
            AuditOutputSerializer, description="The audit with its results, completed."
        )
    },
    errors=(*OWNER_ERRORS, catalog.MALFORMED_JSON),
    validation=True,
)

audits_delete = operation(
    tags=TAGS,
    operation_id="audits_delete",
    parameters=[AUDIT_ID_PARAMETER],
    responses={204: OpenApiResponse(None, description="Deleted, with its PDF report and jobs.")},
    errors=OWNER_ERRORS,
    validation=True,
)

audits_rerun = operation(
    tags=TAGS,
    operation_id="audits_rerun",
    parameters=[AUDIT_ID_PARAMETER],
    request=None,
    responses={202: OpenApiResponse(AuditOutputSerializer, description="A new crawl is queued.")},
    errors=(*OWNER_ERRORS, catalog.AUDIT_RUNNING, catalog.AUDIT_RUNNING_LIMIT),
    validation=True,
)

audits_generate_pdf = operation(
    tags=TAGS,
    operation_id="audits_generate_pdf",
    parameters=[AUDIT_ID_PARAMETER, PdfGenerateQuerySerializer],
    request=None,
    responses={
        200: OpenApiResponse(
            PdfGenerateOutputSerializer, description="A current report already exists."
        ),
        202: OpenApiResponse(PdfGenerateOutputSerializer, description="Generation queued."),
    },
    errors=(
        *OWNER_ERRORS,
        catalog.AUDIT_NOT_COMPLETED,
        catalog.PDF_IN_PROGRESS,
        catalog.SERVICE_UNAVAILABLE,
    ),
    validation=True,
)

audits_pdf_status = operation(
    tags=TAGS,
    operation_id="audits_pdf_status",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(PdfStatusOutputSerializer, description="The audit's latest PDF job.")
    },
    errors=(*OWNER_ERRORS, catalog.PDF_FILE_MISSING),
    validation=True,
)

audits_download_pdf = operation(
    tags=TAGS,
    operation_id="audits_download_pdf",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        (200, "application/pdf"): OpenApiResponse(
            bytes, description="The PDF report, as an attachment."
        )
    },
    errors=(
        *OWNER_ERRORS,
        catalog.PDF_NOT_READY,
        catalog.PDF_FILE_MISSING,
        catalog.SERVICE_UNAVAILABLE,
    ),
    validation=True,
)
