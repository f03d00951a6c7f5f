"""LatentGEO audit and PDF report endpoints."""

from django.http import FileResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.auth0_authentication import Auth0Authentication
from authn.user_rate_limits import user_rate_limit
from errors.validation import body_validate, path_int, query_validate
from reports import audit_runs, schema, services
from reports.selectors import (
    audit_for_owner,
    audit_list_for_owner,
    pdf_job_for_audit,
    pdf_report_for_download,
    pdf_report_open,
)
from reports.serializers import (
    AuditCreateInputSerializer,
    AuditOutputSerializer,
    AuditResultsInputSerializer,
    PdfGenerateOutputSerializer,
    PdfGenerateQuerySerializer,
    PdfStatusOutputSerializer,
)


class AuditAuthenticatedView(APIView):
    authentication_classes = [Auth0Authentication]


class AuditListView(AuditAuthenticatedView):
    throttle_classes = [
        user_rate_limit(group="audit-create", rate_setting="AUDIT_CREATE_RATE", methods=("POST",))
    ]

    @schema.audits_list
    def get(self, request):
        audits = audit_list_for_owner(user=request.user)
        return Response(AuditOutputSerializer(audits, many=True).data)

    @schema.audits_create
    def post(self, request):
        data = body_validate(AuditCreateInputSerializer, request)
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
    @schema.audits_retrieve
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        return Response(AuditOutputSerializer(audit).data)

    @schema.audits_results_update
    def patch(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        data = body_validate(AuditResultsInputSerializer, request)
        audit = services.audit_results_update(audit_id=audit.pk, results=data["results"])
        return Response(AuditOutputSerializer(audit).data)


class AuditRerunView(AuditAuthenticatedView):
    @schema.audits_rerun
    def post(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        audit = audit_runs.audit_rerun(audit_id=audit.pk, user=request.user)
        return Response(AuditOutputSerializer(audit).data, status=status.HTTP_202_ACCEPTED)


class AuditPdfGenerateView(AuditAuthenticatedView):
    throttle_classes = [
        user_rate_limit(group="pdf-generate", rate_setting="PDF_GENERATE_RATE", methods=("POST",))
    ]

    @schema.audits_generate_pdf
    def post(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        query = query_validate(PdfGenerateQuerySerializer, request)
        outcome = services.pdf_job_request(audit_id=audit.pk, force=query["force"])
        if outcome.queued:
            message, code = "PDF generation queued.", status.HTTP_202_ACCEPTED
        else:
            message, code = "The PDF report of the current results is ready.", status.HTTP_200_OK
        body = PdfGenerateOutputSerializer(outcome.job, context={"message": message}).data
        return Response(body, status=code)


class AuditPdfStatusView(AuditAuthenticatedView):
    @schema.audits_pdf_status
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        job = services.pdf_job_recover(job=pdf_job_for_audit(audit=audit))
        return Response(PdfStatusOutputSerializer(job).data)


class AuditPdfDownloadView(AuditAuthenticatedView):
    @schema.audits_download_pdf
    def get(self, request, audit_id: str):
        audit = audit_for_owner(audit_id=path_int("audit_id", audit_id), user=request.user)
        job = pdf_report_for_download(audit=audit)
        return FileResponse(
            pdf_report_open(job=job),
            as_attachment=True,
            filename=f"audit-{audit.pk}-report.pdf",
            content_type="application/pdf",
        )
