"""OpenAPI descriptions of the routes the web app reads; errors of their classes are derived.

Routes served twice under two names (summary/overview, status/progress, issues/fix_plan) get
their operation ids from their paths.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from errors import catalog
from errors.schema import operation
from reports.models import Audit
from reports.schema import AUDIT_ID_PARAMETER, OWNER_ERRORS, TAGS
from reports.webapp_serializers import (
    ArtifactsStatusOutputSerializer,
    AuditOverviewOutputSerializer,
    AuditPageOutputSerializer,
    AuditProgressOutputSerializer,
    AuditReportOutputSerializer,
    AuditSummaryOutputSerializer,
    ChatConfigInputSerializer,
    ChatConfigOutputSerializer,
    FixPlanOutputSerializer,
    MarkdownReportOutputSerializer,
)

audits_chat_config = operation(
    tags=TAGS,
    operation_id="audits_chat_config",
    request=ChatConfigInputSerializer,
    responses={
        202: OpenApiResponse(
            ChatConfigOutputSerializer,
            description='"Configuration saved. Audit queued." for a pending audit, else '
            '"This audit is already in progress or completed."',
        )
    },
    errors=(*OWNER_ERRORS, catalog.MALFORMED_JSON, catalog.AUDIT_RUNNING_LIMIT),
    validation=True,
)

audits_list_by_status = operation(
    tags=TAGS,
    operation_id="audits_list_by_status",
    parameters=[OpenApiParameter("status", str, OpenApiParameter.PATH, enum=Audit.Status.values)],
    responses={
        200: OpenApiResponse(
            AuditSummaryOutputSerializer(many=True),
            description="The caller's audits in that status, newest first.",
        )
    },
    validation=True,
)

audits_overview = operation(
    tags=TAGS,
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            AuditOverviewOutputSerializer, description="The audit page's overview."
        )
    },
    errors=OWNER_ERRORS,
    validation=True,
)

audits_progress = operation(
    tags=TAGS,
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(AuditProgressOutputSerializer, description="Status and progress.")
    },
    errors=OWNER_ERRORS,
    validation=True,
)

audits_pages = operation(
    tags=TAGS,
    operation_id="audits_pages",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            AuditPageOutputSerializer(many=True),
            description="The pages of the latest completed run (empty before one completes).",
        )
    },
    errors=OWNER_ERRORS,
    validation=True,
)

audits_fix_plan = operation(
    tags=TAGS,
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            FixPlanOutputSerializer, description="One item per finding, most severe first."
        )
    },
    errors=(*OWNER_ERRORS, catalog.FIX_PLAN_NOT_READY),
    validation=True,
)

reports_markdown = operation(
    tags=TAGS,
    operation_id="reports_markdown",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            MarkdownReportOutputSerializer,
            description="The report of the latest completed run, in Markdown.",
        )
    },
    errors=(*OWNER_ERRORS, catalog.MARKDOWN_REPORT_NOT_READY),
    validation=True,
)

audits_report = operation(
    tags=TAGS,
    operation_id="audits_report",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            AuditReportOutputSerializer, description="The Markdown report of the latest run."
        )
    },
    errors=(*OWNER_ERRORS, catalog.AUDIT_REPORT_NOT_READY),
    validation=True,
)

audits_artifacts_status = operation(
    tags=TAGS,
    operation_id="audits_artifacts_status",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            ArtifactsStatusOutputSerializer,
            description="The PDF job's state (PageSpeed is not measured: always idle).",
        )
    },
    errors=OWNER_ERRORS,
    validation=True,
)
