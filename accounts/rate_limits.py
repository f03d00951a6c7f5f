"""Rate limits of both APIs: fixed windows counted in the shared cache, one round trip a hit.

Geog limits are per organization and endpoint family (`tiles`, `places`, `api`), set by its
tier; LatentGEO limits are per user and action. Both are DRF throttle classes, so a view
names them in `throttle_classes` and the schema learns what they can raise from `raises`.
"""

import functools
import hashlib
import logging
import os
import threading
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django_redis.cache import RedisCache
from prometheus_client import Counter
from redis.exceptions import ConnectionError, NoScriptError
from rest_framework.throttling import BaseThrottle

from accounts.models import Organization
from accounts.principal import GeogPrincipal
from accounts.verification_cache import cache_unavailable_errors
from errors import catalog
from errors.exceptions import ApiError

logger = logging.getLogger(__name__)

FAMILIES = ("tiles", "places", "api")

# INCR and, for the window's first hit, EXPIRE: one round trip whatever the count.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

_HIT_SCRIPT_SHA = hashlib.sha1(_HIT_SCRIPT.encode(), usedforsecurity=False).hexdigest()

_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

rate_limit_cache_failures = Counter(
    "geog_rate_limit_cache_failures_total",
    "Requests served without a rate-limit check because the cache was unreachable.",
    ["family"],
)


@dataclass(frozen=True)
class RateLimitUsage:
    limit: int
    count: int
    reset: int  # Unix seconds of the window's end

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)

    def retry_after(self, now: float) -> int:
        # A window that ends this very second is retried in the next one.
        return max(self.reset - int(now), 1)


def rate_limit_hit(*, group: str, key: str, limit: int, window: int) -> RateLimitUsage | None:
    """Count one hit of `key` in the current window of `group`; None when the cache is down."""
    now = int(time.time())
    # Each key's windows are shifted by a fixed offset, so they do not all end together.
    offset = zlib.crc32(f"{group}:{key}".encode()) % window
    window_start = now - (now - offset) % window
    try:
        count = _counter_increment(f"ratelimit:{group}:{key}:{window_start}", window)
    except cache_unavailable_errors():
        return None
    return RateLimitUsage(limit=limit, count=count, reset=window_start + window)


def rate_parse(rate: str) -> tuple[int, int]:
    """`"5/m"` as (5, 60), `"10/5m"` as (10, 300): a count per number of s, m, h or d."""
    count, _, period = rate.replace(" ", "").partition("/")
    multiple, unit = period[:-1] or "1", period[-1:].lower()
    if not count.isdigit() or not multiple.isdigit() or unit not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"Rate {rate!r} is not of the form N/s, N/m, N/h, N/d or N/5m.")
    return int(count), int(multiple) * _RATE_PERIODS[unit]


def _counter_increment(key: str, window: int) -> int:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        connection = _counter_connection(backend)
        redis_key = backend.make_key(key)
        try:
            return _hit_script_run(connection, redis_key, window)
        except ConnectionError:
            # A connection the server closed while it sat idle (a restart, an idle timeout)
            # fails its next command, which never ran: once more, on a new connection.
            return _hit_script_run(connection, redis_key, window)
    # Local-memory and other caches live in this process: two calls cost no round trip.
    backend.add(key, 0, window)
    return backend.incr(key)


def _hit_script_run(connection, redis_key: str, window: int) -> int:
    connection.send_command("EVALSHA", _HIT_SCRIPT_SHA, 1, redis_key, window)
    try:
        return int(connection.read_response())
    except NoScriptError:
        # The server has not seen the script since it started (or flushed its scripts).
        connection.send_command("EVAL", _HIT_SCRIPT, 1, redis_key, window)
        return int(connection.read_response())


@functools.cache
def counter_connections() -> threading.local:
    """Each thread's own Redis connection for the counters (see `_counter_connection`)."""
    return threading.local()


def _counter_connection(backend: RedisCache):
    """This thread's connection to the cache's Redis, made from its pool's settings.

    A hit is counted on every Geog request, so it skips the client's per-command machinery
    (pool checkout, retry wrapper, instrumentation): a client call costs about 100 µs of CPU
    here, a send and read on a held connection about 40. A connection that fails disconnects
    itself and connects again on the next send; a forked process or a new pool gets a new one.
    """
    pool = backend.client.get_client(write=True).connection_pool
    held = counter_connections()
    if getattr(held, "pool", None) is not pool or held.pid != os.getpid():
        held.connection = pool.connection_class(**pool.connection_kwargs)
        held.pool, held.pid = pool, os.getpid()
    return held.connection


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


def user_rate_limit(*, group: str, rate_setting: str, methods: tuple[str, ...]) -> type:
    """A throttle limiting each LatentGEO user to the rate in `settings.<rate_setting>`."""

    class UserRateLimit(BaseThrottle):
        raises = (catalog.LATENTGEO_RATE_LIMITED,)
        response_headers = ()

        def allow_request(self, request, view) -> bool:
            if request.method not in methods:
                return True
            limit, window = rate_parse(getattr(settings, rate_setting))
            usage = rate_limit_hit(group=group, key=request.user.sub, limit=limit, window=window)
            if usage is not None and usage.exceeded:
                raise ApiError(
                    catalog.LATENTGEO_RATE_LIMITED,
                    headers={"Retry-After": str(usage.retry_after(time.time()))},
                    limit=limit,
                    window=window,
                )
            return True

    UserRateLimit.methods = methods
    UserRateLimit.__name__ = f"UserRateLimit[{group}]"
    return UserRateLimit


def _family_limit(principal: GeogPrincipal, family: str) -> int:
    if family == "tiles":
        return principal.tiles_per_window or settings.GEOG_FREE_TILES_PER_WINDOW
    if family == "places":
        return principal.places_per_window or settings.GEOG_FREE_PLACES_PER_WINDOW
    if family == "api":
        return principal.api_per_window or settings.GEOG_FREE_API_PER_WINDOW
    raise ImproperlyConfigured(f"Unknown rate-limit family {family!r}; use one of {FAMILIES}.")
