"""The per-user limits of LatentGEO actions, keyed by the caller's Auth0 subject.

Counted by django-ratelimit (`rate_limits.counters.ratelimit_usage`); a cache that cannot be
reached lets the action through.
"""

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from errors import catalog
from errors.exceptions import ApiError
from rate_limits.counters import ratelimit_usage
from rate_limits.windows import rate_parse


def user_rate_limit(*, group: str, rate_setting: str, methods: tuple[str, ...]) -> type:
    """A throttle limiting each LatentGEO user to the rate in `settings.<rate_setting>`."""

    class UserRateLimit(BaseThrottle):
        raises = (catalog.LATENTGEO_RATE_LIMITED,)
        response_headers = ()

        def allow_request(self, request, view) -> bool:
            if request.method not in methods:
                return True
            limit, window = rate_parse(getattr(settings, rate_setting))
            usage = ratelimit_usage(
                request=request, group=group, key=request.user.sub, limit=limit, window=window
            )
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
