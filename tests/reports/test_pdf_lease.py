"""A PDF job whose worker died stops blocking its audit: re-queued, or failed after 3 tries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports import pdf_job_steps
from reports.models import PdfJob
from tests.reports.factories import CompletedAuditFactory, PdfJobFactory

pytestmark = pytest.mark.django_db


def _running_job(audit, *, lease_in: int, attempts: int) -> PdfJob:
    return PdfJobFactory(
        audit=audit,
        status=PdfJob.Status.RUNNING,
        started_at=timezone.now(),
        attempts=attempts,
        celery_task_id="lost-task",
        lease_expires_at=timezone.now() + timedelta(seconds=lease_in),
    )


def _status(api_client, latentgeo_auth, audit) -> dict:
    response = api_client.get(f"/api/v1/audits/{audit.pk}/pdf-status", **latentgeo_auth())
    assert response.status_code == 200
    return response.json()


def test_a_job_with_a_live_lease_still_blocks_generation(api_client, latentgeo_auth):
    audit = CompletedAuditFactory()
    _running_job(audit, lease_in=30, attempts=1)
    response = api_client.post(f"/api/v1/audits/{audit.pk}/generate-pdf", **latentgeo_auth())
    assert response.status_code == 409
    assert _status(api_client, latentgeo_auth, audit)["status"] == "running"


def test_status_re_queues_a_job_whose_lease_lapsed(
    api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    audit = CompletedAuditFactory()
    _running_job(audit, lease_in=-1, attempts=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = _status(api_client, latentgeo_auth, audit)
    assert body["status"] == "queued"
    # The re-queued task ran in-process (tasks are eager in the tests) and finished the job.
    assert len(callbacks) == 1
    job = PdfJob.objects.get()
    assert job.status == PdfJob.Status.COMPLETED
    assert job.attempts == 2


def test_a_job_that_lost_its_worker_three_times_fails_and_generation_is_accepted(
    api_client, latentgeo_auth
):
    audit = CompletedAuditFactory()
    _running_job(audit, lease_in=-1, attempts=3)
    body = _status(api_client, latentgeo_auth, audit)
    assert body["status"] == "failed"
    assert body["error"] == pdf_job_steps.WORKER_LOST_MESSAGE
    response = api_client.post(f"/api/v1/audits/{audit.pk}/generate-pdf", **latentgeo_auth())
    assert response.status_code == 202
    assert PdfJob.objects.get().attempts == 0


def test_generate_pdf_replaces_a_job_whose_lease_lapsed(api_client, latentgeo_auth):
    audit = CompletedAuditFactory()
    _running_job(audit, lease_in=-1, attempts=1)
    response = api_client.post(f"/api/v1/audits/{audit.pk}/generate-pdf", **latentgeo_auth())
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


def test_a_redelivered_task_past_its_attempts_fails_the_job_instead_of_rendering():
    audit = CompletedAuditFactory()
    _running_job(audit, lease_in=30, attempts=3)
    claimed = pdf_job_steps.pdf_job_claim(
        audit_id=audit.pk, claimable=PdfJob.IN_PROGRESS, task_id="redelivered"
    )
    assert claimed is None
    job = PdfJob.objects.get()
    assert job.status == PdfJob.Status.FAILED
    assert job.error == pdf_job_steps.WORKER_LOST_MESSAGE


def test_claiming_starts_a_lease_and_counts_the_attempt(settings):
    settings.PDF_JOB_LEASE_SECONDS = 45
    audit = CompletedAuditFactory()
    PdfJobFactory(audit=audit)
    job = pdf_job_steps.pdf_job_claim(audit_id=audit.pk, claimable=PdfJob.IN_PROGRESS, task_id="t1")
    assert job.attempts == 1
    assert timedelta(seconds=40) < job.lease_expires_at - timezone.now() <= timedelta(seconds=45)
    assert pdf_job_steps.pdf_job_lease_renew(job_id=job.pk, task_id="t1") is True
    assert pdf_job_steps.pdf_job_lease_renew(job_id=job.pk, task_id="someone-else") is False
