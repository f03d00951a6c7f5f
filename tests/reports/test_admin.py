import pytest
from django.urls import reverse

from reports.models import PdfJob
from reports.pdf_job_steps import pdf_job_complete
from tests.reports.factories import CompletedAuditFactory, PdfJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_job() -> PdfJob:
    audit = CompletedAuditFactory()
    job = PdfJobFactory(audit=audit, status=PdfJob.Status.RUNNING, requested_at=audit.updated_at)
    return pdf_job_complete(job_id=job.pk, content=b"%PDF-1.7 report", audit_revision=1)


def test_staff_see_audits_with_their_job(admin_client, finished_job):
    response = admin_client.get(reverse("admin:reports_audit_change", args=[finished_job.audit_id]))
    assert response.status_code == 200
    assert reverse("admin:reports_pdfjob_download", args=[finished_job.pk]) in response.text


def test_staff_see_an_audits_runs_read_only(admin_client):
    from reports.services import audit_results_update
    from tests.reports.factories import COMPLETED_RESULTS, AuditFactory

    audit = AuditFactory()
    audit_results_update(audit_id=audit.pk, results=COMPLETED_RESULTS)

    response = admin_client.get(reverse("admin:reports_audit_change", args=[audit.pk]))

    assert response.status_code == 200
    assert "Run 1 of audit" in response.text
    assert 'name="runs-0-status"' not in response.text


def test_staff_see_jobs_read_only_and_download_the_pdf(admin_client, finished_job):
    listing = admin_client.get(reverse("admin:reports_pdfjob_changelist"))
    assert listing.status_code == 200
    change = admin_client.get(reverse("admin:reports_pdfjob_change", args=[finished_job.pk]))
    assert 'name="status"' not in change.text
    download = admin_client.get(reverse("admin:reports_pdfjob_download", args=[finished_job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 report"


def test_pdf_download_in_the_admin_needs_a_staff_login(client, finished_job):
    response = client.get(reverse("admin:reports_pdfjob_download", args=[finished_job.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
