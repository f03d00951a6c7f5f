"""OpenAPI descriptions of the score history operations."""

from drf_spectacular.utils import OpenApiParameter

from errors.schema import answer, operation_group
from reports import score_history_serializers
from reports.schema import OWNER_ERRORS

TAGS = ["latentgeo-score-history"]
DOMAIN_PARAMETER = OpenApiParameter(
    "domain", str, OpenApiParameter.PATH, description="A host; case, port and `www.` ignored."
)
score_history_operation = operation_group(tags=TAGS, validation=True)

score_history_domain = score_history_operation(
    operation_id="score_history_domain",
    parameters=[DOMAIN_PARAMETER, score_history_serializers.ScoreHistoryDomainQueryInputSerializer],
    responses=answer(
        score_history_serializers.ScoreHistoryDomainOutputSerializer,
        "The caller's points of the domain, oldest first.",
    ),
)

score_history_comparison = score_history_operation(
    operation_id="score_history_comparison",
    parameters=[DOMAIN_PARAMETER],
    responses=answer(
        score_history_serializers.ScoreHistoryComparisonOutputSerializer,
        "This calendar month against the previous one.",
    ),
    validation=False,
)

score_history_summary = score_history_operation(
    operation_id="score_history_summary",
    parameters=[score_history_serializers.ScoreHistorySummaryQueryInputSerializer],
    responses=answer(
        score_history_serializers.ScoreHistorySummaryOutputSerializer,
        "The caller's top 20 domains by average overall score.",
    ),
)

score_history_record = score_history_operation(
    operation_id="score_history_record",
    parameters=[score_history_serializers.ScoreRecordQueryInputSerializer],
    request=None,
    responses=answer(score_history_serializers.ScoreRecordOutputSerializer, "Recorded."),
    errors=OWNER_ERRORS,
)
