"""OpenAPI descriptions of an audit's runs, comparison and schedule operations."""

from drf_spectacular.utils import OpenApiParameter

from errors import catalog
from errors.schema import answer
from reports import run_serializers
from reports.schema import audit_operation_group

TAGS = ["latentgeo-audit-history"]
RUN_PARAMETER = OpenApiParameter("run", int, OpenApiParameter.PATH, description="Run number.")
audit_history_operation = audit_operation_group(TAGS)

audit_runs_list = audit_history_operation(
    operation_id="audits_runs_list",
    description=(
        "A run is recorded for each crawl or results upload; `trigger` says which: creation, "
        "rerun, schedule, or results sent by PATCH."
    ),
    responses=answer(
        run_serializers.AuditRunOutputSerializer(many=True), "The audit's runs, newest first."
    ),
)

audit_runs_retrieve = audit_history_operation(
    operation_id="audits_runs_retrieve",
    parameters=[RUN_PARAMETER],
    responses=answer(run_serializers.AuditRunDetailOutputSerializer, "The run with results."),
    errors=(catalog.AUDIT_RUN_NOT_FOUND,),
)

audit_runs_compare = audit_history_operation(
    operation_id="audits_compare",
    description=(
        "By default the latest completed run against the completed run before it; `from` and "
        "`to` name other completed runs by number."
    ),
    parameters=[run_serializers.AuditRunComparisonQueryInputSerializer],
    responses=answer(
        run_serializers.AuditRunComparisonOutputSerializer,
        "Scores with deltas; findings (code + URL) fixed, new and unchanged.",
    ),
    errors=(
        catalog.AUDIT_RUN_NOT_FOUND,
        catalog.AUDIT_RUN_NOT_COMPLETED,
        catalog.AUDIT_RUNS_TOO_FEW,
    ),
)

audit_schedule_update = audit_history_operation(
    operation_id="audits_schedule_update",
    request=run_serializers.AuditScheduleInputSerializer,
    responses=answer(
        run_serializers.AuditScheduleOutputSerializer, "The schedule; `interval` null stops it."
    ),
)
