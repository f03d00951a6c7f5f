"""LatentGEO audit and PDF report endpoints."""

from django.core.validators import URLValidator
from django.http import FileResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.auth0_authentication import Auth0Authentication
from errors import catalog
from errors.openapi import latentgeo_responses
from errors.validation import body_validate, path_int, query_validate
from reports import audit_runs, services
from reports.models import Audit, PdfJob
from reports.rate_limits import audit_create_rate_check, pdf_generate_rate_check
from reports.selectors import (
    audit_for_owner,
    audit_list_for_owner,
    pdf_job_for_audit,
    pdf_report_for_download,
)

TAG = "latentgeo-audits"
AUTH_ERRORS = (catalog.AUTH0_MISSING_TOKEN, catalog.AUTH0_MALFORMED_TOKEN)
OWNER_ERRORS = (catalog.AUDIT_NOT_FOUND, catalog.AUDIT_NOT_OWNED)
AUDIT_ID_PARAMETER = OpenApiParameter("audit_id", int, OpenApiParameter.PATH)


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


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, required=False)
    severity = serializers.ChoiceField(choices=["critical", "high", "medium", "low"])
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=5000)
    recommendation = serializers.CharField(max_length=5000)
    url = WebUrlField(required=False)


class ResultsSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100), allow_empty=True
    )
    findings = FindingSerializer(many=True, max_length=500)


class EngineFindingSerializer(FindingSerializer):
    pages = serializers.ListField(child=serializers.URLField(), required=False)
    page_count = serializers.IntegerField(required=False)
    count = serializers.IntegerField(required=False)
    names = serializers.ListField(child=serializers.CharField(), required=False)


class AuditedPageSerializer(serializers.Serializer):
    url = serializers.URLField()
    status = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    scores = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    findings = serializers.ListField(child=serializers.CharField(), required=False)
    error = serializers.CharField(required=False)


class AuditResultsOutputSerializer(ResultsSerializer):
    findings = EngineFindingSerializer(many=True)
    pages = AuditedPageSerializer(many=True, required=False)


class AuditOutputSerializer(serializers.ModelSerializer):
    results = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

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

    def get_error(self, audit: Audit) -> str | None:
        return audit.error or None

    @extend_schema_field(AuditResultsOutputSerializer(allow_null=True))
    def get_results(self, audit: Audit) -> dict | None:
        return audit.results or None


class PdfStatusOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    job_id = serializers.IntegerField(source="pk")
    status = serializers.ChoiceField(choices=PdfJob.Status.choices)
    download_ready = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    file_size = serializers.IntegerField(allow_null=True)

    def get_download_ready(self, job: PdfJob) -> bool:
        return job.status == PdfJob.Status.COMPLETED and bool(job.file)

    def get_error(self, job: PdfJob) -> str | None:
        return job.error or None


class PdfGenerateOutputSerializer(PdfStatusOutputSerializer):
    message = serializers.SerializerMethodField()

    def get_message(self, job: PdfJob) -> str:
        return self.context["message"]


class AuditAuthenticatedView(APIView):
    authentication_classes = [Auth0Authentication]


