"""Health routes: liveness, readiness and a per-dependency report."""

import functools
import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


@functools.cache
def health_redis_client() -> redis.Redis:
    """The process-wide client the health checks ping, with short timeouts."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def database_status() -> str:
    """`connected` when a query on the default database succeeds, else `disconnected`."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health_database_unreachable")
        return "disconnected"
    return "connected"


def redis_status() -> str:
    """`connected`, `disconnected`, or `disabled` when no REDIS_URL is configured."""
    if not settings.REDIS_URL:
        return "disabled"
    try:
        health_redis_client().ping()
    except redis.RedisError:
        logger.warning("health_redis_unreachable")
        return "disconnected"
    return "connected"


class _PublicView(APIView):
    authentication_classes: list = []
    permission_classes: list = []


def _health_schema(*, summary: str, responses: dict) -> extend_schema:
    """Every health route is documented under the `health` tag."""
    return extend_schema(tags=["health"], summary=summary, responses=responses)


def _status_body(name: str):
    """A body that is only a `status` word."""
    return inline_serializer(name, {"status": serializers.CharField()})


_SERVICES = inline_serializer(
    "HealthServices",
    {
        "database": serializers.ChoiceField(choices=["connected", "disconnected"]),
        "redis": serializers.ChoiceField(choices=["connected", "disconnected", "disabled"]),
    },
)
_HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["healthy", "degraded", "unhealthy"]),
        "services": _SERVICES,
    },
)


class HealthView(_PublicView):
    @_health_schema(
        summary="Service health with the state of each dependency",
        responses={
            200: OpenApiResponse(_HEALTH, description="Database up (`degraded` if Redis is down)"),
            503: OpenApiResponse(_HEALTH, description="Database down (`unhealthy`)"),
        },
    )
    def get(self, request):
        services = {"database": database_status(), "redis": redis_status()}
        if services["database"] != "connected":
            return _unavailable({"status": "unhealthy", "services": services})
        healthy = services["redis"] != "disconnected"
        return Response({"status": "healthy" if healthy else "degraded", "services": services})


class ReadyView(_PublicView):
    @_health_schema(
        summary="Readiness: every dependency reachable",
        responses={
            200: OpenApiResponse(
                _status_body("Ready"), description="Database and Redis reachable (`ready`)."
            ),
            503: OpenApiResponse(
                inline_serializer(
                    "NotReady",
                    {"status": serializers.CharField(), "error": serializers.CharField()},
                ),
                description="A dependency is unreachable (`not_ready`).",
            ),
        },
    )
    def get(self, request):
        if database_status() != "connected" or redis_status() == "disconnected":
            return _unavailable({"status": "not_ready", "error": "dependency_unavailable"})
        return Response({"status": "ready"})


class LiveView(_PublicView):
    @_health_schema(
        summary="Liveness: the process answers",
        responses={
            200: OpenApiResponse(_status_body("Live"), description="The process answers (`alive`).")
        },
    )
    def get(self, request):
        return Response({"status": "alive"})


def _unavailable(body: dict) -> Response:
    return Response(
        body,
        status=503,
        headers={"Retry-After": str(settings.RETRY_AFTER_UNAVAILABLE_SECONDS)},
    )
