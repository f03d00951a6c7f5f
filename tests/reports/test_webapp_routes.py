"""The audit routes the web app reads: creation, list, overview, pages, fix plan, reports."""

import pytest

from reports import pdf_job_steps, services
from reports.models import Audit, AuditRun, PdfJob, ScoreRecord
from tests.reports.factories import AuditFactory, PdfJobFactory
from tests.reports.test_pdf_engine_report import ENGINE_RESULTS

pytestmark = pytest.mark.django_db

AUDITS = "/api/v1/audits"


@pytest.fixture
def completed(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    audit = AuditFactory(url="https://Bikes.example.com/", competitors=["https://rival.example"])
    return services.audit_results_update(audit_id=audit.pk, results=ENGINE_RESULTS)


def _pdf_ready(audit: Audit) -> PdfJob:
    job = PdfJobFactory(audit=audit)
    return pdf_job_steps.pdf_job_complete(
        job_id=job.pk, content=b"%PDF-1.4\n%%EOF\n", audit_revision=audit.results_revision
    )


def test_create_with_slash_stores_the_intake_and_names_the_audit(
    api_client, latentgeo_auth, settings
):
    settings.AUDIT_TIME_BUDGET_SECONDS = 0
    body = {
        "url": "https://shop.example.com/",
        "run": False,
        "language": "es",
        "competitors": ["https://rival.example.com/"],
        "market": "Spain",
        "source": "home",
        "unknown_extra": "ignored",
    }
    response = api_client.post(f"{AUDITS}/", body, format="json", **latentgeo_auth())
    assert response.status_code == 201
    audit = Audit.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/audits/{audit.pk}"
    assert (audit.language, audit.competitors, audit.market, audit.source) == (
        "es",
        ["https://rival.example.com/"],
        "Spain",
        "home",
    )


def test_create_returns_the_callers_running_audit_of_the_same_url(
    api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = api_client.post(
            AUDITS, {"url": "https://shop.example.com/"}, format="json", **latentgeo_auth()
        )
        again = api_client.post(
            f"{AUDITS}/", {"url": "https://shop.example.com/"}, format="json", **latentgeo_auth()
        )
        other = api_client.post(
            AUDITS, {"url": "https://other.example.com/"}, format="json", **latentgeo_auth()
        )
        by_bob = api_client.post(
            AUDITS,
            {"url": "https://shop.example.com/"},
            format="json",
            **latentgeo_auth(sub="auth0|bob", email="bob@example.com"),
        )
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert len({first.json()["id"], other.json()["id"], by_bob.json()["id"]}) == 3


def test_chat_config_stores_the_intake_and_queues_a_pending_audit(
    api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    audit = AuditFactory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api_client.post(
            f"{AUDITS}/chat/config/",
            {"audit_id": audit.pk, "language": "fr", "competitors": ["a.example"], "market": "FR"},
            format="json",
            **latentgeo_auth(),
        )
    assert response.status_code == 202
    assert response.json() == {"role": "assistant", "content": "Configuration saved. Audit queued."}
    audit.refresh_from_db()
    assert (audit.language, audit.competitors, audit.market) == ("fr", ["a.example"], "FR")
    assert audit.run_generation == 1
    assert sum("reports.tasks.audit_run" in repr(callback) for callback in queued) == 1


def test_chat_config_of_a_completed_audit_says_so_and_keeps_it(
    api_client, latentgeo_auth, completed
):
    response = api_client.post(
        f"{AUDITS}/chat/config",
        {"audit_id": completed.pk, "language": "fr"},
        format="json",
        **latentgeo_auth(),
    )
    assert response.status_code == 202
    assert response.json()["content"] == "This audit is already in progress or completed."
    completed.refresh_from_db()
    assert completed.language == ""


def test_chat_config_of_someone_elses_audit_is_403(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.post(
        f"{AUDITS}/chat/config", {"audit_id": audit.pk}, format="json", **latentgeo_auth()
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "No autorizado para esta auditoría"}


def test_list_is_summaries_newest_first_with_skip_and_limit(api_client, latentgeo_auth, completed):
    newer = AuditFactory(url="https://b.example.com/")
    response = api_client.get(f"{AUDITS}/?skip=0&limit=1", **latentgeo_auth())
    assert [item["id"] for item in response.json()] == [newer.pk]
    second = api_client.get(f"{AUDITS}?skip=1&limit=100", **latentgeo_auth()).json()
    assert second == [
        {
            "id": completed.pk,
            "url": "https://Bikes.example.com/",
            "domain": "bikes.example.com",
            "status": "completed",
            "progress": 100,
            "created_at": second[0]["created_at"],
            "completed_at": second[0]["completed_at"],
            "geo_score": 88,
            "total_pages": 2,
            "pagespeed_status": "idle",
            "pdf_status": "idle",
        }
    ]
    assert second[0]["completed_at"] is not None
    bad = api_client.get(f"{AUDITS}?limit=0", **latentgeo_auth())
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "limit"]


def test_list_by_status_filters_and_refuses_unknown_statuses(api_client, latentgeo_auth, completed):
    AuditFactory()
    done = api_client.get(f"{AUDITS}/status/completed/", **latentgeo_auth())
    assert [item["id"] for item in done.json()] == [completed.pk]
    bad = api_client.get(f"{AUDITS}/status/finished", **latentgeo_auth())
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["path", "status"]
    assert bad.json()["detail"][0]["type"] == "value_error.choice"


@pytest.mark.parametrize("name", ["summary", "overview"])
def test_overview_of_a_completed_audit(api_client, latentgeo_auth, completed, name):
    _pdf_ready(completed)
    body = api_client.get(f"{AUDITS}/{completed.pk}/{name}", **latentgeo_auth()).json()
    assert body["geo_score"] == 88
    assert (body["critical_issues"], body["high_issues"], body["medium_issues"]) == (1, 0, 1)
    assert body["competitor_count"] == 1
    assert body["fix_plan_count"] == 2
    assert body["diagnostics_summary"] == [
        {"code": "H1_MISSING", "title": "Page has no H1 heading", "severity": "critical"},
        {"code": "LLMS_TXT_MISSING", "title": "Site has no llms.txt", "severity": "medium"},
    ]
    assert (body["report_ready"], body["pdf_available"], body["pagespeed_available"]) == (
        True,
        True,
        False,
    )
    assert body["external_intelligence"] is None
    assert body["intake_profile"]["competitors"] == ["https://rival.example"]
    assert body["domain"] == "bikes.example.com"


@pytest.mark.parametrize("name", ["status", "progress"])
def test_progress_of_a_failed_audit_carries_its_error(api_client, latentgeo_auth, name):
    audit = AuditFactory(status="failed", error="No page of the site could be audited: HTTP 500.")
    body = api_client.get(f"{AUDITS}/{audit.pk}/{name}/", **latentgeo_auth()).json()
    assert body["audit_id"] == body["id"] == audit.pk
    assert body["status"] == "failed"
    assert body["error_message"] == "No page of the site could be audited: HTTP 500."
    assert body["geo_score"] is None


def test_pages_of_a_completed_audit(api_client, latentgeo_auth, completed):
    pages = api_client.get(f"{AUDITS}/{completed.pk}/pages", **latentgeo_auth()).json()
    assert pages[0] == {
        "id": 1,
        "url": "https://bikes.example.com/",
        "path": "/",
        "overall_score": 92,
        "h1_score": 70,
        "structure_score": 70,
        "content_score": 100,
        "eeat_score": 100,
        "schema_score": 100,
        "critical_issues": 1,
        "high_issues": 0,
        "medium_issues": 0,
        "low_issues": 0,
    }
    assert pages[1]["path"] == "/gone"
    assert pages[1]["overall_score"] is None


def test_pages_before_a_run_completes_are_empty(api_client, latentgeo_auth):
    audit = AuditFactory(status="running")
    assert api_client.get(f"{AUDITS}/{audit.pk}/pages", **latentgeo_auth()).json() == []


@pytest.mark.parametrize("name", ["issues", "fix_plan"])
def test_fix_plan_lists_each_finding_with_its_files(api_client, latentgeo_auth, completed, name):
    plan = api_client.get(f"{AUDITS}/{completed.pk}/{name}", **latentgeo_auth()).json()
    h1, llms = plan["fix_plan"]
    assert h1 == {
        "issue": "H1_MISSING",
        "title": "Page has no H1 heading",
        "description": "The page has no <h1>.",
        "priority": "critical",
        "recommendations": ["Give every page exactly one <h1>."],
        "steps": ["/: Give every page exactly one <h1>."],
        "files": ["/"],
        "page_url": "https://bikes.example.com/",
        "code": "H1_MISSING",
    }
    assert llms["files"] == ["llms.txt"]


def test_fix_plan_before_completion_is_400_naming_the_status(api_client, latentgeo_auth):
    audit = AuditFactory(status="running")
    response = api_client.get(f"{AUDITS}/{audit.pk}/fix_plan", **latentgeo_auth())
    assert response.status_code == 400
    assert response.json() == {
        "detail": "El plan de correcciones aún no está listo. Estado actual: running"
    }


def test_markdown_report_has_title_scores_findings_and_pages(api_client, latentgeo_auth, completed):
    body = api_client.get(f"/api/v1/reports/markdown/{completed.pk}/", **latentgeo_auth()).json()
    assert body["audit_id"] == completed.pk
    assert body["created_at"]
    markdown = body["markdown"]
    assert markdown.startswith("# GEO audit report: bikes.example.com\n")
    assert "| E-E-A-T | 100/100 |" in markdown
    assert "- Overall score: 88/100" in markdown
    assert "### Critical (1)" in markdown
    assert "#### Page has no H1 heading (`H1_MISSING`)" in markdown
    assert "**Recommendation:** Give every page exactly one <h1>." in markdown
    assert "| https://bikes.example.com/gone | - | - | body is over the 2097152 byte limit |" in (
        markdown
    )
    report = api_client.get(f"{AUDITS}/{completed.pk}/report", **latentgeo_auth()).json()
    assert report == {"report_markdown": markdown}


def test_reports_before_completion_are_400(api_client, latentgeo_auth):
    audit = AuditFactory()
    markdown = api_client.get(f"/api/v1/reports/markdown/{audit.pk}", **latentgeo_auth())
    assert (markdown.status_code, markdown.json()) == (
        400,
        {"detail": "El reporte aún no está listo."},
    )
    report = api_client.get(f"{AUDITS}/{audit.pk}/report", **latentgeo_auth())
    assert (report.status_code, report.json()) == (
        400,
        {"detail": "El reporte aún no está listo. Estado actual: pending"},
    )


def test_artifacts_status_maps_the_pdf_job(api_client, latentgeo_auth, completed):
    url = f"{AUDITS}/{completed.pk}/artifacts-status"
    idle = api_client.get(url, **latentgeo_auth()).json()
    assert (idle["pdf_status"], idle["pdf_job_id"], idle["pdf_available"]) == ("idle", None, False)
    assert (idle["pagespeed_status"], idle["pagespeed_available"]) == ("idle", False)
    job = PdfJobFactory(audit=completed)
    queued = api_client.get(url, **latentgeo_auth()).json()
    assert (queued["pdf_status"], queued["pdf_job_id"], queued["pdf_retry_after_seconds"]) == (
        "queued",
        job.pk,
        10,
    )
    pdf_job_steps.pdf_job_fail(job_id=job.pk, error="PDF rendering failed.")
    failed = api_client.get(url, **latentgeo_auth()).json()
    assert failed["pdf_error"] == {
        "code": "pdf_generation_failed",
        "message": "PDF rendering failed.",
    }
    _pdf_ready_again = pdf_job_steps.pdf_job_complete(
        job_id=job.pk, content=b"%PDF-1.4\n%%EOF\n", audit_revision=completed.results_revision
    )
    done = api_client.get(url, **latentgeo_auth()).json()
    assert (done["pdf_status"], done["pdf_available"], done["pdf_report_id"]) == (
        "completed",
        True,
        _pdf_ready_again.pk,
    )
    assert done["pdf_error"] is None


def test_delete_removes_the_audit_its_runs_jobs_and_pdf_file(
    api_client, latentgeo_auth, completed, django_capture_on_commit_callbacks
):
    job = _pdf_ready(completed)
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert AuditRun.objects.filter(audit=completed).count() == 1
    assert ScoreRecord.objects.filter(audit=completed).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"{AUDITS}/{completed.pk}/", **latentgeo_auth())
    assert response.status_code == 204
    assert not Audit.objects.filter(pk=completed.pk).exists()
    assert not PdfJob.objects.filter(pk=job.pk).exists()
    assert not AuditRun.objects.filter(audit_id=completed.pk).exists()
    assert not ScoreRecord.objects.filter(audit_id=completed.pk).exists()
    assert not storage.exists(name)


def test_delete_of_someone_elses_audit_is_403_and_keeps_it(api_client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    response = api_client.delete(f"{AUDITS}/{audit.pk}", **latentgeo_auth())
    assert response.status_code == 403
    assert Audit.objects.filter(pk=audit.pk).exists()
