"""Bodies of the runs, comparison and schedule endpoints of an audit."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from errors.fields import RecordedErrorField
from reports.models import Audit, AuditRun
from reports.serializers import AuditResultsOutputSerializer


class AuditRunOutputSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="number")
    scores = serializers.DictField(child=serializers.IntegerField())
    finding_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Findings per severity."
    )
    error = RecordedErrorField(read_only=True)

    class Meta:
        model = AuditRun
        fields = [
            "run",
            "status",
            "trigger",
            "requested_at",
            "started_at",
            "completed_at",
            "scores",
            "finding_counts",
            "pages_crawled",
            "error",
        ]


class AuditRunDetailOutputSerializer(AuditRunOutputSerializer):
    results = serializers.SerializerMethodField()

    class Meta(AuditRunOutputSerializer.Meta):
        fields = [*AuditRunOutputSerializer.Meta.fields, "results"]

    @extend_schema_field(AuditResultsOutputSerializer(allow_null=True))
    def get_results(self, run: AuditRun) -> dict | None:
        return run.results or None


class KeywordNamesMixin:
    """Fields named `from_` in Python are `from` in JSON (a keyword cannot name an attribute)."""

    def get_fields(self) -> dict:
        fields = super().get_fields()
        return {name.removesuffix("_"): field for name, field in fields.items()}


@extend_schema_serializer(component_name="ScoreDelta")
class ScoreDeltaOutputSerializer(KeywordNamesMixin, serializers.Serializer):
    from_ = serializers.IntegerField(allow_null=True)
    to = serializers.IntegerField(allow_null=True)
    delta = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="ComparedFinding")
class ComparedFindingOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    severity = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)


class AuditRunComparisonOutputSerializer(KeywordNamesMixin, serializers.Serializer):
    from_ = serializers.IntegerField(help_text="The earlier run's number.")
    to = serializers.IntegerField(help_text="The later run's number.")
    scores = serializers.DictField(child=ScoreDeltaOutputSerializer())
    fixed = ComparedFindingOutputSerializer(many=True)
    new = ComparedFindingOutputSerializer(many=True)
    unchanged = serializers.IntegerField()


class AuditRunComparisonQueryInputSerializer(KeywordNamesMixin, serializers.Serializer):
    from_ = serializers.IntegerField(min_value=1, required=False)
    to = serializers.IntegerField(min_value=1, required=False)


class AuditScheduleInputSerializer(serializers.Serializer):
    interval = serializers.ChoiceField(choices=Audit.Interval.choices, allow_null=True)


class AuditScheduleOutputSerializer(serializers.Serializer):
    interval = serializers.CharField(source="schedule_interval", allow_null=True)
    next_run_at = serializers.DateTimeField(source="schedule_next_run_at", allow_null=True)

    def to_representation(self, audit: Audit) -> dict:
        body = super().to_representation(audit)
        body["interval"] = body["interval"] or None
        return body
