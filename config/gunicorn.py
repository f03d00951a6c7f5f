"""gunicorn settings for the Procfile's web process: hooks for multiprocess metrics."""

import os


def child_exit(server, worker) -> None:
    """Drop a dead worker's live gauges from /metrics; its counters keep adding up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
