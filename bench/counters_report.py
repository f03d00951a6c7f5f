"""Turn the figures of the counters part of `make bench` into bench/counters-results.md."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from report import median_round

# django-ratelimit serves a hot path unless it costs more than this share of its throughput.
MAX_COST = 0.05

PATHS = (("tiles", "Tiles (full stack)"), ("places", "Places search, 5 km with a query"))


def main() -> None:
    work, target, setup = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Rate-limit counters on the hot paths",
        "",
        f"Run {stamp} by `bench/counters.sh`: {setup}.",
        "",
        "| path | counter | req/s (median round) | p50 ms | p99 ms | every round, req/s |",
        "|---|---|---:|---:|---:|---|",
    ]
    cpu = json.loads((work / "cpu.json").read_text())
    verdicts = []
    for name, label in PATHS:
        medians = {}
        for side, counter in (
            ("script", "script: limit and usage on one round trip"),
            ("library", "django-ratelimit get_usage, usage after the answer"),
        ):
            median, rounds = median_round(work, f"{name}-{side}")
            medians[side] = median
            every = " · ".join(f"{run['rps']:,.0f}" for run in rounds)
            lines.append(
                f"| {label} | {counter} | {median['rps']:,.0f} | {median['p50']:.1f} | "
                f"{median['p99']:.1f} | {every} |"
            )
        wall_cost = 1 - medians["library"]["rps"] / medians["script"]["rps"]
        # A CPU-bound server's throughput goes as the inverse of the CPU a request costs.
        cpu_cost = 1 - cpu[name]["script_us"] / cpu[name]["library_us"]
        keep = "keeps the script" if cpu_cost > MAX_COST else "takes django-ratelimit"
        verdicts.append(
            f"- {label}: CPU per request {cpu[name]['script_us']:,.0f} µs with the script, "
            f"{cpu[name]['library_us']:,.0f} µs with django-ratelimit: django-ratelimit costs "
            f"{cpu_cost:.1%} of the throughput ({wall_cost:.1%} by the wall-clock medians "
            f"above); limit {MAX_COST:.0%}: the path {keep}."
        )
    target.write_text("\n".join([*lines, "", *verdicts, ""]))


if __name__ == "__main__":
    main()
