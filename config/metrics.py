"""Prometheus metrics at /metrics, added up across worker processes, optionally restricted."""

import hmac
import ipaddress

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


def metrics_access_allowed(request) -> bool:
    """True when no restriction is set, or the caller is in an allowed network or has the token."""
    token, networks = settings.METRICS_BEARER_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return True
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            address = None
        if address is not None and any(address in network for network in networks):
            return True
    if token:
        scheme, _, presented = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            presented.encode(), token.encode()
        )
    return False


class MetricsView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        tags=["health"],
        summary="Prometheus metrics (text exposition format)",
        responses={
            (200, "text/plain"): OpenApiResponse(
                OpenApiTypes.STR, description="Metrics in the Prometheus text format."
            ),
            (401, "text/plain"): OpenApiResponse(
                OpenApiTypes.STR, description="METRICS_BEARER_TOKEN is set and was not sent."
            ),
            (403, "text/plain"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Only METRICS_ALLOWED_NETWORKS is set and the caller is outside them.",
            ),
        },
    )
    def get(self, request):
        if not metrics_access_allowed(request):
            if settings.METRICS_BEARER_TOKEN:
                response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
                response["WWW-Authenticate"] = "Bearer"
                return response
            return HttpResponse("Forbidden", status=403, content_type="text/plain")
        if settings.PROMETHEUS_MULTIPROC_DIR:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
