"""Concurrent requests and task runs on real PostgreSQL, each thread on its own connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from reports import tasks
from reports.models import PdfJob
from tests.reports.factories import CompletedAuditFactory, PdfJobFactory

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 30


def _in_own_connection(fn):
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            connection.close()

    return run


def _concurrent_generate(audit, headers: dict, query: str = "") -> list[int]:
    barrier = threading.Barrier(2)

    @_in_own_connection
    def post() -> int:
        client = APIClient()
        barrier.wait(timeout=WAIT_SECONDS)
        return client.post(f"/api/v1/audits/{audit.pk}/generate-pdf{query}", **headers).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(post) for _ in range(2)]
        return sorted(future.result(timeout=WAIT_SECONDS) for future in futures)


def test_two_concurrent_first_requests_make_one_job_and_one_409(
    celery_redis_broker, latentgeo_auth
):
    audit = CompletedAuditFactory()
    statuses = _concurrent_generate(audit, latentgeo_auth())
    assert statuses == [202, 409]
    assert PdfJob.objects.filter(audit=audit).count() == 1
    assert PdfJob.objects.get(audit=audit).status == "queued"


def test_two_concurrent_forced_requests_queue_the_existing_job_once(
    celery_redis_broker, latentgeo_auth
):
    audit = CompletedAuditFactory()
    PdfJobFactory(
        audit=audit,
        status=PdfJob.Status.FAILED,
        error="earlier failure",
        requested_at=audit.updated_at,
    )
    statuses = _concurrent_generate(audit, latentgeo_auth(), query="?force=true")
    assert statuses == [202, 409]
    assert PdfJob.objects.get(audit=audit).status == "queued"


def _queued_job(audit) -> PdfJob:
    return PdfJobFactory(audit=audit, requested_at=audit.updated_at)


def test_two_concurrent_task_runs_render_once(monkeypatch):
    audit = CompletedAuditFactory()
    _queued_job(audit)
    renders = []
    rendering = threading.Event()
    finish = threading.Event()
    real_render = tasks.audit_report_render

    def render_holding_until_told(**kwargs):
        renders.append(kwargs["audit"].pk)
        rendering.set()
        finish.wait(timeout=WAIT_SECONDS)
        return real_render(**kwargs)

    # Wraps the real renderer so the first run is mid-render while the second one starts.
    monkeypatch.setattr(tasks, "audit_report_render", render_holding_until_told)
    run = _in_own_connection(tasks.pdf_report_generate)
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(run, audit.pk)
        assert rendering.wait(timeout=WAIT_SECONDS)
        second = pool.submit(run, audit.pk)
        second_outcome = second.result(timeout=WAIT_SECONDS)
        finish.set()
        first_outcome = first.result(timeout=WAIT_SECONDS)

    assert (first_outcome, second_outcome) == ("completed", "skipped")
    assert renders == [audit.pk]
    job = PdfJob.objects.get(audit=audit)
    assert job.status == "completed"
    assert job.file_size > 0


def test_a_delivered_again_task_does_not_render_a_finished_job(monkeypatch):
    audit = CompletedAuditFactory()
    _queued_job(audit)
    assert tasks.pdf_report_generate(audit.pk) == "completed"
    renders = []
    monkeypatch.setattr(tasks, "audit_report_render", lambda **kwargs: renders.append(1))
    assert tasks.pdf_report_generate(audit.pk) == "skipped"
    assert renders == []


def test_a_job_left_running_by_a_lost_worker_is_taken_over():
    audit = CompletedAuditFactory()
    job = _queued_job(audit)
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.RUNNING)
    assert tasks.pdf_report_generate(audit.pk) == "completed"
    assert PdfJob.objects.get(pk=job.pk).status == "completed"
