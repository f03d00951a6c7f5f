"""Bodies of the routes the LatentGEO web app reads (its audit list, audit page and report)."""

from datetime import datetime

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from errors.fields import RecordedErrorField
from reports import audit_overview as overview
from reports.fix_plan import fix_plan_list
from reports.models import Audit, PdfJob
from reports.serializers import AuditIntakeInputSerializer

AUDIT_LIST_MAX_LIMIT = 500
PDF_STATUSES = [overview.PDF_STATUS_IDLE, *PdfJob.Status.values]
# What the list's rows and the audit page both open with.
AUDIT_HEAD_FIELDS = ["id", "url", "domain", "status", "progress", "created_at"]


class ChatConfigInputSerializer(AuditIntakeInputSerializer):
    audit_id = serializers.IntegerField()


class ChatConfigOutputSerializer(serializers.Serializer):
    role = serializers.CharField(default="assistant")
    content = serializers.CharField()


class AuditListQueryInputSerializer(serializers.Serializer):
    skip = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=AUDIT_LIST_MAX_LIMIT, default=100)


class AuditStatusPathInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Audit.Status.values)


class AuditSummaryOutputSerializer(serializers.ModelSerializer):
    domain = serializers.SerializerMethodField()
    completed_at = serializers.SerializerMethodField()
    geo_score = serializers.SerializerMethodField()
    total_pages = serializers.SerializerMethodField()
    pagespeed_status = serializers.SerializerMethodField()
    pdf_status = serializers.SerializerMethodField()

    class Meta:
        model = Audit
        fields = [
            *AUDIT_HEAD_FIELDS,
            "completed_at",
            "geo_score",
            "total_pages",
            "pagespeed_status",
            "pdf_status",
        ]

    def get_domain(self, audit: Audit) -> str:
        return overview.audit_domain(url=audit.url)

    def get_completed_at(self, audit: Audit) -> datetime | None:
        return overview.audit_completed_at(audit=audit)

    def get_geo_score(self, audit: Audit) -> int | None:
        return overview.audit_geo_score(audit=audit)

    def get_total_pages(self, audit: Audit) -> int:
        return overview.audit_total_pages(audit=audit)

    @extend_schema_field(serializers.ChoiceField(choices=["idle"]))
    def get_pagespeed_status(self, audit: Audit) -> str:
        # PageSpeed is not measured by this service.
        return "idle"

    @extend_schema_field(serializers.ChoiceField(choices=PDF_STATUSES))
    def get_pdf_status(self, audit: Audit) -> str:
        return overview.audit_pdf_status(audit=audit)


class AuditProgressOutputSerializer(AuditSummaryOutputSerializer):
    audit_id = serializers.IntegerField(source="pk")
    error_message = RecordedErrorField(source="error", read_only=True)

    class Meta(AuditSummaryOutputSerializer.Meta):
        fields = [*AuditSummaryOutputSerializer.Meta.fields, "audit_id", "error_message"]


@extend_schema_serializer(component_name="Diagnostic")
class DiagnosticOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=["critical", "high", "medium", "low"])


