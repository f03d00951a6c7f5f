"""Fixed windows: where a key's current window ends, and what a count means in it.

A window is a number of seconds or `utc-day`. Windows of seconds start on epoch multiples
shifted by a fixed offset per key, so that they do not all end together; `utc-day` windows
end at 00:00 UTC for every key, as a daily quota does.
"""

import zlib
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

UTC_DAY = "utc-day"
DAY_SECONDS = 86400

_RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": DAY_SECONDS}


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


def window_start(*, group: str, key: str, window: int | str, now: int) -> int:
    """Unix seconds of the start of the window of `group`/`key` that holds `now`."""
    if window == UTC_DAY:
        return now - now % DAY_SECONDS
    # Each key's windows are shifted by a fixed offset, so they do not all end together.
    offset = zlib.crc32(f"{group}:{key}".encode()) % window
    return now - (now - offset) % window


def window_seconds(window: int | str) -> int:
    """The length of a window in seconds."""
    return DAY_SECONDS if window == UTC_DAY else window


def window_parse(value: str) -> int | str:
    """`utc-day`, or a positive number of seconds."""
    value = value.strip().lower()
    if value == UTC_DAY:
        return UTC_DAY
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"Window {value!r} is neither {UTC_DAY!r} nor seconds.")
    return int(value)


def rate_parse(rate: str) -> tuple[int, int]:
    """`"5/m"` as (5, 60), `"10/5m"` as (10, 300): a count per number of s, m, h or d."""
    count, _, period = rate.replace(" ", "").partition("/")
    multiple, unit = period[:-1] or "1", period[-1:].lower()
    if not count.isdigit() or not multiple.isdigit() or unit not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"Rate {rate!r} is not of the form N/s, N/m, N/h, N/d or N/5m.")
    return int(count), int(multiple) * _RATE_PERIODS[unit]
