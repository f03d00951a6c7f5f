"""OpenAPI descriptions of the routes the web app reads; errors of their classes are derived.

Routes served twice under two names (summary/overview, status/progress, issues/fix_plan) get
their operation ids from their paths.
"""

from drf_spectacular.utils import OpenApiParameter

from errors import catalog
from errors.schema import answer
from reports import webapp_serializers
from reports.models import Audit
from reports.schema import OWNER_ERRORS, audit_operation, audits_operation

audits_chat_config = audits_operation(
    operation_id="audits_chat_config",
    request=webapp_serializers.ChatConfigInputSerializer,
    responses=answer(
        webapp_serializers.ChatConfigOutputSerializer,
        '"Configuration saved. Audit queued." for a pending audit, else '
        '"This audit is already in progress or completed."',
        status=202,
    ),
    errors=(*OWNER_ERRORS, catalog.AUDIT_RUNNING_LIMIT),
)

audits_list_by_status = audits_operation(
    operation_id="audits_list_by_status",
    parameters=[OpenApiParameter("status", str, OpenApiParameter.PATH, enum=Audit.Status.values)],
    responses=answer(
        webapp_serializers.AuditSummaryOutputSerializer(many=True),
        "The caller's audits in that status, newest first.",
    ),
)

audits_overview = audit_operation(
    responses=answer(
        webapp_serializers.AuditOverviewOutputSerializer, "The audit page's overview."
    ),
)

audits_progress = audit_operation(
    responses=answer(webapp_serializers.AuditProgressOutputSerializer, "Status and progress."),
)

audits_pages = audit_operation(
    operation_id="audits_pages",
    responses=answer(
        webapp_serializers.AuditPageOutputSerializer(many=True),
        "The pages of the latest completed run (empty before one completes).",
    ),
)

audits_fix_plan = audit_operation(
    description=(
        "Site-wide findings name the site file that fixes them (such as `robots.txt`); page "
        "findings name the paths of the pages where they were found, each with its own step."
    ),
    responses=answer(
        webapp_serializers.FixPlanOutputSerializer, "One item per finding, most severe first."
    ),
    errors=(catalog.FIX_PLAN_NOT_READY,),
)

reports_markdown = audit_operation(
    operation_id="reports_markdown",
    description=(
        "What the PDF report shows (scores, findings by severity with their recommendations, "
        "the pages crawled), without generating a PDF: ready once a run completes."
    ),
    responses=answer(
        webapp_serializers.MarkdownReportOutputSerializer,
        "The report of the latest completed run, in Markdown.",
    ),
    errors=(catalog.MARKDOWN_REPORT_NOT_READY,),
)

audits_report = audit_operation(
    operation_id="audits_report",
    responses=answer(
        webapp_serializers.AuditReportOutputSerializer, "The Markdown report of the latest run."
    ),
    errors=(catalog.AUDIT_REPORT_NOT_READY,),
)

audits_artifacts_status = audit_operation(
    operation_id="audits_artifacts_status",
    responses=answer(
        webapp_serializers.ArtifactsStatusOutputSerializer,
        "The PDF job's state (PageSpeed is not measured: always idle).",
    ),
)
