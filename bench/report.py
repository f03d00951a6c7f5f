"""Figures of a `make bench` run: worker memory, then bench/results.md from the wrk runs.

Usage: python bench/report.py memory SERVER_PID INDEX_DIR > memory.json
       python bench/report.py results WORK_DIR bench/results.md "SETUP"
"""

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

# The bars of the tiles issue, against TileServer GL light in the same run.
MIN_SHARE_OF_PEER = 2.5
MAX_COLD_P99_MS = 100
# The bars of tiles from object storage, against the local file in the same run.
MIN_REMOTE_SHARE_OF_LOCAL = 0.8
MAX_REMOTE_P99_OF_LOCAL = 2.0

RUNS = (
    ("tiles", "Service: tiles, full stack (token, scope, rate limit in Redis, read); median round"),
    ("remote", "Service: the same tiles from the S3 bucket, warm tile cache; median round"),
    ("peer", "TileServer GL light: the same tiles, no auth; median round"),
    ("cold", "Service: tiles, first 10 s after a restart"),
    ("remote-cold", "Service: S3 bucket, first 10 s with empty tile caches"),
    ("baseline", "Service: baseline view, fixed bytes, no auth, same middleware"),
    ("open", "Service: tiles without token, scope and rate limit (bench-only view)"),
    ("tilejson", "Service: TileJSON"),
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
        "non2xx": raw["non_2xx_3xx"],
        "errors": raw["errors"],
        "ranges_per_1000": _ranges_per_1000(path, raw["requests"]),
    }


def _ranges_per_1000(path: Path, requests: int) -> float | None:
    """Range requests the service sent to the bucket per 1,000 tiles of this run."""
    ranges = path.with_suffix(".ranges")
    if not ranges.exists() or not requests:
        return None
    return int(ranges.read_text()) / requests * 1000


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            found.extend(int(child) for child in children.read().split())
    return found


def _kilobytes(lines: list[str], field: str) -> int:
    return sum(int(line.split()[1]) for line in lines if line.startswith(f"{field}:"))


def process_memory(pid: int, index_dir: str) -> dict:
    """RSS and PSS of a process, and the part of both that maps index files, in MB."""
    with open(f"/proc/{pid}/smaps") as smaps:
        lines = smaps.read().splitlines()
    index_lines, in_index = [], False
    for line in lines:
        fields = line.split()
        if len(fields) >= 5 and "-" in fields[0] and ":" in fields[3]:
            in_index = len(fields) >= 6 and fields[5].startswith(index_dir)
        elif in_index:
            index_lines.append(line)
    return {
        "pid": pid,
        "rss": _kilobytes(lines, "Rss") / 1024,
        "pss": _kilobytes(lines, "Pss") / 1024,
        "index_rss": _kilobytes(index_lines, "Rss") / 1024,
        "index_pss": _kilobytes(index_lines, "Pss") / 1024,
    }


def memory(server_pid: int, index_dir: str) -> dict:
    """The memory of every worker under the server process, and the index files' size."""
    workers, pending = [], _children(server_pid)
    while pending:
        pid = pending.pop()
        pending.extend(_children(pid))
        workers.append(process_memory(pid, index_dir))
    index_bytes = sum(path.stat().st_size for path in Path(index_dir).glob("*.idx"))
    return {
        "server": process_memory(server_pid, index_dir),
        "workers": workers,
        "index_mb": index_bytes / 1e6,
    }


