"""OpenAPI descriptions of an audit's runs, comparison and schedule operations."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from errors import catalog
from errors.schema import operation
from reports.run_serializers import (
    AuditRunComparisonOutputSerializer,
    AuditRunComparisonQuerySerializer,
    AuditRunDetailOutputSerializer,
    AuditRunOutputSerializer,
    AuditScheduleInputSerializer,
    AuditScheduleOutputSerializer,
)
from reports.schema import AUDIT_ID_PARAMETER, OWNER_ERRORS

TAGS = ["latentgeo-audit-history"]
RUN_PARAMETER = OpenApiParameter("run", int, OpenApiParameter.PATH, description="Run number.")

audit_runs_list = operation(
    tags=TAGS,
    operation_id="audits_runs_list",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            AuditRunOutputSerializer(many=True), description="The audit's runs, newest first."
        )
    },
    errors=OWNER_ERRORS,
    validation=True,
)

audit_runs_retrieve = operation(
    tags=TAGS,
    operation_id="audits_runs_retrieve",
    parameters=[AUDIT_ID_PARAMETER, RUN_PARAMETER],
    responses={
        200: OpenApiResponse(AuditRunDetailOutputSerializer, description="The run with results.")
    },
    errors=(*OWNER_ERRORS, catalog.AUDIT_RUN_NOT_FOUND),
    validation=True,
)

audit_runs_compare = operation(
    tags=TAGS,
    operation_id="audits_compare",
    parameters=[AUDIT_ID_PARAMETER, AuditRunComparisonQuerySerializer],
    responses={
        200: OpenApiResponse(
            AuditRunComparisonOutputSerializer,
            description="Scores with deltas; findings (code + URL) fixed, new and unchanged.",
        )
    },
    errors=(
        *OWNER_ERRORS,
        catalog.AUDIT_RUN_NOT_FOUND,
        catalog.AUDIT_RUN_NOT_COMPLETED,
        catalog.AUDIT_RUNS_TOO_FEW,
    ),
    validation=True,
)

audit_schedule_update = operation(
    tags=TAGS,
    operation_id="audits_schedule_update",
    parameters=[AUDIT_ID_PARAMETER],
    request=AuditScheduleInputSerializer,
    responses={
        200: OpenApiResponse(
            AuditScheduleOutputSerializer,
            description="The schedule; `interval` null stops it.",
        )
    },
    errors=(*OWNER_ERRORS, catalog.MALFORMED_JSON),
    validation=True,
)
