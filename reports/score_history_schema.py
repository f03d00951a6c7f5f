"""OpenAPI descriptions of the score history operations."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from errors.schema import operation
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

score_history_domain = operation(
    tags=TAGS,
    operation_id="score_history_domain",
    parameters=[DOMAIN_PARAMETER, ScoreHistoryDomainQuerySerializer],
    responses={
        200: OpenApiResponse(
            ScoreHistoryDomainOutputSerializer,
            description="The caller's points of the domain, oldest first.",
        )
    },
    validation=True,
)

score_history_comparison = operation(
    tags=TAGS,
    operation_id="score_history_comparison",
    parameters=[DOMAIN_PARAMETER],
    responses={
        200: OpenApiResponse(
            ScoreHistoryComparisonOutputSerializer,
            description="This calendar month against the previous one.",
        )
    },
)

score_history_summary = operation(
    tags=TAGS,
    operation_id="score_history_summary",
    parameters=[ScoreHistorySummaryQuerySerializer],
    responses={
        200: OpenApiResponse(
            ScoreHistorySummaryOutputSerializer,
            description="The caller's top 20 domains by average overall score.",
        )
    },
    validation=True,
)

score_history_record = operation(
    tags=TAGS,
    operation_id="score_history_record",
    parameters=[ScoreRecordQuerySerializer],
    request=None,
    responses={200: OpenApiResponse(ScoreRecordOutputSerializer, description="Recorded.")},
    errors=OWNER_ERRORS,
    validation=True,
)
