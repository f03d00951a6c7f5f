"""Prometheus metrics at /metrics, aggregated across worker processes when configured."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from rest_framework.views import APIView


class MetricsView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        tags=["health"],
        summary="Prometheus metrics (text exposition format)",
        responses={
            (200, "text/plain"): OpenApiResponse(
                OpenApiTypes.STR, description="Metrics in the Prometheus text format."
            )
        },
    )
    def get(self, request):
        if settings.PROMETHEUS_MULTIPROC_DIR:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
