"""LatentGEO audit and PDF report endpoints."""

from django.http import FileResponse
from django.urls import reverse
from rest_framework import status
from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from authn.user_rate_limits import user_rate_limit
from errors.validation import body_validate, query_validate
from reports import audit_runs, schema, services
from reports.audit_overview import audit_list_with_run_times
from reports.audit_view import AuditView
from reports.selectors import (
    audit_list_for_owner,
    pdf_job_get,
    pdf_report_get,
    pdf_report_open,
)
from reports.serializers import (
    AuditCreateInputSerializer,
    AuditOutputSerializer,
    AuditResultsInputSerializer,
    PdfGenerateOutputSerializer,
    PdfGenerateQueryInputSerializer,
    PdfStatusOutputSerializer,
)
from reports.webapp_serializers import AuditListQueryInputSerializer, AuditSummaryOutputSerializer

INTAKE_FIELDS = ("language", "competitors", "market", "source")


class AuditListView(LatentgeoView):
    throttle_classes = [
        user_rate_limit(group="audit-create", rate_setting="AUDIT_CREATE_RATE", methods=("POST",))
    ]

    @schema.audits_list
    def get(self, request):
        page = query_validate(AuditListQueryInputSerializer, request)
        audits = audit_list_with_run_times(audits=audit_list_for_owner(user=request.user))
        audits = audits[page["skip"] : page["skip"] + page["limit"]]
        return Response(AuditSummaryOutputSerializer(audits, many=True).data)

    @schema.audits_create
    def post(self, request):
        data = body_validate(AuditCreateInputSerializer, request)
        intake = {key: data[key] for key in INTAKE_FIELDS if key in data}
        options = {"url": data["url"], "max_pages": data["max_pages"], "user": request.user}
        if data["run"]:
            audit = audit_runs.audit_run_start(**options, intake=intake)
        else:
            audit = services.audit_create(**options, intake=intake)
        return Response(
            AuditOutputSerializer(audit).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("latentgeo:audit-detail", args=[audit.pk])},
        )


class AuditDetailView(AuditView):
    @schema.audits_retrieve
    def get(self, request, **kwargs):
        return Response(AuditOutputSerializer(self.audit).data)

    @schema.audits_results_update
    def patch(self, request, **kwargs):
        data = body_validate(AuditResultsInputSerializer, request)
        audit = services.audit_results_update(audit_id=self.audit.pk, results=data["results"])
        return Response(AuditOutputSerializer(audit).data)

    @schema.audits_delete
    def delete(self, request, **kwargs):
        services.audit_delete(audit_id=self.audit.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditRerunView(AuditView):
    @schema.audits_rerun
    def post(self, request, **kwargs):
        audit = audit_runs.audit_rerun(audit_id=self.audit.pk, user=request.user)
        return Response(AuditOutputSerializer(audit).data, status=status.HTTP_202_ACCEPTED)


class AuditPdfGenerateView(AuditView):
    throttle_classes = [
        user_rate_limit(group="pdf-generate", rate_setting="PDF_GENERATE_RATE", methods=("POST",))
    ]

    @schema.audits_generate_pdf
    def post(self, request, **kwargs):
        query = query_validate(PdfGenerateQueryInputSerializer, request)
        outcome = services.pdf_job_request(audit_id=self.audit.pk, force=query["force"])
        if outcome.queued:
            message, code = "PDF generation queued.", status.HTTP_202_ACCEPTED
        else:
            message, code = "The PDF report of the current results is ready.", status.HTTP_200_OK
        body = PdfGenerateOutputSerializer(outcome.job, context={"message": message}).data
        return Response(body, status=code)


class AuditPdfStatusView(AuditView):
    @schema.audits_pdf_status
    def get(self, request, **kwargs):
        job = services.pdf_job_recover(job=pdf_job_get(audit=self.audit))
        return Response(PdfStatusOutputSerializer(job).data)


class AuditPdfDownloadView(AuditView):
    @schema.audits_download_pdf
    def get(self, request, **kwargs):
        job = pdf_report_get(audit=self.audit)
        return FileResponse(
            pdf_report_open(job=job),
            as_attachment=True,
            filename=f"audit-{self.audit.pk}-report.pdf",
            content_type="application/pdf",
        )
