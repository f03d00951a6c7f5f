"""Every run of an audit is kept; runs are listed, read and compared."""

import copy

import pytest

from reports import audit_run_steps
from reports.audit_runs import audit_run_queue
from reports.models import Audit, AuditRun, ScoreRecord
from reports.services import audit_results_update
from tests.audit_engine.sites import clean_site_serve, html_serve, page_html
from tests.reports.factories import COMPLETED_RESULTS, AuditFactory

pytestmark = pytest.mark.django_db

AUDITS = "/api/v1/audits"


def _results(*, scores: dict, findings: list[tuple[str, str, str | None]]) -> dict:
    return {
        "summary": "",
        "scores": scores,
        "findings": [
            {
                "code": code,
                "severity": severity,
                "title": code.replace("_", " ").title(),
                "description": "d",
                "recommendation": "r",
                **({"url": url} if url else {}),
            }
            for code, severity, url in findings
        ],
    }


BEFORE = _results(
    scores={"structure": 60, "schema": 40, "overall": 50},
    findings=[
        ("H1_MISSING", "critical", "https://shop.example.com/"),
        ("H1_MISSING", "critical", "https://shop.example.com/about"),
        ("SCHEMA_MISSING", "critical", "https://shop.example.com/"),
        ("LLMS_TXT_MISSING", "medium", None),
    ],
)
AFTER = _results(
    scores={"structure": 80, "schema": 40, "overall": 65, "eeat": 70},
    findings=[
        ("H1_MISSING", "critical", "https://shop.example.com/about"),
        ("SCHEMA_MISSING", "critical", "https://shop.example.com/"),
        ("TITLE_MISSING", "high", "https://shop.example.com/blog"),
    ],
)


@pytest.fixture
def owner(api_client, latentgeo_auth):
    auth = latentgeo_auth()

    class Owner:
        def create(self, **body):
            body = {"url": "https://shop.example.com/", "run": False, **body}
            return api_client.post(AUDITS, body, format="json", **auth)

        def patch(self, audit_id: int, results: dict):
            return api_client.patch(
                f"{AUDITS}/{audit_id}", {"results": results}, format="json", **auth
            )

        def get(self, path: str):
            return api_client.get(f"{AUDITS}/{path}", **auth)

    return Owner()


def test_every_patch_is_kept_as_a_run_and_the_audit_shows_the_latest(owner):
    audit_id = owner.create().json()["id"]
    assert owner.get(f"{audit_id}/runs").json() == []

    owner.patch(audit_id, BEFORE)
    owner.patch(audit_id, AFTER)

    runs = owner.get(f"{audit_id}/runs").json()
    assert [(r["run"], r["trigger"], r["status"]) for r in runs] == [
        (2, "results", "completed"),
        (1, "results", "completed"),
    ]
    assert runs[1]["scores"] == BEFORE["scores"]
    assert runs[1]["finding_counts"] == {"critical": 3, "high": 0, "medium": 1, "low": 0}
    assert runs[0]["finding_counts"] == {"critical": 2, "high": 1, "medium": 0, "low": 0}
    assert runs[0]["completed_at"] and runs[0]["started_at"]
    assert "results" not in runs[0]
    assert owner.get(str(audit_id)).json()["results"]["scores"] == AFTER["scores"]
    one = owner.get(f"{audit_id}/runs/1").json()
    assert one["results"] == BEFORE


def test_compare_defaults_to_the_two_latest_runs_matching_findings_by_code_and_url(owner):
    audit_id = owner.create().json()["id"]
    for results in (COMPLETED_RESULTS, BEFORE, AFTER):
        owner.patch(audit_id, results)

    response = owner.get(f"{audit_id}/compare")

    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == (2, 3)
    assert body["scores"] == {
        "structure": {"from": 60, "to": 80, "delta": 20},
        "schema": {"from": 40, "to": 40, "delta": 0},
        "overall": {"from": 50, "to": 65, "delta": 15},
        "eeat": {"from": None, "to": 70, "delta": None},
    }
    assert sorted((f["code"], f["url"]) for f in body["fixed"]) == [
        ("H1_MISSING", "https://shop.example.com/"),
        ("LLMS_TXT_MISSING", None),
    ]
    assert [(f["code"], f["url"], f["severity"]) for f in body["new"]] == [
        ("TITLE_MISSING", "https://shop.example.com/blog", "high")
    ]
    assert body["unchanged"] == 2


def test_compare_of_chosen_runs_goes_in_the_asked_direction(owner):
    audit_id = owner.create().json()["id"]
    owner.patch(audit_id, BEFORE)
    owner.patch(audit_id, AFTER)

    body = owner.get(f"{audit_id}/compare?from=2&to=1").json()

    assert (body["from"], body["to"]) == (2, 1)
    assert body["scores"]["overall"] == {"from": 65, "to": 50, "delta": -15}
    assert [f["code"] for f in body["new"]] == ["H1_MISSING", "LLMS_TXT_MISSING"]


