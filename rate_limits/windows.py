"""Fixed windows: where a key's current window ends, and what a count means in it."""

import zlib
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def window_start(*, group: str, key: str, window: int, now: int) -> int:
    """Unix seconds of the start of the window of `group`/`key` that holds `now`."""
    # Each key's windows are shifted by a fixed offset, so they do not all end together.
    offset = zlib.crc32(f"{group}:{key}".encode()) % window
    return now - (now - offset) % window


def rate_parse(rate: str) -> tuple[int, int]:
    """`"5/m"` as (5, 60), `"10/5m"` as (10, 300): a count per number of s, m, h or d."""
    count, _, period = rate.replace(" ", "").partition("/")
    multiple, unit = period[:-1] or "1", period[-1:].lower()
    if not count.isdigit() or not multiple.isdigit() or unit not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"Rate {rate!r} is not of the form N/s, N/m, N/h, N/d or N/5m.")
    return int(count), int(multiple) * _RATE_PERIODS[unit]