class AuditOverviewOutputSerializer(AuditProgressOutputSerializer):
    started_at = serializers.SerializerMethodField()
    critical_issues = serializers.SerializerMethodField()
    high_issues = serializers.SerializerMethodField()
    medium_issues = serializers.SerializerMethodField()
    competitor_count = serializers.SerializerMethodField()
    fix_plan_count = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    intake_profile = serializers.SerializerMethodField()
    diagnostics_summary = serializers.SerializerMethodField()
    report_ready = serializers.SerializerMethodField()
    pagespeed_available = serializers.SerializerMethodField()
    pdf_available = serializers.SerializerMethodField()
    external_intelligence = serializers.SerializerMethodField()

    class Meta(AuditSummaryOutputSerializer.Meta):
        fields = [
            *AUDIT_HEAD_FIELDS,
            "started_at",
            "completed_at",
            "geo_score",
            "total_pages",
            "critical_issues",
            "high_issues",
            "medium_issues",
            "competitor_count",
            "fix_plan_count",
            "source",
            "language",
            "category",
            "market",
            "intake_profile",
            "error_message",
            "diagnostics_summary",
            "report_ready",
            "pagespeed_available",
            "pdf_available",
            "external_intelligence",
        ]

    def get_started_at(self, audit: Audit) -> datetime | None:
        return overview.audit_started_at(audit=audit)

    def _counts(self, audit: Audit) -> dict[str, int]:
        return overview.audit_finding_counts(audit=audit)

    def get_critical_issues(self, audit: Audit) -> int:
        return self._counts(audit)["critical"]

    def get_high_issues(self, audit: Audit) -> int:
        return self._counts(audit)["high"]

    def get_medium_issues(self, audit: Audit) -> int:
        return self._counts(audit)["medium"]

    def get_competitor_count(self, audit: Audit) -> int:
        return len(audit.competitors or [])

    def get_fix_plan_count(self, audit: Audit) -> int:
        return len(fix_plan_list(audit=audit))

    def get_category(self, audit: Audit) -> str | None:
        # The intake form's business category is not asked by this service.
        return None

    @extend_schema_field(serializers.DictField())
    def get_intake_profile(self, audit: Audit) -> dict:
        return overview.audit_intake_profile(audit=audit)

    @extend_schema_field(DiagnosticOutputSerializer(many=True))
    def get_diagnostics_summary(self, audit: Audit) -> list[dict]:
        return overview.audit_diagnostics_summary(audit=audit)

    def get_report_ready(self, audit: Audit) -> bool:
        return overview.audit_results_ready(audit=audit)

    def get_pagespeed_available(self, audit: Audit) -> bool:
        return False

    def get_pdf_available(self, audit: Audit) -> bool:
        return overview.audit_pdf_available(audit=audit)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_external_intelligence(self, audit: Audit) -> None:
        return None


class AuditPageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    path = serializers.CharField()
    overall_score = serializers.IntegerField(allow_null=True)
    h1_score = serializers.IntegerField(allow_null=True)
    structure_score = serializers.IntegerField(allow_null=True)
    content_score = serializers.IntegerField(allow_null=True)
    eeat_score = serializers.IntegerField(allow_null=True)
    schema_score = serializers.IntegerField(allow_null=True)
    critical_issues = serializers.IntegerField()
    high_issues = serializers.IntegerField()
    medium_issues = serializers.IntegerField()
    low_issues = serializers.IntegerField()


@extend_schema_serializer(component_name="FixPlanItem")
class FixPlanItemOutputSerializer(serializers.Serializer):
    issue = serializers.CharField(help_text="The finding's code, or its title when it has none.")
    title = serializers.CharField()
    description = serializers.CharField()
    priority = serializers.CharField(
        help_text="The finding's severity: critical, high, medium or low."
    )
    recommendations = serializers.ListField(child=serializers.CharField())
    steps = serializers.ListField(child=serializers.CharField())
    files = serializers.ListField(child=serializers.CharField())
    page_url = serializers.CharField(required=False)
    code = serializers.CharField()


class FixPlanOutputSerializer(serializers.Serializer):
    fix_plan = FixPlanItemOutputSerializer(many=True)


class MarkdownReportOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    markdown = serializers.CharField()
    created_at = serializers.DateTimeField(
        help_text="When the audit completed, or last changed when that is not known."
    )


class AuditReportOutputSerializer(serializers.Serializer):
    report_markdown = serializers.CharField()


@extend_schema_serializer(component_name="PdfError")
class PdfErrorOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ArtifactsStatusOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    pdf_status = serializers.ChoiceField(choices=PDF_STATUSES)
    pdf_job_id = serializers.IntegerField(allow_null=True)
    pdf_available = serializers.BooleanField()
    pdf_report_id = serializers.IntegerField(
        allow_null=True, help_text="The PDF job whose file is ready; null while none is."
    )
    pdf_waiting_on = serializers.CharField(
        allow_null=True, help_text="Always null: a PDF job waits on no other job."
    )
    pdf_dependency_job_id = serializers.IntegerField(allow_null=True, help_text="Always null.")
    pdf_warnings = serializers.ListField(child=serializers.CharField())
    pdf_error = PdfErrorOutputSerializer(allow_null=True)
    pdf_started_at = serializers.DateTimeField(allow_null=True)
    pdf_completed_at = serializers.DateTimeField(allow_null=True)
    pdf_retry_after_seconds = serializers.IntegerField(
        allow_null=True,
        help_text="While the job is queued or running, when to ask again; else null.",
    )
    pdf_message = serializers.CharField()
    pagespeed_status = serializers.ChoiceField(choices=["idle"])
    pagespeed_available = serializers.BooleanField()
    pagespeed_warnings = serializers.ListField(child=serializers.CharField())