def test_engine_findings_listing_pages_compare_page_by_page(owner):
    audit_id = owner.create().json()["id"]
    pages = ["https://shop.example.com/", "https://shop.example.com/a"]
    before = copy.deepcopy(BEFORE)
    before["findings"] = [{**before["findings"][0], "url": pages[0], "pages": pages}]
    after = copy.deepcopy(before)
    after["findings"][0]["pages"] = pages[1:]
    # As the engine stores them (a PATCH body has no `pages`).
    audit_results_update(audit_id=audit_id, results=before)
    audit_results_update(audit_id=audit_id, results=after)

    body = owner.get(f"{audit_id}/compare").json()

    assert [(f["code"], f["url"]) for f in body["fixed"]] == [("H1_MISSING", pages[0])]
    assert (body["new"], body["unchanged"]) == ([], 1)


def test_compare_needs_two_completed_runs(owner):
    audit_id = owner.create().json()["id"]
    owner.patch(audit_id, BEFORE)

    response = owner.get(f"{audit_id}/compare")

    assert response.status_code == 400
    assert response.json() == {"detail": "La comparación necesita dos ejecuciones completadas"}


def test_compare_refuses_a_run_that_did_not_complete(owner, django_capture_on_commit_callbacks):
    audit_id = owner.create().json()["id"]
    owner.patch(audit_id, BEFORE)
    audit = Audit.objects.get(pk=audit_id)
    audit.status = Audit.Status.FAILED
    audit.save()
    AuditRun.objects.filter(audit=audit).update(status="failed")

    response = owner.get(f"{audit_id}/compare?from=1&to=1")

    assert response.status_code == 400
    assert response.json() == {"detail": "La ejecución 1 no está completada. Estado actual: failed"}


def test_unknown_run_is_not_found_and_a_bad_number_is_a_validation_error(owner):
    audit_id = owner.create().json()["id"]

    missing = owner.get(f"{audit_id}/runs/7")
    bad = owner.get(f"{audit_id}/runs/seven")
    bad_query = owner.get(f"{audit_id}/compare?from=x")

    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "Ejecución de la auditoría no encontrada"},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["path", "run"]
    assert bad_query.status_code == 422
    assert bad_query.json()["detail"][0]["loc"] == ["query", "from"]


def test_runs_of_another_users_audit_are_forbidden(owner, api_client, latentgeo_auth):
    audit_id = owner.create().json()["id"]
    bob = latentgeo_auth(sub="auth0|bob", email="bob@example.com")

    for path in ("runs", "runs/1", "compare"):
        response = api_client.get(f"{AUDITS}/{audit_id}/{path}", **bob)
        assert response.status_code == 403, path
    assert api_client.get(f"{AUDITS}/999999/runs", **bob).status_code == 404


def test_crawls_are_runs_with_their_trigger_pages_and_scores(
    httpserver, settings, owner, api_client, latentgeo_auth, django_capture_on_commit_callbacks
):
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    root = clean_site_serve(httpserver, home=page_html(links=["/thin"], h1s=0))
    html_serve(httpserver, "/thin", page_html(paragraphs=1))
    with django_capture_on_commit_callbacks(execute=True):
        audit_id = owner.create(url=root, run=True).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(f"{AUDITS}/{audit_id}/rerun", **latentgeo_auth()).status_code == 202

    runs = owner.get(f"{audit_id}/runs").json()

    assert [(r["run"], r["trigger"], r["status"], r["pages_crawled"]) for r in runs] == [
        (2, "rerun", "completed", 2),
        (1, "create", "completed", 2),
    ]
    audit = Audit.objects.get(pk=audit_id)
    assert runs[0]["scores"] == audit.results["scores"]
    assert runs[0]["finding_counts"]["critical"] == 1
    assert owner.get(f"{audit_id}/compare").json()["unchanged"] == 2
    assert ScoreRecord.objects.filter(audit_id=audit_id).count() == 2


def test_results_by_patch_end_the_running_crawl_run_as_replaced(owner):
    audit = AuditFactory()
    audit_run_queue(audit=audit, trigger=AuditRun.Trigger.RERUN)
    assert audit_run_steps.audit_run_begin(audit_id=audit.pk, generation=1) is not None

    owner.patch(audit.pk, BEFORE)

    crawl, results = AuditRun.objects.filter(audit=audit).order_by("number")
    assert (crawl.status, crawl.error) == (
        "failed",
        "Replaced by results sent for the audit while it ran.",
    )
    assert (results.trigger, results.status) == ("results", "completed")
    assert Audit.objects.get(pk=audit.pk).status == "completed"


def test_history_routes_answer_with_a_trailing_slash_too(owner, api_client, latentgeo_auth):
    audit_id = owner.create().json()["id"]
    owner.patch(audit_id, BEFORE)

    for path in (
        f"{AUDITS}/{audit_id}/runs/",
        f"{AUDITS}/{audit_id}/runs/1/",
        "/api/v1/score-history/summary/",
        "/api/v1/score-history/domain/shop.example.com/",
        "/api/v1/webhooks/",
    ):
        assert api_client.get(path, **latentgeo_auth()).status_code == 200, path