class AuditListView(AuditAuthenticatedView):
    class InputSerializer(serializers.Serializer):
        url = WebUrlField()
        max_pages = serializers.IntegerField(min_value=1, max_value=200, default=50)
        run = serializers.BooleanField(default=True)

        def validate(self, attrs: dict) -> dict:
            if attrs["run"]:
                refusal = audit_runs.audit_target_refusal(url=attrs["url"])
                if refusal:
                    raise serializers.ValidationError(
                        {"url": [f"The audit may not fetch this URL: {refusal}."]}, code="invalid"
                    )
            return attrs

    @extend_schema(
        tags=[TAG],
        operation_id="audits_list",
        responses={
            200: OpenApiResponse(
                AuditOutputSerializer(many=True), description="The caller's audits."
            ),
            **latentgeo_responses(*AUTH_ERRORS),
        },
    )
    def get(self, request):
        audits = audit_list_for_owner(user=request.user)
        return Response(AuditOutputSerializer(audits, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="audits_create",
        request=InputSerializer,
        responses={
            201: OpenApiResponse(
                AuditOutputSerializer,
                description="The audit, pending: queued unless `run` is false.",
            ),
            **latentgeo_responses(
                *AUTH_ERRORS,
                catalog.MALFORMED_JSON,
                catalog.LATENTGEO_RATE_LIMITED,
                catalog.AUDIT_RUNNING_LIMIT,
                validation=True,
            ),
        },
    )
    def post(self, request):
        audit_create_rate_check(request=request)
        data = body_validate(self.InputSerializer, request)
        if data["run"]:
            audit = audit_runs.audit_run_start(
                url=data["url"], max_pages=data["max_pages"], user=request.user
            )
        else:
            audit = services.audit_create(
                url=data["url"], max_pages=data["max_pages"], user=request.user
            )
        return Response(AuditOutputSerializer(audit).data, status=status.HTTP_201_CREATED)


class AuditDetailView(AuditAuthenticatedView):
    class InputSerializer(serializers.Serializer):
        results = ResultsSerializer()

    @extend_schema(
        tags=[TAG],
        operation_id="audits_retrieve",
        parameters=[AUDIT_ID_PARAMETER],
        responses={
            200: OpenApiResponse(AuditOutputSerializer, description="The audit."),
            **latentgeo_responses(*AUTH_ERRORS, *OWNER_ERRORS, validation=True),
        },
    )
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        return Response(AuditOutputSerializer(audit).data)

    @extend_schema(
        tags=[TAG],
        operation_id="audits_results_update",
        parameters=[AUDIT_ID_PARAMETER],
        request=InputSerializer,
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
            ),
            **latentgeo_responses(
                *AUTH_ERRORS, *OWNER_ERRORS, catalog.MALFORMED_JSON, validation=True
            ),
        },
    )
    def patch(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        data = body_validate(self.InputSerializer, request)
        audit = services.audit_results_update(audit_id=audit.pk, results=data["results"])
        return Response(AuditOutputSerializer(audit).data)


class AuditRerunView(AuditAuthenticatedView):
    @extend_schema(
        tags=[TAG],
        operation_id="audits_rerun",
        parameters=[AUDIT_ID_PARAMETER],
        request=None,
        responses={
            202: OpenApiResponse(AuditOutputSerializer, description="A new crawl is queued."),
            **latentgeo_responses(
                *AUTH_ERRORS,
                *OWNER_ERRORS,
                catalog.AUDIT_RUNNING,
                catalog.AUDIT_RUNNING_LIMIT,
                validation=True,
            ),
        },
    )
    def post(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        audit = audit_runs.audit_rerun(audit_id=audit.pk, user=request.user)
        return Response(AuditOutputSerializer(audit).data, status=status.HTTP_202_ACCEPTED)


class AuditPdfGenerateView(AuditAuthenticatedView):
    class QuerySerializer(serializers.Serializer):
        force = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        tags=[TAG],
        operation_id="audits_generate_pdf",
        parameters=[AUDIT_ID_PARAMETER, QuerySerializer],
        request=None,
        responses={
            200: OpenApiResponse(
                PdfGenerateOutputSerializer, description="A current report already exists."
            ),
            202: OpenApiResponse(PdfGenerateOutputSerializer, description="Generation queued."),
            **latentgeo_responses(
                *AUTH_ERRORS,
                *OWNER_ERRORS,
                catalog.AUDIT_NOT_COMPLETED,
                catalog.PDF_IN_PROGRESS,
                catalog.LATENTGEO_RATE_LIMITED,
                validation=True,
            ),
        },
    )
    def post(self, request, audit_id: str):
        pdf_generate_rate_check(request=request)
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        query = query_validate(self.QuerySerializer, request)
        outcome = services.pdf_job_request(audit_id=audit.pk, force=query["force"])
        if outcome.queued:
            message, code = "PDF generation queued.", status.HTTP_202_ACCEPTED
        else:
            message, code = "The PDF report of the current results is ready.", status.HTTP_200_OK
        body = PdfGenerateOutputSerializer(outcome.job, context={"message": message}).data
        return Response(body, status=code)


class AuditPdfStatusView(AuditAuthenticatedView):
    @extend_schema(
        tags=[TAG],
        operation_id="audits_pdf_status",
        parameters=[AUDIT_ID_PARAMETER],
        responses={
            200: OpenApiResponse(
                PdfStatusOutputSerializer, description="The audit's latest PDF job."
            ),
            **latentgeo_responses(
                *AUTH_ERRORS, *OWNER_ERRORS, catalog.PDF_FILE_MISSING, validation=True
            ),
        },
    )
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        return Response(PdfStatusOutputSerializer(pdf_job_for_audit(audit=audit)).data)


class AuditPdfDownloadView(AuditAuthenticatedView):
    @extend_schema(
        tags=[TAG],
        operation_id="audits_download_pdf",
        parameters=[AUDIT_ID_PARAMETER],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                bytes, description="The PDF report, as an attachment."
            ),
            **latentgeo_responses(
                *AUTH_ERRORS,
                *OWNER_ERRORS,
                catalog.PDF_NOT_READY,
                catalog.PDF_FILE_MISSING,
                validation=True,
            ),
        },
    )
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        job = pdf_report_for_download(audit=audit)
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"audit-{audit.pk}-report.pdf",
            content_type="application/pdf",
        )
