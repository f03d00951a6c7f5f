"""An organization's daily usage drawn as an inline SVG line chart, one line per family.

The admin page draws it from these coordinates alone: no script, no stylesheet or font from
elsewhere. The vertical scale runs to a round number at or above the busiest day.
"""

from dataclasses import dataclass

from accounts.models import FAMILIES

WIDTH = 720
HEIGHT = 240
MARGIN_LEFT = 56
MARGIN_BOTTOM = 28
MARGIN_TOP = 12
COLOURS = {"tiles": "#1f77b4", "places": "#2ca02c", "api": "#d62728"}


@dataclass(frozen=True)
class UsageChart:
    width: int
    height: int
    lines: list[dict]  # {"family", "colour", "points", "total"}
    y_ticks: list[dict]  # {"y", "label"}
    x_labels: list[dict]  # {"x", "label"}
    plot: dict  # left, top, right, bottom


def _round_up(value: int) -> int:
    """1, 2 or 5 times a power of ten, at or above `value` (at least 1)."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def usage_chart_build(*, days: list[dict]) -> UsageChart:
    """The chart of `days` (each `{"date", "tiles", "places", "api"}`, oldest first)."""
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = WIDTH - 8, HEIGHT - MARGIN_BOTTOM
    peak = _round_up(max((day[family] for day in days for family in FAMILIES), default=0))
    span = max(len(days) - 1, 1)

    def x(index: int) -> float:
        return round(left + (right - left) * index / span, 1)

    def y(count: int) -> float:
        return round(bottom - (bottom - top) * count / peak, 1)

    lines = [
        {
            "family": family,
            "colour": COLOURS[family],
            "points": " ".join(f"{x(i)},{y(day[family])}" for i, day in enumerate(days)),
            "total": sum(day[family] for day in days),
        }
        for family in FAMILIES
    ]
    y_ticks = [{"y": y(peak * step // 4), "label": f"{peak * step // 4:,}"} for step in range(5)]
    every = max(len(days) // 6, 1)
    x_labels = [
        {"x": x(i), "label": day["date"].strftime("%m-%d")}
        for i, day in enumerate(days)
        if i % every == 0 or i == len(days) - 1
    ]
    return UsageChart(
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        y_ticks=y_ticks,
        x_labels=x_labels,
        plot={"left": left, "top": top, "right": right, "bottom": bottom},
    )
