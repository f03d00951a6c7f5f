"""The embedded default runs beat's schedule in-process: due audits start without a beat."""

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings

from config.embedded_beat import EmbeddedBeat, embedded_beat_start
from reports.models import AuditRun
from tests.reports.factories import AuditFactory

DUE = datetime(2026, 2, 1, 6, 0, tzinfo=UTC)

# What the Procfile's web process imports, then the schedule's task names Celery cannot find.
_UNREGISTERED = (
    "import json, config.asgi; from django.conf import settings;"
    "from config.celery_app import app;"
    "print(json.dumps([entry['task'] for entry in settings.CELERY_BEAT_SCHEDULE.values()"
    " if entry['task'] not in app.tasks]))"
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_each_entry_runs_in_process_when_its_interval_has_passed(settings):
    clock = Clock()
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE, clock=clock)
    audit = AuditFactory(schedule_interval="daily", schedule_next_run_at=DUE)

    with time_machine.travel(DUE - timedelta(minutes=1), tick=False):
        assert beat.tick() == [
            "audit-schedules",
            "audit-runs-lost",
            "webhook-retries",
            "geog-usage-flush",
        ]
    assert not AuditRun.objects.filter(audit=audit).exists()
    with time_machine.travel(DUE + timedelta(seconds=1), tick=False):
        clock.now += 30
        assert beat.tick() == ["audit-runs-lost", "webhook-retries"]
        assert not AuditRun.objects.filter(audit=audit).exists()
        clock.now += 30
        assert beat.tick() == [
            "audit-schedules",
            "audit-runs-lost",
            "webhook-retries",
            "geog-usage-flush",
        ]

    [run] = AuditRun.objects.filter(audit=audit)
    assert run.trigger == "schedule"


def test_a_fresh_web_process_registers_every_task_of_the_schedule(tmp_path):
    """The web process looks each entry's task up by name, as a worker does, and has no worker's
    start to import the task modules; this suite's own imports would hide a missing one."""
    env = {
        **os.environ,
        "TILESETS_DIR": str(tmp_path / "tilesets"),
        "TILES_INDEX_DIR": str(tmp_path / "tile-index"),
        # The registry only: no tick of the thread against this database.
        "EMBEDDED_BEAT": "false",
    }
    completed = subprocess.run(
        [sys.executable, "-c", _UNREGISTERED],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == []


def test_a_failing_entry_does_not_stop_the_others():
    schedule = {
        "broken": {"task": "no.such.task", "schedule": 10},
        "scan": {"task": "notifications.tasks.webhook_deliveries_send_due", "schedule": 10},
    }
    beat = EmbeddedBeat(schedule, clock=Clock())

    with pytest.MonkeyPatch.context() as patch:
        calls = []
        patch.setattr("notifications.tasks.webhook_deliveries_due", lambda: calls.append(1) or [])
        assert beat.tick() == ["broken", "scan"]

    assert calls == [1]


def test_the_loop_ticks_until_stopped():
    ticks = []
    beat = EmbeddedBeat({}, clock=Clock())
    beat.tick = lambda: ticks.append(1) or []
    stop = threading.Event()
    thread = threading.Thread(target=beat.run_forever, kwargs={"stop": stop, "interval": 0.01})
    thread.start()
    while not ticks:
        stop.wait(0.01)
    stop.set()
    thread.join(timeout=5)

    assert not thread.is_alive()


def test_no_thread_when_a_beat_process_runs_the_schedule(settings):
    settings.EMBEDDED_BEAT = False

    assert embedded_beat_start() is None


def test_embedded_beat_is_on_by_default_exactly_when_tasks_run_in_process(settings):
    from config import settings as project_settings

    assert project_settings.EMBEDDED_BEAT == project_settings.CELERY_TASK_ALWAYS_EAGER
