"""OpenAPI descriptions of the score history operations."""

from drf_spectacular.utils import OpenApiParameter

from errors.schema import answer, operation_group
from reports.schema import OWNER_ERRORS
from reports.score_history_serializers import (
    ScoreHistoryComparisonOutputSerializer,
    ScoreHistoryDomainOutputSerializer,
    ScoreHistoryDomainQuerySerializer,
    ScoreHistorySummaryOutputSerializer,
    ScoreHistorySummaryQuerySerializer,
    ScoreRecordOutputSerializer,
    ScoreRecordQuerySerializer,
)

TAGS = ["latentgeo-score-history"]
DOMAIN_PARAMETER = OpenApiParameter(
    "domain", str, OpenApiParameter.PATH, description="A host; case, port and `www.` ignored."
)
score_history_operation = operation_group(tags=TAGS, validation=True)

score_history_domain = score_history_operation(
    operation_id="score_history_domain",
    parameters=[DOMAIN_PARAMETER, ScoreHistoryDomainQuerySerializer],
    responses=answer(
        200,
        ScoreHistoryDomainOutputSerializer,
        "The caller's points of the domain, oldest first.",
    ),
)

score_history_comparison = score_history_operation(
    operation_id="score_history_comparison",
    parameters=[DOMAIN_PARAMETER],
    responses=answer(
        200,
        ScoreHistoryComparisonOutputSerializer,
        "This calendar month against the previous one.",
    ),
    validation=False,
)

score_history_summary = score_history_operation(
    operation_id="score_history_summary",
    parameters=[ScoreHistorySummaryQuerySerializer],
    responses=answer(
        200,
        ScoreHistorySummaryOutputSerializer,
        "The caller's top 20 domains by average overall score.",
    ),
)

score_history_record = score_history_operation(
    operation_id="score_history_record",
    parameters=[ScoreRecordQuerySerializer],
    request=None,
    responses=answer(200, ScoreRecordOutputSerializer, "Recorded."),
    errors=OWNER_ERRORS,
)
