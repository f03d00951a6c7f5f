import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.models import PdfJob
from tests.reports.factories import COMPLETED_RESULTS, AuditFactory, CompletedAuditFactory

pytestmark = pytest.mark.django_db


def _url(audit, action: str) -> str:
    return f"/api/v1/audits/{audit.pk}/{action}"


@pytest.fixture
def generate(api_client, latentgeo_auth, django_capture_on_commit_callbacks):
    """POST generate-pdf; with `render=True` the queued task runs in-process on commit."""

    def post(audit, *, query: str = "", render: bool = False, caller: dict | None = None):
        auth = caller or latentgeo_auth()
        with django_capture_on_commit_callbacks(execute=render):
            return api_client.post(f"{_url(audit, 'generate-pdf')}{query}", **auth)

    return post


def test_generate_queues_a_job(generate, completed_audit):
    response = generate(completed_audit)
    assert response.status_code == 202
    body = response.json()
    job = PdfJob.objects.get(audit=completed_audit)
    assert body["audit_id"] == completed_audit.pk
    assert body["job_id"] == job.pk
    assert body["status"] == "queued"
    assert body["message"] == "PDF generation queued."
    assert job.audit_revision == completed_audit.results_revision


def test_generate_for_a_pending_audit_is_400(generate):
    audit = AuditFactory()
    response = generate(audit)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "La auditoría debe estar completada. Estado actual: pending"
    }
    assert not PdfJob.objects.exists()


def test_generate_while_a_job_is_queued_is_409_with_retry_after(generate, completed_audit):
    assert generate(completed_audit).status_code == 202
    response = generate(completed_audit)
    assert response.status_code == 409
    assert response["Retry-After"] == "10"
    assert response.json() == {"detail": "PDF generation is already in progress for this audit."}


def test_generate_while_a_job_is_running_is_409(generate, completed_audit):
    generate(completed_audit)
    PdfJob.objects.filter(audit=completed_audit).update(status=PdfJob.Status.RUNNING)
    response = generate(completed_audit, query="?force=true")
    assert response.status_code == 409


def test_generate_for_someone_elses_audit_is_403(generate):
    audit = CompletedAuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = generate(audit)
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}


def test_generate_for_an_absent_audit_is_404(api_client, latentgeo_auth):
    response = api_client.post("/api/v1/audits/424242/generate-pdf", **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "Auditoría no encontrada"}


def test_generate_with_an_invalid_force_flag_is_422(generate, completed_audit):
    response = generate(completed_audit, query="?force=maybe")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "force"]


def test_rendered_report_is_reported_and_downloadable(
    generate, api_client, latentgeo_auth, completed_audit
):
    assert generate(completed_audit, render=True).status_code == 202

    status = api_client.get(_url(completed_audit, "pdf-status"), **latentgeo_auth()).json()
    job = PdfJob.objects.get(audit=completed_audit)
    assert status == {
        "audit_id": completed_audit.pk,
        "job_id": job.pk,
        "status": "completed",
        "download_ready": True,
        "error": None,
        "started_at": status["started_at"],
        "completed_at": status["completed_at"],
        "file_size": job.file_size,
    }
    assert status["started_at"] and status["completed_at"] and job.file_size > 1000

    response = api_client.get(_url(completed_audit, "download-pdf"), **latentgeo_auth())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"audit-{completed_audit.pk}-report.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert completed_audit.url in text
    assert "Missing meta descriptions" in text


def test_generate_returns_the_current_report_without_force(generate, completed_audit):
    generate(completed_audit, render=True)
    job = PdfJob.objects.get(audit=completed_audit)

    response = generate(completed_audit)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["job_id"] == job.pk
    assert body["download_ready"] is True
    assert PdfJob.objects.get(pk=job.pk).status == "completed"


def test_force_regenerates_a_current_report(generate, completed_audit):
    generate(completed_audit, render=True)
    response = generate(completed_audit, query="?force=true")
    assert response.status_code == 202
    assert PdfJob.objects.get(audit=completed_audit).status == "queued"


def test_new_results_make_the_report_outdated(
    generate, api_client, latentgeo_auth, completed_audit
):
    generate(completed_audit, render=True)
    api_client.patch(
        f"/api/v1/audits/{completed_audit.pk}",
        {"results": {**COMPLETED_RESULTS, "scores": {"seo": 99}}},
        format="json",
        **latentgeo_auth(),
    )
    assert generate(completed_audit).status_code == 202


