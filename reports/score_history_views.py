"""LatentGEO score history routes: a domain's points, its month comparison, the summary."""

from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from errors.validation import query_validate
from reports import score_history_schema as schema
from reports.score_history_selectors import (
    score_domain_normalise,
    score_history_comparison_get,
    score_history_domain_list,
    score_history_summary_get,
)
from reports.score_history_serializers import (
    ScoreHistoryComparisonOutputSerializer,
    ScoreHistoryDomainOutputSerializer,
    ScoreHistoryDomainQueryInputSerializer,
    ScoreHistorySummaryOutputSerializer,
    ScoreHistorySummaryQueryInputSerializer,
    ScoreRecordOutputSerializer,
    ScoreRecordQueryInputSerializer,
)
from reports.score_history_services import score_record_create


class ScoreHistoryDomainView(LatentgeoView):
    @schema.score_history_domain
    def get(self, request, domain: str):
        days = query_validate(ScoreHistoryDomainQueryInputSerializer, request)["days"]
        points = list(score_history_domain_list(user=request.user, domain=domain, days=days))
        body = {
            "domain": score_domain_normalise(domain=domain),
            "days": days,
            "total_records": len(points),
            "history": points,
        }
        return Response(ScoreHistoryDomainOutputSerializer(body).data)


class ScoreHistoryComparisonView(LatentgeoView):
    @schema.score_history_comparison
    def get(self, request, domain: str):
        comparison = score_history_comparison_get(user=request.user, domain=domain)
        return Response(ScoreHistoryComparisonOutputSerializer(comparison).data)


class ScoreHistorySummaryView(LatentgeoView):
    @schema.score_history_summary
    def get(self, request):
        days = query_validate(ScoreHistorySummaryQueryInputSerializer, request)["days"]
        summary = score_history_summary_get(user=request.user, days=days)
        return Response(ScoreHistorySummaryOutputSerializer(summary).data)


class ScoreHistoryRecordView(LatentgeoView):
    @schema.score_history_record
    def post(self, request):
        query = query_validate(ScoreRecordQueryInputSerializer, request)
        record = score_record_create(user=request.user, **query)
        return Response(ScoreRecordOutputSerializer(record).data)
