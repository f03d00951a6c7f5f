"""Turn the figures of the places part of `make bench` into bench/places-results.md."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from report import median_round

# The goals of places search and geocoding.
MAX_NEAR_P99_MS = 50
MAX_WIDE_P99_MS = 50
MAX_COMPLETE_P99_MS = 30
MAX_TEXT_P99_MS = 50
MAX_REVERSE_P99_MS = 20
MAX_IMPORT_SECONDS = 120

RUNS = (
    ("near", "Search, 5 km with a query (full stack)"),
    ("wide", "Search, 100 km without a query, nearest first, limit 20 (full stack)"),
    ("complete", "Autocomplete, 1 to 6 letters, half with a focus (full stack)"),
    ("text", "Search without a location, limit 20 (full stack)"),
    ("reverse", "Reverse geocoding, limit 1 to 20 (full stack)"),
)


def main() -> None:
    work, target, count, setup = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rounds = {name: median_round(work, name) for name, _ in RUNS}
    results = {name: median for name, (median, _) in rounds.items()}
    imported = work / "import-seconds"
    import_seconds = float(imported.read_text()) if imported.exists() else None
    reimport = work / "reimport-seconds"
    reimport_seconds = float(reimport.read_text()) if reimport.exists() else None
    sizes = json.loads((work / "sizes.json").read_text())
    checks = [
        (f"5 km with query p99 < {MAX_NEAR_P99_MS} ms", results["near"]["p99"] < MAX_NEAR_P99_MS),
        (f"100 km p99 < {MAX_WIDE_P99_MS} ms", results["wide"]["p99"] < MAX_WIDE_P99_MS),
        (
            f"autocomplete p99 < {MAX_COMPLETE_P99_MS} ms",
            results["complete"]["p99"] < MAX_COMPLETE_P99_MS,
        ),
        (f"text search p99 < {MAX_TEXT_P99_MS} ms", results["text"]["p99"] < MAX_TEXT_P99_MS),
        (f"reverse p99 < {MAX_REVERSE_P99_MS} ms", results["reverse"]["p99"] < MAX_REVERSE_P99_MS),
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
    for name, label in RUNS:
        row = results[name]
        lines.append(
            f"| {label} | {sizes[name]} | {row['rps']:.0f} | {row['p50']:.1f} | "
            f"{row['p90']:.1f} | {row['p99']:.1f} | {row['non2xx'] + row['errors']} |"
        )
    lines += ["", "Each search ran in alternating rounds; the table shows each one's median round."]
    for name, label in RUNS:
        each = " · ".join(
            f"{row['rps']:.0f} req/s, p50 {row['p50']:.1f}, p99 {row['p99']:.1f} ms"
            for row in rounds[name][1]
        )
        lines.append(f"{label}, every round: {each}.")
    lines += ["", "Goals:", ""]
    lines += [f"- [{'x' if ok else ' '}] {label}" for label, ok in checks]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
