"""Turn the figures of the places part of `make bench` into bench/places-results.md."""

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from report import median_round

MAX_IMPORT_SECONDS = 120


@dataclass(frozen=True)
class Run:
    """One search of the places bench, with the p99 goal it is held to."""

    name: str
    label: str
    goal: str
    max_p99_ms: float


RUNS = (
    Run("near", "Search, 5 km with a query (full stack)", "5 km with query", 50),
    Run(
        "wide", "Search, 100 km without a query, nearest first, limit 20 (full stack)", "100 km", 50
    ),
    Run(
        "complete",
        "Autocomplete, 1 to 6 letters, half with a focus (full stack)",
        "autocomplete",
        30,
    ),
    Run("text", "Search without a location, limit 20 (full stack)", "text search", 50),
    Run("reverse", "Reverse geocoding, limit 1 to 20 (full stack)", "reverse", 20),
)


def main() -> None:
    work, target, count, setup = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rounds = {run.name: median_round(work, run.name) for run in RUNS}
    results = {name: median for name, (median, _) in rounds.items()}
    imported = work / "import-seconds"
    import_seconds = float(imported.read_text()) if imported.exists() else None
    reimport = work / "reimport-seconds"
    reimport_seconds = float(reimport.read_text()) if reimport.exists() else None
    sizes = json.loads((work / "sizes.json").read_text())
    checks = [
        (f"{run.goal} p99 < {run.max_p99_ms} ms", results[run.name]["p99"] < run.max_p99_ms)
        for run in RUNS
    ]
    if import_seconds is not None:
        checks.append(
            (
                f"import of {count:,} places < {MAX_IMPORT_SECONDS} s",
                import_seconds < MAX_IMPORT_SECONDS,
            )
        )
    lines = [
        "# Places benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (bench/places.sh): {setup}.",
        f"{count:,} generated places clustered around cities (bench/places_generate.py); the "
        "searches are centred within 2 km of the densest city's centre.",
        "",
        "| import | wall seconds |",
        "|---|---:|",
        f"| {count:,} new places | "
        f"{'not run' if import_seconds is None else f'{import_seconds:.1f}'} |",
        f"| the same file again (all updates) | "
        f"{'not run' if reimport_seconds is None else f'{reimport_seconds:.1f}'} |",
        "",
        "| run | matches per search (mean) | req/s | p50 ms | p90 ms | p99 ms | failed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in RUNS:
        row = results[run.name]
        lines.append(
            f"| {run.label} | {sizes[run.name]} | {row['rps']:.0f} | {row['p50']:.1f} | "
            f"{row['p90']:.1f} | {row['p99']:.1f} | {row['non2xx'] + row['errors']} |"
        )
    lines += ["", "Each search ran in alternating rounds; the table shows each one's median round."]
    for run in RUNS:
        each = " · ".join(
            f"{row['rps']:.0f} req/s, p50 {row['p50']:.1f}, p99 {row['p99']:.1f} ms"
            for row in rounds[run.name][1]
        )
        lines.append(f"{run.label}, every round: {each}.")
    lines += ["", "Goals:", ""]
    lines += [f"- [{'x' if ok else ' '}] {label}" for label, ok in checks]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
