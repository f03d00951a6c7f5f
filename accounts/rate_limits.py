"""The Geog organization limit: each request counted against its organization's tier.

Limits are per organization and endpoint family (`tiles`, `places`, `api`), set by its tier,
counted in the fixed windows of `rate_limits`. A DRF throttle class, so a view names it in
`throttle_classes` and the schema learns what it can raise from `raises`.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from prometheus_client import Counter
from rest_framework.throttling import BaseThrottle

from accounts.models import Organization
from accounts.principal import GeogPrincipal
from errors import catalog
from errors.exceptions import ApiError
from rate_limits.counters import rate_limit_hit
from rate_limits.windows import RateLimitUsage

logger = logging.getLogger(__name__)

FAMILIES = ("tiles", "places", "api")

rate_limit_cache_failures = Counter(
    "geog_rate_limit_cache_failures_total",
    "Requests served without a rate-limit check because the cache was unreachable.",
    ["family"],
)


def _rate_limit_headers(usage: RateLimitUsage) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(usage.limit),
        "X-RateLimit-Remaining": str(usage.remaining),
        "X-RateLimit-Reset": str(usage.reset),
    }


class OrganizationRateLimit(BaseThrottle):
    """Counts a Geog request against its organization's limit for the view's family.

    The view sets `rate_limit_family`; unlimited organizations are not counted. The
    `X-RateLimit-*` headers go on every response after the check, errors included.
    """

    raises = (catalog.GEOG_RATE_LIMIT_EXCEEDED,)
    response_headers = (
        ("X-RateLimit-Limit", "Requests allowed in the window"),
        ("X-RateLimit-Remaining", "Requests left in the window"),
        ("X-RateLimit-Reset", "Unix seconds of the window's end"),
    )

    def allow_request(self, request, view) -> bool:
        principal = request.user
        if not isinstance(principal, GeogPrincipal):
            return True
        if principal.tier == Organization.Tier.UNLIMITED:
            return True
        family = view.rate_limit_family
        limit = _family_limit(principal, family)
        usage = rate_limit_hit(
            group=f"geog:{family}",
            key=str(principal.organization_id),
            limit=limit,
            window=settings.GEOG_RATE_WINDOW_SECONDS,
        )
        if usage is None:
            logger.warning("geog_rate_limit_cache_unavailable", extra={"family": family})
            rate_limit_cache_failures.labels(family=family).inc()
            return True
        # DRF applies `view.headers` to the response, whatever the view answers next.
        view.headers = {**view.headers, **_rate_limit_headers(usage)}
        if usage.exceeded:
            seconds = usage.retry_after(time.time())
            raise ApiError(
                catalog.GEOG_RATE_LIMIT_EXCEEDED,
                seconds=seconds,
                headers={"Retry-After": str(seconds)},
                extra={"retryAfter": seconds},
            )
        return True


def _family_limit(principal: GeogPrincipal, family: str) -> int:
    if family == "tiles":
        return principal.tiles_per_window or settings.GEOG_FREE_TILES_PER_WINDOW
    if family == "places":
        return principal.places_per_window or settings.GEOG_FREE_PLACES_PER_WINDOW
    if family == "api":
        return principal.api_per_window or settings.GEOG_FREE_API_PER_WINDOW
    raise ImproperlyConfigured(f"Unknown rate-limit family {family!r}; use one of {FAMILIES}.")
