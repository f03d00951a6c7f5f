"""The audit routes the LatentGEO web app reads: list by status, overview, progress, pages,
fix plan, the Markdown report, artifacts status and the intake configuration."""

from rest_framework import status
from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from errors import catalog
from errors.validation import body_validate, path_validate
from reports import audit_runs, webapp_schema
from reports.artifacts_status import audit_artifacts_status
from reports.audit_overview import audit_completed_at, audit_list_with_run_times
from reports.audit_pages import audit_page_list
from reports.audit_view import AuditView
from reports.fix_plan import fix_plan_get
from reports.markdown_report import markdown_report_build
from reports.selectors import audit_get_for_owner, audit_list_for_owner
from reports.webapp_serializers import (
    ArtifactsStatusOutputSerializer,
    AuditOverviewOutputSerializer,
    AuditPageOutputSerializer,
    AuditProgressOutputSerializer,
    AuditReportOutputSerializer,
    AuditStatusPathInputSerializer,
    AuditSummaryOutputSerializer,
    ChatConfigInputSerializer,
    ChatConfigOutputSerializer,
    FixPlanOutputSerializer,
    MarkdownReportOutputSerializer,
)


class AuditChatConfigView(LatentgeoView):
    @webapp_schema.audits_chat_config
    def post(self, request):
        data = body_validate(ChatConfigInputSerializer, request)
        audit = audit_get_for_owner(audit_id=data.pop("audit_id"), user=request.user)
        reply = audit_runs.audit_configure(audit_id=audit.pk, user=request.user, intake=data)
        body = ChatConfigOutputSerializer({"role": "assistant", "content": reply}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class AuditStatusListView(LatentgeoView):
    @webapp_schema.audits_list_by_status
    def get(self, request, status: str):
        wanted = path_validate(AuditStatusPathInputSerializer, status=status)["status"]
        audits = audit_list_with_run_times(
            audits=audit_list_for_owner(user=request.user, status=wanted)
        )
        return Response(AuditSummaryOutputSerializer(audits, many=True).data)


class AuditOverviewView(AuditView):
    @webapp_schema.audits_overview
    def get(self, request, **kwargs):
        return Response(AuditOverviewOutputSerializer(self.audit).data)


class AuditProgressView(AuditView):
    @webapp_schema.audits_progress
    def get(self, request, **kwargs):
        return Response(AuditProgressOutputSerializer(self.audit).data)


class AuditPagesView(AuditView):
    @webapp_schema.audits_pages
    def get(self, request, **kwargs):
        pages = audit_page_list(audit=self.audit)
        return Response(AuditPageOutputSerializer(pages, many=True).data)


class AuditFixPlanView(AuditView):
    @webapp_schema.audits_fix_plan
    def get(self, request, **kwargs):
        return Response(FixPlanOutputSerializer({"fix_plan": fix_plan_get(audit=self.audit)}).data)


class MarkdownReportView(AuditView):
    @webapp_schema.reports_markdown
    def get(self, request, **kwargs):
        body = {
            "audit_id": self.audit.pk,
            "markdown": markdown_report_build(audit=self.audit),
            "created_at": audit_completed_at(audit=self.audit) or self.audit.updated_at,
        }
        return Response(MarkdownReportOutputSerializer(body).data)


class AuditReportView(AuditView):
    @webapp_schema.audits_report
    def get(self, request, **kwargs):
        markdown = markdown_report_build(audit=self.audit, not_ready=catalog.AUDIT_REPORT_NOT_READY)
        return Response(AuditReportOutputSerializer({"report_markdown": markdown}).data)


class AuditArtifactsStatusView(AuditView):
    @webapp_schema.audits_artifacts_status
    def get(self, request, **kwargs):
        artifacts = audit_artifacts_status(audit=self.audit)
        return Response(ArtifactsStatusOutputSerializer(artifacts).data)
