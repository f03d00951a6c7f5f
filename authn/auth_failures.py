"""Counting and logging rejected API authentications (never the token itself)."""

import logging

from prometheus_client import Counter

logger = logging.getLogger(__name__)

auth_failures = Counter(
    "auth_failures_total", "Rejected API authentications, by API and error code.", ["api", "code"]
)

# Claims come from an unverified token: keep what reaches the logs short.
_MAX_LOGGED_CHARS = 200
_MAX_LOGGED_ITEMS = 10


def auth_failure_record(*, api: str, code: str, kid, iss, aud) -> None:
    """Count one rejection and log it with the token's `kid`, `iss` and `aud`."""
    auth_failures.labels(api=api, code=code).inc()
    logger.warning(
        "auth_rejected",
        extra={
            "api": api,
            "code": code,
            "kid": _loggable(kid),
            "iss": _loggable(iss),
            "aud": _loggable(aud),
        },
    )


def _loggable(value):
    if value is None:
        return None
    if isinstance(value, list):
        return [_loggable(item) for item in value[:_MAX_LOGGED_ITEMS]]
    return str(value)[:_MAX_LOGGED_CHARS]
