"""LatentGEO endpoints of an audit over time: its runs, their comparison, its schedule."""

from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from errors.validation import body_validate, path_int, query_validate
from reports import run_schema
from reports.audit_schedules import audit_schedule_set
from reports.run_selectors import audit_run_comparison_get, audit_run_get, audit_run_list
from reports.run_serializers import (
    AuditRunComparisonOutputSerializer,
    AuditRunComparisonQueryInputSerializer,
    AuditRunDetailOutputSerializer,
    AuditRunOutputSerializer,
    AuditScheduleInputSerializer,
    AuditScheduleOutputSerializer,
)
from reports.selectors import audit_get_from_path


class AuditRunListView(LatentgeoView):
    @run_schema.audit_runs_list
    def get(self, request, audit_id: str):
        audit = audit_get_from_path(audit_id=audit_id, user=request.user)
        return Response(AuditRunOutputSerializer(audit_run_list(audit=audit), many=True).data)


class AuditRunDetailView(LatentgeoView):
    @run_schema.audit_runs_retrieve
    def get(self, request, audit_id: str, run: str):
        audit = audit_get_from_path(audit_id=audit_id, user=request.user)
        found = audit_run_get(audit=audit, number=path_int("run", run))
        return Response(AuditRunDetailOutputSerializer(found).data)


class AuditRunComparisonView(LatentgeoView):
    @run_schema.audit_runs_compare
    def get(self, request, audit_id: str):
        audit = audit_get_from_path(audit_id=audit_id, user=request.user)
        query = query_validate(AuditRunComparisonQueryInputSerializer, request)
        comparison = audit_run_comparison_get(
            audit=audit, from_number=query.get("from"), to_number=query.get("to")
        )
        return Response(AuditRunComparisonOutputSerializer(comparison).data)


class AuditScheduleView(LatentgeoView):
    @run_schema.audit_schedule_update
    def put(self, request, audit_id: str):
        audit = audit_get_from_path(audit_id=audit_id, user=request.user)
        data = body_validate(AuditScheduleInputSerializer, request)
        audit = audit_schedule_set(audit_id=audit.pk, interval=data["interval"])
        return Response(AuditScheduleOutputSerializer(audit).data)
