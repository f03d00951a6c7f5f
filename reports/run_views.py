"""LatentGEO endpoints of an audit over time: its runs, their comparison, its schedule."""

from rest_framework.response import Response

from errors.validation import body_validate, path_int, query_validate
from reports import run_schema
from reports.audit_schedules import audit_schedule_set
from reports.audit_view import AuditView
from reports.run_selectors import audit_run_comparison_get, audit_run_get, audit_run_list
from reports.run_serializers import (
    AuditRunComparisonOutputSerializer,
    AuditRunComparisonQueryInputSerializer,
    AuditRunDetailOutputSerializer,
    AuditRunOutputSerializer,
    AuditScheduleInputSerializer,
    AuditScheduleOutputSerializer,
)


class AuditRunListView(AuditView):
    @run_schema.audit_runs_list
    def get(self, request, **kwargs):
        return Response(AuditRunOutputSerializer(audit_run_list(audit=self.audit), many=True).data)


class AuditRunDetailView(AuditView):
    @run_schema.audit_runs_retrieve
    def get(self, request, run: str, **kwargs):
        found = audit_run_get(audit=self.audit, number=path_int("run", run))
        return Response(AuditRunDetailOutputSerializer(found).data)


class AuditRunComparisonView(AuditView):
    @run_schema.audit_runs_compare
    def get(self, request, **kwargs):
        query = query_validate(AuditRunComparisonQueryInputSerializer, request)
        comparison = audit_run_comparison_get(
            audit=self.audit, from_number=query.get("from"), to_number=query.get("to")
        )
        return Response(AuditRunComparisonOutputSerializer(comparison).data)


class AuditScheduleView(AuditView):
    @run_schema.audit_schedule_update
    def put(self, request, **kwargs):
        data = body_validate(AuditScheduleInputSerializer, request)
        audit = audit_schedule_set(audit_id=self.audit.pk, interval=data["interval"])
        return Response(AuditScheduleOutputSerializer(audit).data)