def median_round(work: Path, name: str) -> tuple[dict, list[dict]]:
    """The round of `name` (`name-1.json`, `name-2.json`...) with the median req/s, and all."""
    rounds = [figures(path) for path in sorted(work.glob(f"{name}-[0-9]*.json"))]
    ranked = sorted(rounds, key=lambda run: run["rps"])
    return ranked[(len(ranked) - 1) // 2], rounds


def results(work: Path, target: Path, setup: str) -> None:
    """Write results.md from the runs' JSON files in `work`."""
    (tiles, tiles_rounds), (peer, peer_rounds), (remote, remote_rounds) = (
        median_round(work, "tiles"),
        median_round(work, "peer"),
        median_round(work, "remote"),
    )
    runs = {"tiles": tiles, "peer": peer, "remote": remote}
    runs.update({name: figures(work / f"{name}.json") for name, _ in RUNS if name not in runs})
    cold = runs["cold"]
    ratio = tiles["rps"] / peer["rps"]
    used = json.loads((work / "memory.json").read_text())
    workers = used["workers"]
    shared = all(
        worker["index_pss"] < worker["index_rss"] for worker in workers if worker["index_rss"]
    )
    checks = [
        (
            f"service ≥ {MIN_SHARE_OF_PEER}x the peer's req/s ({ratio:.2f}x)",
            ratio >= MIN_SHARE_OF_PEER,
        ),
        (
            f"service p99 below the peer's ({tiles['p99']:.1f} vs {peer['p99']:.1f} ms)",
            tiles["p99"] < peer["p99"],
        ),
        (
            f"p99 in the first 10 s after a restart < {MAX_COLD_P99_MS} ms ({cold['p99']:.1f} ms)",
            cold["p99"] < MAX_COLD_P99_MS,
        ),
        ("index pages shared between workers (PSS below RSS of the mapping)", shared),
        (
            f"remote, warm: ≥ {MIN_REMOTE_SHARE_OF_LOCAL:.0%} of the local file's req/s "
            f"({remote['rps'] / tiles['rps']:.0%})",
            remote["rps"] >= MIN_REMOTE_SHARE_OF_LOCAL * tiles["rps"],
        ),
        (
            f"remote, warm: p99 < {MAX_REMOTE_P99_OF_LOCAL:g}x the local file's "
            f"({remote['p99']:.1f} vs {tiles['p99']:.1f} ms)",
            remote["p99"] < MAX_REMOTE_P99_OF_LOCAL * tiles["p99"],
        ),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench`: {setup}.",
        "",
        "| run | req/s | p50 ms | p90 ms | p99 ms | MB/s | requests | non-2xx | socket errors "
        "| range requests per 1,000 tiles |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in RUNS:
        r = runs[name]
        ranges = "" if r["ranges_per_1000"] is None else f"{r['ranges_per_1000']:.1f}"
        lines.append(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} "
            f"| {r['mbps']:.1f} | {r['requests']:,} | {r['non2xx']} | {r['errors']} | {ranges} |"
        )
    rounds = " · ".join(
        f"{ours['rps']:,.0f} vs {theirs['rps']:,.0f} ({ours['rps'] / theirs['rps']:.2f}x)"
        for ours, theirs in zip(tiles_rounds, peer_rounds, strict=True)
    )
    remote_by_round = " · ".join(
        f"{local['rps']:,.0f} vs {far['rps']:,.0f} ({far['rps'] / local['rps']:.0%}; "
        f"p99 {local['p99']:.1f} vs {far['p99']:.1f} ms)"
        for local, far in zip(tiles_rounds, remote_rounds, strict=True)
    )
    lines += [
        "",
        f"Full-stack tiles: {ratio:.2f}x TileServer GL light's requests/s (median rounds).",
        f"Each round, service vs peer req/s: {rounds}.",
        f"Each round, local file vs S3 bucket req/s: {remote_by_round}.",
        "",
        f"Memory after the full-stack rounds (MB; index files on disk: {used['index_mb']:.1f} MB):",
        "",
        "| process | RSS | PSS | index mapped, RSS | index mapped, PSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, process in [("server", used["server"])] + [("worker", w) for w in workers]:
        lines.append(
            f"| {label} {process['pid']} | {process['rss']:.1f} | {process['pss']:.1f} "
            f"| {process['index_rss']:.1f} | {process['index_pss']:.1f} |"
        )
    lines += ["", *(f"- {'PASS' if ok else 'FAIL'}: {label}" for label, ok in checks), ""]
    target.write_text("\n".join(lines))


def main() -> None:
    if sys.argv[1] == "memory":
        print(json.dumps(memory(int(sys.argv[2]), os.path.realpath(sys.argv[3]))))
    else:
        results(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])


if __name__ == "__main__":
    main()
