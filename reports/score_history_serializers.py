"""Bodies of the score history routes, in the shapes the LatentGEO web app's charts read."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from reports.models import ScoreRecord

MAX_DOMAIN_CHARS = 255


class ScoreHistoryDomainQueryInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=7, max_value=365, default=90)


class ScoreHistorySummaryQueryInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=7, max_value=90, default=30)


class ScoreRecordQueryInputSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=MAX_DOMAIN_CHARS)
    audit_id = serializers.IntegerField(min_value=1, required=False)
    overall_score = serializers.FloatField(min_value=0, max_value=100, required=False)
    seo_score = serializers.FloatField(min_value=0, max_value=100, required=False)
    geo_score = serializers.FloatField(min_value=0, max_value=100, required=False)
    performance_score = serializers.FloatField(min_value=0, max_value=100, required=False)


class ScoreHistoryPointOutputSerializer(serializers.ModelSerializer):
    # Not measured by this service; the app's charts read them as absent.
    accessibility_score = serializers.SerializerMethodField(method_name="get_not_measured")
    lcp = serializers.SerializerMethodField(method_name="get_not_measured")
    cls = serializers.SerializerMethodField(method_name="get_not_measured")
    citation_rate = serializers.SerializerMethodField(method_name="get_not_measured")

    class Meta:
        model = ScoreRecord
        fields = [
            "id",
            "recorded_at",
            "overall_score",
            "seo_score",
            "geo_score",
            "performance_score",
            "accessibility_score",
            "lcp",
            "cls",
            "critical_issues",
            "high_issues",
            "total_pages",
            "citation_rate",
            "audit_id",
        ]

    def get_not_measured(self, record: ScoreRecord) -> float | None:
        return None


class ScoreHistoryDomainOutputSerializer(serializers.Serializer):
    domain = serializers.CharField()
    days = serializers.IntegerField()
    total_records = serializers.IntegerField()
    history = ScoreHistoryPointOutputSerializer(many=True)


@extend_schema_serializer(component_name="ScoreChange")
class ScoreChangeOutputSerializer(serializers.Serializer):
    current = serializers.FloatField(
        help_text="This calendar month's average, one decimal; 0 without a record."
    )
    previous = serializers.FloatField(help_text="The previous calendar month's, likewise.")
    change = serializers.FloatField()
    change_pct = serializers.FloatField(
        help_text="`change` in percent of `previous`, one decimal; 100 when `previous` is 0 "
        "and `current` is not."
    )
    trend = serializers.ChoiceField(choices=["up", "down", "stable"])


@extend_schema_serializer(component_name="CountChange")
class CountChangeOutputSerializer(ScoreChangeOutputSerializer):
    current = serializers.IntegerField(
        help_text="This calendar month's total: critical issues summed, audits counted."
    )
    previous = serializers.IntegerField(help_text="The previous calendar month's, likewise.")
    change = serializers.IntegerField()


@extend_schema_serializer(component_name="ScoreComparison")
class ScoreComparisonOutputSerializer(serializers.Serializer):
    overall_score = ScoreChangeOutputSerializer()
    seo_score = ScoreChangeOutputSerializer()
    geo_score = ScoreChangeOutputSerializer()
    performance_score = ScoreChangeOutputSerializer()
    lcp = ScoreChangeOutputSerializer()
    critical_issues = CountChangeOutputSerializer()
    audit_count = CountChangeOutputSerializer()


class ScoreHistoryComparisonOutputSerializer(serializers.Serializer):
    domain = serializers.CharField()
    current_month = serializers.CharField(help_text='"%B %Y", e.g. "June 2026".')
    previous_month = serializers.CharField()
    comparison = ScoreComparisonOutputSerializer()


@extend_schema_serializer(component_name="ScoreHistoryDomainSummary")
class ScoreHistoryDomainSummaryOutputSerializer(serializers.Serializer):
    domain = serializers.CharField()
    avg_score = serializers.FloatField(allow_null=True)
    audit_count = serializers.IntegerField()
    last_audit = serializers.DateTimeField()


class ScoreHistorySummaryOutputSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    domains = ScoreHistoryDomainSummaryOutputSerializer(many=True)


class ScoreRecordOutputSerializer(serializers.Serializer):
    success = serializers.SerializerMethodField()
    id = serializers.IntegerField()
    domain = serializers.CharField()
    recorded_at = serializers.DateTimeField()

    def get_success(self, record: ScoreRecord) -> bool:
        return True
