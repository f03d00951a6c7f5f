"""Bodies of the audit and PDF report API."""

from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from audit_engine.crawler import DEFAULT_MAX_PAGES, MAX_PAGES_LIMIT
from errors.fields import RecordedErrorField
from reports import audit_runs
from reports import results_limits as limits
from reports.models import Audit, PdfJob


class WebUrlField(serializers.URLField):
    """An http or https URL."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=2048, **kwargs)
        # Only web pages are audited: the URL field's own validator also accepts ftp.
        web_url = URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"])
        self.validators = [
            *(v for v in self.validators if not isinstance(v, URLValidator)),
            web_url,
        ]


@extend_schema_serializer(component_name="Finding")
class FindingInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, required=False)
    severity = serializers.ChoiceField(choices=["critical", "high", "medium", "low"])
    title = serializers.CharField(max_length=limits.MAX_FINDING_FIELD_CHARS)
    description = serializers.CharField(max_length=limits.MAX_FINDING_TEXT_CHARS)
    recommendation = serializers.CharField(max_length=limits.MAX_FINDING_TEXT_CHARS)
    url = WebUrlField(required=False)


@extend_schema_serializer(component_name="Results")
class ResultsInputSerializer(serializers.Serializer):
    summary = serializers.CharField(
        max_length=limits.MAX_SUMMARY_CHARS, required=False, allow_blank=True
    )
    scores = limits.ScoresField(allow_empty=True)
    findings = FindingInputSerializer(many=True, max_length=limits.MAX_FINDINGS)


@extend_schema_serializer(component_name="EngineFinding")
class EngineFindingOutputSerializer(FindingInputSerializer):
    pages = serializers.ListField(child=serializers.URLField(), required=False)
    page_count = serializers.IntegerField(required=False)
    count = serializers.IntegerField(required=False)
    names = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(component_name="AuditedPage")
class AuditedPageOutputSerializer(serializers.Serializer):
    url = serializers.URLField()
    status = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    scores = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    findings = serializers.ListField(child=serializers.CharField(), required=False)
    error = serializers.CharField(required=False)


# Named here, or it would take its parent's component name, "Results".
@extend_schema_serializer(component_name="AuditResultsOutput")
class AuditResultsOutputSerializer(ResultsInputSerializer):
    findings = EngineFindingOutputSerializer(many=True)
    pages = AuditedPageOutputSerializer(many=True, required=False)


class AuditOutputSerializer(serializers.ModelSerializer):
    results = serializers.SerializerMethodField()
    error = RecordedErrorField(read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "url",
            "status",
            "max_pages",
            "progress",
            "pages_crawled",
            "error",
            "results",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(AuditResultsOutputSerializer(allow_null=True))
    def get_results(self, audit: Audit) -> dict | None:
        return audit.results or None


class PdfStatusOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    job_id = serializers.IntegerField(source="pk")
    status = serializers.ChoiceField(choices=PdfJob.Status.choices)
    download_ready = serializers.SerializerMethodField()
    error = RecordedErrorField(read_only=True)
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    file_size = serializers.IntegerField(allow_null=True)

    def get_download_ready(self, job: PdfJob) -> bool:
        return job.status == PdfJob.Status.COMPLETED and bool(job.file)


class PdfGenerateOutputSerializer(PdfStatusOutputSerializer):
    message = serializers.SerializerMethodField()

    def get_message(self, job: PdfJob) -> str:
        return self.context["message"]


class AuditIntakeInputSerializer(serializers.Serializer):
    """The web app's intake fields, stored on the audit (other extra fields are ignored)."""

    language = serializers.CharField(max_length=16, required=False, allow_blank=True)
    competitors = serializers.ListField(
        child=serializers.CharField(max_length=2048), max_length=20, required=False
    )
    market = serializers.CharField(max_length=100, required=False, allow_blank=True)


class AuditCreateInputSerializer(AuditIntakeInputSerializer):
    url = WebUrlField()
    max_pages = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGES_LIMIT, default=DEFAULT_MAX_PAGES
    )
    run = serializers.BooleanField(default=True)
    source = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        if attrs["run"]:
            refusal = audit_runs.audit_target_refusal(url=attrs["url"])
            if refusal:
                raise serializers.ValidationError(
                    {"url": [f"The audit may not fetch this URL: {refusal}."]}, code="invalid"
                )
        return attrs


class AuditResultsInputSerializer(serializers.Serializer):
    results = ResultsInputSerializer()


class PdfGenerateQueryInputSerializer(serializers.Serializer):
    force = serializers.BooleanField(required=False, default=False)
