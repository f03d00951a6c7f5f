"""The progress stream: ownership first, then frames in the exact format until the end."""

import json

import pytest

from reports import services
from tests.reports.factories import COMPLETED_RESULTS, AuditFactory

# The stream reads the database from threads of its own: rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

STREAM = "/api/v1/sse/audits/{}/progress"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_completed_audit_streams_one_frame_and_ends(client, latentgeo_auth):
    audit = AuditFactory()
    audit = services.audit_results_update(audit_id=audit.pk, results=COMPLETED_RESULTS)
    response = client.get(STREAM.format(audit.pk), **latentgeo_auth())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    frame = {
        "audit_id": audit.pk,
        "progress": 100,
        "status": "completed",
        "error_message": None,
        "geo_score": 70,
        "total_pages": 0,
    }
    assert _body(response) == f"data: {json.dumps(frame)}\nretry: 5000\n\n".encode()


def test_a_running_audit_gets_heartbeats_then_the_timeout_frame(client, latentgeo_auth, settings):
    settings.AUDIT_PROGRESS_HEARTBEAT_SECONDS = 0.2
    settings.AUDIT_PROGRESS_POLL_SECONDS = 0.05
    settings.AUDIT_PROGRESS_STREAM_MAX_SECONDS = 0.7
    audit = AuditFactory(status="running", progress=40, pages_crawled=4)
    body = _body(client.get(STREAM.format(audit.pk) + "/", **latentgeo_auth())).decode()
    frames = body.split("\n\n")
    assert frames[0] == (
        f'data: {{"audit_id": {audit.pk}, "progress": 40, "status": "running", '
        '"error_message": null, "geo_score": null, "total_pages": 4}\nretry: 5000'
    )
    assert frames[1] == ": heartbeat"
    assert frames[-2] == 'data: {"error": "Stream timeout"}\nretry: 5000'
    assert frames[-1] == ""


def test_the_stream_checks_ownership_before_streaming(client, latentgeo_auth):
    audit = AuditFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    foreign = client.get(STREAM.format(audit.pk), **latentgeo_auth())
    assert (foreign.status_code, foreign.json()) == (
        403,
        {"detail": "No autorizado para esta auditoría"},
    )
    absent = client.get(STREAM.format(audit.pk + 1000), **latentgeo_auth())
    assert (absent.status_code, absent.json()) == (404, {"detail": "Auditoría no encontrada"})
    bad_id = client.get(STREAM.format("abc"), **latentgeo_auth())
    assert bad_id.status_code == 422
    assert bad_id.json()["detail"][0]["loc"] == ["path", "audit_id"]


def test_the_stream_needs_the_bearer_header(client):
    audit = AuditFactory()
    response = client.get(STREAM.format(audit.pk))
    assert response.status_code == 401
    assert response["X-Auth-Error-Code"] == "missing_token"
    assert response.json() == {"detail": "Token no proporcionado"}
    assert response["X-Request-ID"]


def test_other_methods_are_405_in_the_latentgeo_style(client, latentgeo_auth):
    audit = AuditFactory()
    response = client.post(STREAM.format(audit.pk), **latentgeo_auth())
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})
