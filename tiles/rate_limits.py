"""Per-organization rate limits for Geog views, counted in the shared cache."""

import logging
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_ratelimit.core import get_usage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from prometheus_client import Counter

from authn.geog_principal import GeogPrincipal
from authn.geog_verification_cache import cache_unavailable_errors
from authn.models import Organization
from errors import catalog
from errors.exceptions import ApiError

logger = logging.getLogger(__name__)

FAMILIES = ("tiles", "api", "places")

# For `extend_schema(parameters=...)` of rate-limited operations.
RATE_LIMIT_RESPONSE_HEADERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=True,
        description=f"{description} (counted requests of `free` organizations only)",
    )
    for name, description in (
        ("X-RateLimit-Limit", "Requests allowed in the window"),
        ("X-RateLimit-Remaining", "Requests left in the window"),
        ("X-RateLimit-Reset", "Unix seconds of the window's end"),
    )
] + [
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429],
        description="Seconds until the window resets",
    )
]

rate_limit_cache_failures = Counter(
    "geog_rate_limit_cache_failures_total",
    "Requests served without a rate-limit check because the cache was unreachable.",
    ["family"],
)


class RateLimitedMixin:
    """Counts each authenticated request against its organization's limit for the family.

    Put it before `APIView` in the bases and set `rate_limit_family` to one of `FAMILIES`.
    """

    rate_limit_family: str = "api"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.rate_limit_usage = None
        principal = request.user
        if isinstance(principal, GeogPrincipal) and principal.tier != Organization.Tier.UNLIMITED:
            self.rate_limit_usage = self._rate_limit_count(request, principal)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        usage = getattr(self, "rate_limit_usage", None)
        if usage is not None:
            response["X-RateLimit-Limit"] = str(usage["limit"])
            response["X-RateLimit-Remaining"] = str(max(usage["limit"] - usage["count"], 0))
            response["X-RateLimit-Reset"] = str(usage["reset"])
        return response

    def _rate_limit_count(self, request, principal: GeogPrincipal) -> dict | None:
        family = self.rate_limit_family
        limit = _family_limit(principal, family)
        try:
            usage = get_usage(
                request,
                group=f"geog:{family}",
                key=lambda group, request: str(principal.organization_id),
                rate=(limit, settings.GEOG_RATE_WINDOW_SECONDS),
                increment=True,
            )
        except cache_unavailable_errors():
            usage = None
        # django-ratelimit reports a cache that did not answer as a zero limit.
        if usage is None or usage["limit"] != limit:
            logger.warning("geog_rate_limit_cache_unavailable", extra={"family": family})
            rate_limit_cache_failures.labels(family=family).inc()
            return None
        # A window that ends this very second is retried in the next one.
        seconds_left = max(usage["time_left"], 1)
        counted = {
            "limit": limit,
            "count": usage["count"],
            "reset": int(time.time()) + usage["time_left"],
        }
        if usage["should_limit"]:
            self.rate_limit_usage = counted
            raise ApiError(
                catalog.GEOG_RATE_LIMIT_EXCEEDED,
                seconds=seconds_left,
                headers={"Retry-After": str(seconds_left)},
                extra={"retryAfter": seconds_left},
            )
        return counted


def _family_limit(principal: GeogPrincipal, family: str) -> int:
    if family == "tiles":
        return principal.tiles_per_window or settings.GEOG_FREE_TILES_PER_WINDOW
    if family == "api":
        return principal.api_per_window or settings.GEOG_FREE_API_PER_WINDOW
    if family == "places":
        return settings.GEOG_FREE_PLACES_PER_WINDOW
    raise ImproperlyConfigured(f"Unknown rate-limit family {family!r}; use one of {FAMILIES}.")
