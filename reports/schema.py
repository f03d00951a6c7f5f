"""OpenAPI descriptions of the audit operations; errors of their classes are derived."""

from collections.abc import Callable

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from errors import catalog
from errors.schema import answer, operation_group
from reports import serializers, webapp_serializers

TAGS = ["latentgeo-audits"]
AUDIT_ID_PARAMETER = OpenApiParameter("audit_id", int, OpenApiParameter.PATH)
OWNER_ERRORS = (catalog.AUDIT_NOT_FOUND, catalog.AUDIT_NOT_OWNED)


def audit_operation_group(tags: list[str]) -> Callable[..., Callable]:
    """`operation_group` of the operations on the one audit of the caller's the path names."""
    return operation_group(
        tags=tags, parameters=[AUDIT_ID_PARAMETER], errors=OWNER_ERRORS, validation=True
    )


# Operations on the caller's audits, and on the one audit of theirs the path names.
audits_operation = operation_group(tags=TAGS, validation=True)
audit_operation = audit_operation_group(TAGS)

audits_list = audits_operation(
    operation_id="audits_list",
    parameters=[webapp_serializers.AuditListQueryInputSerializer],
    responses=answer(
        webapp_serializers.AuditSummaryOutputSerializer(many=True),
        "The caller's audits, newest first.",
    ),
)

audits_create = audits_operation(
    operation_id="audits_create",
    request=serializers.AuditCreateInputSerializer,
    responses=answer(
        serializers.AuditOutputSerializer,
        "The audit, pending: queued unless `run` is false; or the caller's "
        "queued or running audit of the same URL. `Location` names it.",
        status=201,
    ),
    errors=(catalog.AUDIT_RUNNING_LIMIT,),
)

audits_retrieve = audit_operation(
    operation_id="audits_retrieve",
    responses=answer(serializers.AuditOutputSerializer, "The audit."),
)

audits_results_update = audit_operation(
    operation_id="audits_results_update",
    request=serializers.AuditResultsInputSerializer,
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
    responses=answer(serializers.AuditOutputSerializer, "The audit with its results, completed."),
)

audits_delete = audit_operation(
    operation_id="audits_delete",
    responses=answer(None, "Deleted, with its PDF report and jobs.", status=204),
)

audits_rerun = audit_operation(
    operation_id="audits_rerun",
    request=None,
    responses=answer(serializers.AuditOutputSerializer, "A new crawl is queued.", status=202),
    errors=(catalog.AUDIT_RUNNING, catalog.AUDIT_RUNNING_LIMIT),
)

audits_generate_pdf = audit_operation(
    operation_id="audits_generate_pdf",
    parameters=[serializers.PdfGenerateQueryInputSerializer],
    request=None,
    responses={
        **answer(serializers.PdfGenerateOutputSerializer, "A current report already exists."),
        **answer(serializers.PdfGenerateOutputSerializer, "Generation queued.", status=202),
    },
    errors=(catalog.AUDIT_NOT_COMPLETED, catalog.PDF_IN_PROGRESS, catalog.SERVICE_UNAVAILABLE),
)

audits_pdf_status = audit_operation(
    operation_id="audits_pdf_status",
    responses=answer(serializers.PdfStatusOutputSerializer, "The audit's latest PDF job."),
    errors=(catalog.PDF_FILE_MISSING,),
)

audits_download_pdf = audit_operation(
    operation_id="audits_download_pdf",
    responses=answer(bytes, "The PDF report, as an attachment.", status=(200, "application/pdf")),
    errors=(catalog.PDF_NOT_READY, catalog.PDF_FILE_MISSING, catalog.SERVICE_UNAVAILABLE),
)
