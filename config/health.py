"""Health routes: liveness, readiness and a per-dependency report."""

import functools
import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from errors.schema import answer

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


def _status_output(component_name: str) -> type[serializers.Serializer]:
    """A body that is only a `status` word, named `component_name` in the schema."""
    output = type(
        f"{component_name}OutputSerializer",
        (serializers.Serializer,),
        {"status": serializers.CharField(), "__module__": __name__},
    )
    return extend_schema_serializer(component_name=component_name)(output)


ReadyOutputSerializer = _status_output("Ready")
LiveOutputSerializer = _status_output("Live")


@extend_schema_serializer(component_name="NotReady")
class NotReadyOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    error = serializers.CharField()


@extend_schema_serializer(component_name="HealthServices")
class HealthServicesOutputSerializer(serializers.Serializer):
    database = serializers.ChoiceField(choices=["connected", "disconnected"])
    redis = serializers.ChoiceField(choices=["connected", "disconnected", "disabled"])


@extend_schema_serializer(component_name="Health")
class HealthOutputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["healthy", "degraded", "unhealthy"])
    services = HealthServicesOutputSerializer()


class HealthView(_PublicView):
    @_health_schema(
        summary="Service health with the state of each dependency",
        responses={
            **answer(HealthOutputSerializer, "Database up (`degraded` if Redis is down)"),
            **answer(HealthOutputSerializer, "Database down (`unhealthy`)", status=503),
        },
    )
    def get(self, request):
        services = {"database": database_status(), "redis": redis_status()}
        if services["database"] != "connected":
            body = {"status": "unhealthy", "services": services}
            return _unavailable(HealthOutputSerializer(body).data)
        healthy = services["redis"] != "disconnected"
        body = {"status": "healthy" if healthy else "degraded", "services": services}
        return Response(HealthOutputSerializer(body).data)


class ReadyView(_PublicView):
    @_health_schema(
        summary="Readiness: every dependency reachable",
        responses={
            **answer(ReadyOutputSerializer, "Database and Redis reachable (`ready`)."),
            **answer(
                NotReadyOutputSerializer, "A dependency is unreachable (`not_ready`).", status=503
            ),
        },
    )
    def get(self, request):
        if database_status() != "connected" or redis_status() == "disconnected":
            body = {"status": "not_ready", "error": "dependency_unavailable"}
            return _unavailable(NotReadyOutputSerializer(body).data)
        return Response(ReadyOutputSerializer({"status": "ready"}).data)


class LiveView(_PublicView):
    @_health_schema(
        summary="Liveness: the process answers",
        responses=answer(LiveOutputSerializer, "The process answers (`alive`)."),
    )
    def get(self, request):
        return Response(LiveOutputSerializer({"status": "alive"}).data)


def _unavailable(body: dict) -> Response:
    return Response(
        body,
        status=503,
        headers={"Retry-After": str(settings.RETRY_AFTER_UNAVAILABLE_SECONDS)},
    )
