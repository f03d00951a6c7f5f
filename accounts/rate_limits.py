"""The Geog organization limit: each request counted against its organization's tier.

Limits are per organization and endpoint family (`tiles`, `places`, `api`), set by its tier,
in windows of `GEOG_RATE_WINDOW` (seconds, or `utc-day`: Geog's daily quota). Each family's
view names `organization_rate_limit(family)` in `throttle_classes`, so the schema learns
what it raises and which headers it sets.

Two counters serve. The hot paths, tiles and places, keep the one-round-trip script of
`rate_limits.counters`, which also adds a request within the limit to the usage tally on
that same round trip: django-ratelimit cost more than 5% of their throughput
(docs/benchmarks.md). The `api` family counts through django-ratelimit, and its usage is
added after the response. django-ratelimit staggers every key's windows, so
with `utc-day` windows, which must end at 00:00 UTC, every family counts with the script.
Either way the request's usage is settled once its status is known (`accounts.usage_counting`).
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from prometheus_client import Counter
from rest_framework.throttling import BaseThrottle

from accounts.models import FAMILIES, Organization
from accounts.principal import GeogPrincipal
from accounts.usage_counting import usage_field, usage_pending_set
from errors import catalog
from errors.exceptions import ApiError
from rate_limits.counters import rate_limit_hit, ratelimit_usage, tally_add
from rate_limits.windows import UTC_DAY, RateLimitUsage

logger = logging.getLogger(__name__)

# Counted by the one-round-trip script whatever the window (see the module's docstring).
SCRIPT_COUNTED_FAMILIES = frozenset({"tiles", "places"})

rate_limit_cache_failures = Counter(
    "geog_rate_limit_cache_failures_total",
    "Requests served without a rate-limit check because the cache was unreachable.",
    ["family"],
)


def family_header_prefix(family: str) -> str:
    """`X-RateLimit-Tiles` for `tiles`: the prefix of a family's own headers."""
    return f"X-RateLimit-{family.capitalize()}"


def _rate_limit_headers(usage: RateLimitUsage, family: str) -> dict[str, str]:
    values = {
        "Limit": str(usage.limit),
        "Remaining": str(usage.remaining),
        "Reset": str(usage.reset),
    }
    prefix = family_header_prefix(family)
    return {
        **{f"X-RateLimit-{name}": value for name, value in values.items()},
        **{f"{prefix}-{name}": value for name, value in values.items()},
    }


class OrganizationRateLimit(BaseThrottle):
    """Counts a Geog request against its organization's limit for the class's family.

    Unlimited organizations are not limited (their usage is still counted). The
    `X-RateLimit-*` headers go on every response after the check, errors included.
    """

    family = "api"
    # Whether the family counts with django-ratelimit when windows are seconds.
    library_counted = True
    raises = (catalog.GEOG_RATE_LIMIT_EXCEEDED,)
    response_headers: tuple[tuple[str, str], ...] = ()

    def allow_request(self, request, view) -> bool:
        principal = request.user
        if not isinstance(principal, GeogPrincipal):
            return True
        family = self.family
        window = settings.GEOG_RATE_WINDOW
        by_script = not self.library_counted or window == UTC_DAY
        now = time.time()
        field = usage_field(principal=principal, family=family, now=now)
        if principal.tier == Organization.Tier.UNLIMITED:
            # Not limited; the tile path still puts the request in the tally up front.
            tallied = by_script and tally_add(field=field)
            usage_pending_set(request, field=field, tallied=tallied)
            return True
        limit = _family_limit(principal, family)
        group, key = f"geog:{family}", str(principal.organization_id)
        if by_script:
            usage = rate_limit_hit(
                group=group, key=key, limit=limit, window=window, tally_field=field
            )
        else:
            usage = ratelimit_usage(
                request=request, group=group, key=key, limit=limit, window=window
            )
        if usage is None:
            logger.warning("geog_rate_limit_cache_unavailable", extra={"family": family})
            rate_limit_cache_failures.labels(family=family).inc()
            return True
        usage_pending_set(request, field=field, tallied=by_script and not usage.exceeded)
        # DRF applies `view.headers` to the response, whatever the view answers next.
        view.headers = {**view.headers, **_rate_limit_headers(usage, family)}
        if usage.exceeded:
            seconds = usage.retry_after(time.time())
            raise ApiError(
                catalog.GEOG_RATE_LIMIT_EXCEEDED,
                seconds=seconds,
                headers={"Retry-After": str(seconds)},
                extra={"retryAfter": seconds},
            )
        return True


def organization_rate_limit(family: str, *, library_counted: bool | None = None) -> type:
    """The organization limit of `family`; `library_counted` overrides the counter choice."""
    if family not in FAMILIES:
        raise ImproperlyConfigured(f"Unknown rate-limit family {family!r}; use one of {FAMILIES}.")
    if library_counted is None:
        library_counted = family not in SCRIPT_COUNTED_FAMILIES
    family_prefix = family_header_prefix(family)
    descriptions = (
        ("Limit", "Requests allowed in the window"),
        ("Remaining", "Requests left in the window"),
        ("Reset", "Unix seconds of the window's end"),
    )

    class FamilyRateLimit(OrganizationRateLimit):
        response_headers = tuple(
            (f"{prefix}-{name}", text)
            for prefix in ("X-RateLimit", family_prefix)
            for name, text in descriptions
        )

    FamilyRateLimit.family = family
    FamilyRateLimit.library_counted = library_counted
    FamilyRateLimit.__name__ = f"OrganizationRateLimit[{family}]"
    return FamilyRateLimit


def _family_limit(principal: GeogPrincipal, family: str) -> int:
    if family == "tiles":
        return principal.tiles_per_window or settings.GEOG_FREE_TILES_PER_WINDOW
    if family == "places":
        return principal.places_per_window or settings.GEOG_FREE_PLACES_PER_WINDOW
    return principal.api_per_window or settings.GEOG_FREE_API_PER_WINDOW