def test_a_report_whose_file_vanished_is_regenerated(generate, api_client, latentgeo_auth):
    audit = CompletedAuditFactory()
    generate(audit, render=True)
    job = PdfJob.objects.get(audit=audit)
    job.file.storage.delete(job.file.name)

    download = api_client.get(_url(audit, "download-pdf"), **latentgeo_auth())
    assert download.status_code == 404
    assert download.json() == {"detail": "El archivo PDF no existe. Genera el PDF primero."}
    assert generate(audit).status_code == 202


def test_regeneration_replaces_the_stored_file(generate, completed_audit):
    generate(completed_audit, render=True)
    first = PdfJob.objects.get(audit=completed_audit).file
    generate(completed_audit, query="?force=true", render=True)
    second = PdfJob.objects.get(audit=completed_audit).file
    assert second.name != first.name
    assert Path(second.path).exists()
    assert not Path(first.path).exists()


def test_status_before_any_generation_is_404(api_client, latentgeo_auth, completed_audit):
    response = api_client.get(_url(completed_audit, "pdf-status"), **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "El archivo PDF no existe. Genera el PDF primero."}


def test_status_of_a_queued_job(generate, api_client, latentgeo_auth, completed_audit):
    generate(completed_audit)
    body = api_client.get(_url(completed_audit, "pdf-status"), **latentgeo_auth()).json()
    assert body["status"] == "queued"
    assert body["download_ready"] is False
    assert body["file_size"] is None
    assert body["started_at"] is None


def test_status_of_someone_elses_audit_is_403(api_client, latentgeo_auth):
    audit = CompletedAuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.get(_url(audit, "pdf-status"), **latentgeo_auth())
    assert response.status_code == 403


def test_download_before_any_generation_is_404(api_client, latentgeo_auth, completed_audit):
    response = api_client.get(_url(completed_audit, "download-pdf"), **latentgeo_auth())
    assert response.status_code == 404
    assert response.json() == {"detail": "El archivo PDF no existe. Genera el PDF primero."}


def test_download_while_queued_is_400(generate, api_client, latentgeo_auth, completed_audit):
    generate(completed_audit)
    response = api_client.get(_url(completed_audit, "download-pdf"), **latentgeo_auth())
    assert response.status_code == 400
    assert response.json() == {"detail": "El PDF aún no está listo. Estado actual: queued"}


def test_download_of_someone_elses_report_is_403(generate, api_client, latentgeo_auth):
    audit = CompletedAuditFactory()
    generate(audit, render=True)
    response = api_client.get(
        _url(audit, "download-pdf"), **latentgeo_auth(sub="auth0|mallory", email=None)
    )
    assert response.status_code == 403


def test_failed_render_is_reported_and_can_be_retried(
    generate, api_client, latentgeo_auth, completed_audit, settings, tmp_path
):
    # Storage cannot create its directory below a regular file, so storing the PDF fails.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    good_media_root = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(blocker / "media")
    assert generate(completed_audit, render=True).status_code == 202

    status = api_client.get(_url(completed_audit, "pdf-status"), **latentgeo_auth()).json()
    assert status["status"] == "failed"
    assert status["error"] == "PDF rendering failed. Request a new PDF to try again."
    assert status["download_ready"] is False
    assert "Traceback" not in status["error"]
    download = api_client.get(_url(completed_audit, "download-pdf"), **latentgeo_auth())
    assert download.status_code == 400
    assert download.json() == {"detail": "El PDF aún no está listo. Estado actual: failed"}

    settings.MEDIA_ROOT = good_media_root
    assert generate(completed_audit, render=True).status_code == 202
    status = api_client.get(_url(completed_audit, "pdf-status"), **latentgeo_auth()).json()
    assert status["status"] == "completed"
    assert status["error"] is None


def test_generate_is_limited_per_user(generate, latentgeo_auth, settings):
    settings.PDF_GENERATE_RATE = "5/m"
    audit = AuditFactory()
    for _ in range(5):
        assert generate(audit).status_code == 400
    response = generate(audit)
    assert response.status_code == 429
    assert response.json() == {"detail": "Rate limit exceeded. Max 5 requests per 60s."}
    assert 1 <= int(response["Retry-After"]) <= 60

    other = AuditFactory(owner_user_id="auth0|bob", owner_email="")
    bob = latentgeo_auth(sub="auth0|bob", email=None)
    assert generate(other, caller=bob).status_code == 400
