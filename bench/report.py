"""Turn the wrk figures of a `make bench` run into bench/results.md."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

# The bar of the tiles issue: full-stack tiles on this 2-core machine, load generator included.
MIN_TILES_PER_SECOND = 1500
MAX_P99_MS = 50
MIN_SHARE_OF_BASELINE = 0.60

RUNS = (
    ("tiles", "Tiles, full stack (token, scope, rate limit on an unlimited org, read)"),
    ("baseline", "Baseline: fixed bytes, no auth, same middleware"),
    ("open", "Tiles without token, scope and rate limit (bench-only view)"),
    ("tilejson", "TileJSON"),
    ("cold", "Tiles, first 10 s after a cold start"),
)


def figures(path: Path) -> dict:
    """Requests/s, latency percentiles in ms and MB/s of one wrk run."""
    raw = json.loads(path.read_text())
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50": raw["p50_us"] / 1000,
        "p90": raw["p90_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "mbps": raw["bytes"] / seconds / 1e6,
        "requests": raw["requests"],
        "failed": raw["errors"] + raw["non_2xx_3xx"],
    }


def main() -> None:
    work, target, setup = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    results = {name: figures(work / f"{name}.json") for name, _ in RUNS}
    tiles, baseline = results["tiles"], results["baseline"]
    share = tiles["rps"] / baseline["rps"]
    checks = [
        (f"tiles ≥ {MIN_TILES_PER_SECOND} req/s", tiles["rps"] >= MIN_TILES_PER_SECOND),
        (f"tiles p99 < {MAX_P99_MS} ms", tiles["p99"] < MAX_P99_MS),
        (f"tiles ≥ {MIN_SHARE_OF_BASELINE:.0%} of baseline", share >= MIN_SHARE_OF_BASELINE),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench`: {setup}.",
        "",
        "| run | req/s | p50 ms | p90 ms | p99 ms | MB/s | requests | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in RUNS:
        r = results[name]
        lines.append(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
            f"| {r['mbps']:.1f} | {r['requests']:,} | {r['failed']} |"
        )
    lines += [
        "",
        f"Tiles reach {share:.0%} of the baseline's throughput; without the token check "
        f"{results['open']['rps'] / baseline['rps']:.0%}.",
        "",
        *(f"- {'PASS' if ok else 'FAIL'}: {label}" for label, ok in checks),
        "",
    ]
    target.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
