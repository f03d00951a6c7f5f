"""Celery beat's schedule run from a thread of the web process, for the embedded default.

`make run` has no broker, no worker and no beat process: tasks run eagerly where they are
queued. Scheduled audits, lost runs and webhook retries still have to happen, so the web
process starts one daemon thread (config.wsgi, when EMBEDDED_BEAT is on, which it is by
default exactly when tasks run eagerly) that runs every entry of CELERY_BEAT_SCHEDULE at its
interval, in-process. The tasks claim their rows in the database, so this thread beside a
real beat process, or in two web processes, starts nothing twice. Production leaves it off
and runs the Procfile's `beat` line.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from config.celery_app import app

logger = logging.getLogger(__name__)

_started = threading.Lock()
_thread: threading.Thread | None = None


class EmbeddedBeat:
    """Runs each entry of a beat schedule when its interval has passed since it last ran."""

    def __init__(self, schedule: dict, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._schedule = schedule
        self._clock = clock
        self._due = dict.fromkeys(schedule, 0.0)

    def tick(self) -> list[str]:
        """Run the entries that are due now; their names."""
        ran = []
        for name, entry in self._schedule.items():
            if self._clock() < self._due[name]:
                continue
            self._due[name] = self._clock() + float(entry["schedule"])
            try:
                # In-process and synchronous, like every task of the embedded default.
                app.tasks[entry["task"]].apply()
            except Exception:
                logger.exception("embedded_beat_task_failed", extra={"task": entry["task"]})
            ran.append(name)
        return ran

    def run_forever(self, *, stop: threading.Event, interval: float) -> None:
        """Tick every `interval` seconds until `stop` is set."""
        while not stop.wait(interval):
            try:
                self.tick()
            finally:
                # The thread's own connection: closed between ticks, as a request's is.
                close_old_connections()


def embedded_beat_start(*, interval: float = 5.0) -> threading.Thread | None:
    """Start the beat thread once per process when EMBEDDED_BEAT is on; the thread or None."""
    global _thread
    if not settings.EMBEDDED_BEAT:
        return None
    with _started:
        if _thread is None:
            beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
            _thread = threading.Thread(
                target=beat.run_forever,
                kwargs={"stop": threading.Event(), "interval": interval},
                name="embedded-beat",
                daemon=True,
            )
            _thread.start()
            logger.info(
                "embedded_beat_started", extra={"entries": len(settings.CELERY_BEAT_SCHEDULE)}
            )
    return _thread
