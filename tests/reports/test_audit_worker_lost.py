"""End to end: a worker SIGKILLed mid-crawl; the lost run is re-queued and another worker
crawls it to the end.

The local site answers slowly, so the crawl is still going when the first worker is killed.
Recovery is the beat task's own function (audit_runs_recover_lost), called by the test as beat
would every 30 seconds.
"""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from werkzeug import Response

from reports.audit_runs import audit_runs_recover_lost
from reports.models import Audit, AuditRun
from tests.audit_engine.sites import clean_site_serve, page_html
from tests.reports.test_pdf_worker import WORKER_ARGS, _test_database_url

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 6
MAX_WAIT_SECONDS = 300
PAGES = 30
PAGE_DELAY_SECONDS = 0.4


@pytest.fixture
def start_worker(celery_redis_broker, tmp_path, settings):
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    workers: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUDIT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1/32",
        "AUDIT_RUN_LEASE_SECONDS": str(LEASE_SECONDS),
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


def _slow_page(request) -> Response:
    number = int(request.path.removeprefix("/p"))
    time.sleep(PAGE_DELAY_SECONDS)
    links = [f"/p{n}" for n in (number + 1, number + 2) if n < PAGES]
    return Response(page_html(links=links), content_type="text/html; charset=utf-8")


def _wait(check, what: str):
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while time.monotonic() < deadline:
        outcome = check()
        if outcome:
            return outcome
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_crawl_of_a_worker_killed_mid_crawl_is_requeued_and_finished_by_another(
    start_worker, httpserver, api_client, latentgeo_auth, tmp_path
):
    root = clean_site_serve(httpserver, home=page_html(links=["/p1", "/p2"]))
    httpserver.expect_request(re.compile(r"^/p\d+$")).respond_with_handler(_slow_page)
    first = start_worker("first")
    created = api_client.post(
        "/api/v1/audits", {"url": root, "max_pages": PAGES}, format="json", **latentgeo_auth()
    )
    assert created.status_code == 201
    audit_id = created.json()["id"]

    def crawling():
        audit = Audit.objects.get(pk=audit_id)
        return audit.status == "running" and audit.pages_crawled >= 3

    _wait(crawling, "the first worker to crawl: " + (tmp_path / "first.log").read_text()[-2000:])
    first.send_signal(signal.SIGKILL)
    first.wait()
    run = AuditRun.objects.get(audit_id=audit_id)
    assert (run.status, run.attempts) == ("running", 1)

    # Nothing renews the lease now; once it lapses, the beat task re-queues the run.
    _wait(lambda: audit_runs_recover_lost() == 1, "the lease to lapse")
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("pending", 1)

    start_worker("second")
    _wait(
        lambda: Audit.objects.get(pk=audit_id).status in ("completed", "failed"),
        "the second worker to finish",
    )
    audit = Audit.objects.get(pk=audit_id)
    assert audit.status == "completed", (tmp_path / "second.log").read_text()[-3000:]
    assert audit.pages_crawled == PAGES
    run.refresh_from_db()
    assert (run.status, run.attempts, run.trigger, run.pages_crawled) == (
        "completed",
        2,
        "create",
        PAGES,
    )
    runs = api_client.get(f"/api/v1/audits/{audit_id}/runs", **latentgeo_auth()).json()
    assert [(r["run"], r["status"]) for r in runs] == [(1, "completed")]
