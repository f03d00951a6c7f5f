"""End to end: the API queues a job, a real Celery worker process renders the PDF."""

import io
import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from tests.reports.factories import CompletedAuditFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_WAIT_SECONDS = 120
WORKER_ARGS = ["-A", "config", "worker", "--pool", "solo", "--concurrency", "1"]
WORKER_ARGS += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]


def _test_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's `test_` database)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(celery_redis_broker, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", *WORKER_ARGS],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log_path
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_worker_renders_the_pdf_requested_through_the_api(
    celery_worker_process, api_client, latentgeo_auth
):
    audit = CompletedAuditFactory()
    base = f"/api/v1/audits/{audit.pk}"
    response = api_client.post(f"{base}/generate-pdf", **latentgeo_auth())
    assert response.status_code == 202

    deadline = time.monotonic() + MAX_WAIT_SECONDS
    status = response.json()
    while status["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        status = api_client.get(f"{base}/pdf-status", **latentgeo_auth()).json()
    assert status["status"] == "completed", celery_worker_process.read_text()[-3000:]
    assert status["download_ready"] is True

    download = api_client.get(f"{base}/download-pdf", **latentgeo_auth())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert audit.url in text
    assert "Robots.txt blocks the product catalogue" in text
    assert status["file_size"] == len(content)
    assert "reports.tasks.pdf_report_generate" in celery_worker_process.read_text()
