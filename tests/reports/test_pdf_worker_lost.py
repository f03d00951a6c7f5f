"""End to end: a worker killed mid-render does not block the audit; another one finishes it.

The audit is the largest the API accepts (the bounds of its results, within the 1 MiB body
limit), so the second worker also shows that it renders within the task's soft time limit:
past it the worker would mark the job failed, timed out.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from reports.models import PdfJob
from tests.reports.factories import AuditFactory
from tests.reports.test_pdf_worker import WORKER_ARGS, _test_database_url

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 6
MAX_WAIT_SECONDS = 600
WORDS = "the crawler found pages whose structured data and headings need attention " * 200


def _largest_results() -> dict:
    return {
        "summary": WORDS[:10_000],
        "scores": {f"{index:02d}-".ljust(64, "c"): index * 2 for index in range(50)},
        "findings": [
            {
                "severity": ("critical", "high", "medium", "low")[index % 4],
                "title": WORDS[index : index + 200],
                "description": WORDS[:800],
                "recommendation": WORDS[100:900],
                "url": f"https://shop.example.com/products/{index}/" + "p" * 80,
            }
            for index in range(500)
        ],
    }


@pytest.fixture
def start_worker(celery_redis_broker, tmp_path):
    workers: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "PDF_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }

    def start(name: str) -> subprocess.Popen:
        with open(tmp_path / f"{name}.log", "wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", *WORKER_ARGS, "--hostname", f"{name}@%h"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _wait_for_status(api_client, auth, url: str, wanted: set[str]) -> dict:
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while True:
        status = api_client.get(url, **auth).json()
        if status["status"] in wanted or time.monotonic() > deadline:
            return status
        time.sleep(1)


def test_job_of_a_worker_killed_mid_render_is_re_run_by_another_worker(
    start_worker, api_client, latentgeo_auth, tmp_path
):
    audit = AuditFactory()
    base = f"/api/v1/audits/{audit.pk}"
    auth = latentgeo_auth()
    patched = api_client.patch(base, {"results": _largest_results()}, format="json", **auth)
    assert patched.status_code == 200, patched.content[:300]

    first = start_worker("first")
    assert api_client.post(f"{base}/generate-pdf", **auth).status_code == 202
    status = _wait_for_status(api_client, auth, f"{base}/pdf-status", {"running"})
    assert status["status"] == "running", (tmp_path / "first.log").read_text()[-3000:]
    time.sleep(2)
    first.send_signal(signal.SIGKILL)
    first.wait()

    # Nothing renders now; once the lease lapses, asking for the status re-queues the job.
    status = _wait_for_status(api_client, auth, f"{base}/pdf-status", {"queued", "failed"})
    assert status["status"] == "queued"

    start_worker("second")
    status = _wait_for_status(api_client, auth, f"{base}/pdf-status", {"completed", "failed"})
    assert status["status"] == "completed", (tmp_path / "second.log").read_text()[-3000:]
    job = PdfJob.objects.get(audit=audit)
    assert job.attempts == 2
    download = api_client.get(f"{base}/download-pdf", **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    rendered_in = (job.completed_at - job.started_at).total_seconds()
    print(f"largest accepted audit: {job.file_size} bytes of PDF in {rendered_in:.0f} s")
