"""End to end: the Procfile's beat process and a real worker start a due scheduled audit."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reports.models import Audit, AuditRun
from tests.audit_engine.sites import clean_site_serve
from tests.reports.factories import AuditFactory
from tests.reports.test_pdf_worker import WORKER_ARGS, _test_database_url

pytestmark = pytest.mark.django_db(transaction=True)

# Beat sends the scan a minute after it starts (its interval), then the worker crawls.
MAX_WAIT_SECONDS = 300


def _procfile_command(name: str) -> str:
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.removeprefix(f"{name}:").strip()
    raise AssertionError(f"the Procfile has no {name} process")


@pytest.fixture
def processes(celery_redis_broker, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUDIT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1/32",
        "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / "beat-schedule"),
    }
    started: list[subprocess.Popen] = []

    def start(name: str, command: list[str]) -> None:
        with open(tmp_path / f"{name}.log", "wb") as log:
            started.append(
                subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def test_the_procfiles_beat_starts_a_due_scheduled_audit_that_a_worker_crawls(
    processes, httpserver, tmp_path
):
    root = clean_site_serve(httpserver)
    audit = AuditFactory(
        url=root,
        schedule_interval=Audit.Interval.DAILY,
        schedule_next_run_at=timezone.now() - timedelta(minutes=1),
    )
    processes("worker", [sys.executable, "-m", "celery", *WORKER_ARGS])
    processes("beat", ["bash", "-c", _procfile_command("beat")])

    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while time.monotonic() < deadline:
        run = AuditRun.objects.filter(audit=audit).first()
        if run is not None and run.status in ("completed", "failed"):
            break
        time.sleep(1)

    logs = "".join((tmp_path / f"{n}.log").read_text()[-1500:] for n in ("beat", "worker"))
    assert run is not None and run.status == "completed", logs
    assert run.trigger == "schedule"
    assert AuditRun.objects.filter(audit=audit).count() == 1
    audit.refresh_from_db()
    assert audit.status == "completed"
    assert audit.schedule_next_run_at > timezone.now()
