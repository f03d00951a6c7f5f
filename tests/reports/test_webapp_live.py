"""The web app's core flow against a live server: the Procfile's web command, a real Celery
worker, real Redis and PostgreSQL, and a real local site to audit."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from werkzeug import Response

from tests.audit_engine.sites import clean_site_serve, page_html
from tests.reports.test_pdf_worker import (  # noqa: F401
    MAX_WAIT_SECONDS,
    _test_database_url,
    celery_worker_process,
)

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT_SUMMARY = {
    "id",
    "url",
    "domain",
    "status",
    "progress",
    "created_at",
    "completed_at",
    "geo_score",
    "total_pages",
    "pagespeed_status",
    "pdf_status",
}
AUDIT_OVERVIEW = {
    "id",
    "url",
    "domain",
    "status",
    "progress",
    "created_at",
    "started_at",
    "completed_at",
    "geo_score",
    "total_pages",
    "critical_issues",
    "high_issues",
    "medium_issues",
    "competitor_count",
    "fix_plan_count",
    "source",
    "language",
    "category",
    "market",
    "intake_profile",
    "error_message",
    "diagnostics_summary",
    "report_ready",
    "pagespeed_available",
    "pdf_available",
    "external_intelligence",
}
PAGE = {
    "id",
    "url",
    "path",
    "overall_score",
    "h1_score",
    "structure_score",
    "content_score",
    "eeat_score",
    "schema_score",
    "critical_issues",
    "high_issues",
    "medium_issues",
    "low_issues",
}
FIX_PLAN_ITEM = {
    "issue",
    "title",
    "description",
    "priority",
    "recommendations",
    "steps",
    "files",
    "code",
}
ARTIFACTS = {
    "audit_id",
    "updated_at",
    "pdf_status",
    "pdf_job_id",
    "pdf_available",
    "pdf_report_id",
    "pdf_waiting_on",
    "pdf_dependency_job_id",
    "pdf_warnings",
    "pdf_error",
    "pdf_started_at",
    "pdf_completed_at",
    "pdf_retry_after_seconds",
    "pdf_message",
    "pagespeed_status",
    "pagespeed_available",
    "pagespeed_warnings",
}
FRAME = {"audit_id", "progress", "status", "error_message", "geo_score", "total_pages"}
FRAME_FORMAT = re.compile(r"data: (\{.*\})\nretry: 5000")
# A page served this slowly keeps the crawl running while the stream watches it.
SLOW_PAGE_SECONDS = 0.6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_env(monkeypatch, settings, tmp_path, celery_redis_broker):
    """What web and worker share: the test database, the broker, media, the local site."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    shared = {
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_redis_broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "AUDIT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1/32",
        "AUDIT_CRAWL_CONCURRENCY": "1",
    }
    for name, value in shared.items():
        monkeypatch.setenv(name, value)
    return shared


@pytest.fixture
def live_server_url(live_env, celery_worker_process, tmp_path):  # noqa: F811
    """The Procfile's `web` command on a free port, one worker; streams beat every 60 s."""
    port = _free_port()
    web = re.search(r"^web: (.*)$", (settings.BASE_DIR / "Procfile").read_text(), re.M)[1]
    env = {
        **os.environ,
        # The Procfile names the server as a deployment's PATH finds it: in this virtualenv.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        # Frames must come by pub/sub: the database is read again only before a heartbeat.
        "AUDIT_PROGRESS_HEARTBEAT_SECONDS": "60",
        "AUDIT_PROGRESS_POLL_SECONDS": "60",
    }
    log_path = tmp_path / "web.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {web}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while time.monotonic() < deadline:
            assert server.poll() is None, log_path.read_text()[-3000:]
            try:
                if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def slow_site(httpserver) -> str:
    """A site of a home page and three pages, each answered after a pause."""
    root = clean_site_serve(httpserver, home=page_html(links=["/a", "/b", "/c"]))

    def slow_page(request):
        time.sleep(SLOW_PAGE_SECONDS)
        return Response(page_html(title=f"Page {request.path}"), content_type="text/html")

    for path in ("/a", "/b", "/c"):
        httpserver.expect_request(path).respond_with_handler(slow_page)
    return root


def _bearer(sub: str = "auth0|webapp") -> dict:
    from authn.internal_tokens import internal_token_issue

    token = internal_token_issue(sub=sub, email=f"{sub.split('|')[1]}@example.com")
    return {"Authorization": f"Bearer {token}"}


def _stream_frames(client: httpx.Client, audit_id: int) -> tuple[httpx.Response, list[dict]]:
    """Read the progress stream until the server ends it; every frame parsed."""
    frames = []
    with client.stream(
        "GET", f"/api/v1/sse/audits/{audit_id}/progress", timeout=MAX_WAIT_SECONDS
    ) as response:
        body = b"".join(response.iter_raw()).decode()
    for chunk in body.split("\n\n")[:-1]:
        match = FRAME_FORMAT.fullmatch(chunk)
        assert match, f"not a frame: {chunk!r}"
        frames.append(json.loads(match[1]))
    assert body.endswith("\n\n")
    return response, frames


def test_the_web_apps_core_flow_replays_against_the_live_server(live_server_url, slow_site):
    with httpx.Client(base_url=live_server_url, headers=_bearer(), timeout=30) as client:
        created = client.post(
            "/api/v1/audits/",
            json={"url": slow_site, "max_pages": 5, "language": "en", "source": "home"},
            headers={"X-Request-ID": "replay-create-1"},
        )
        assert created.status_code == 201, created.text
        assert created.headers["X-Request-ID"] == "replay-create-1"
        audit_id = created.json()["id"]

        response, frames = _stream_frames(client, audit_id)
        assert response.headers["content-type"] == "text/event-stream"
        assert response.headers["X-Request-ID"]
        assert all(set(frame) >= FRAME for frame in frames)
        assert frames[-1]["status"] == "completed"
        assert frames[-1]["total_pages"] == 4

        overview = client.get(f"/api/v1/audits/{audit_id}/overview").json()
        assert set(overview) >= AUDIT_OVERVIEW
        assert (overview["status"], overview["report_ready"]) == ("completed", True)
        assert overview["geo_score"] == frames[-1]["geo_score"]

        pages = client.get(f"/api/v1/audits/{audit_id}/pages").json()
        assert len(pages) == 4
        assert all(set(page) >= PAGE for page in pages)

        plan = client.get(f"/api/v1/audits/{audit_id}/issues").json()["fix_plan"]
        assert all(set(item) >= FIX_PLAN_ITEM for item in plan)
        assert len(plan) == overview["fix_plan_count"]

        markdown = client.get(f"/api/v1/reports/markdown/{audit_id}").json()
        assert set(markdown) >= {"audit_id", "markdown", "created_at"}
        assert "## Pages crawled (4)" in markdown["markdown"]

        artifacts = client.get(f"/api/v1/audits/{audit_id}/artifacts-status").json()
        assert set(artifacts) >= ARTIFACTS
        assert (artifacts["pdf_status"], artifacts["pdf_available"]) == ("idle", False)

        assert client.post(f"/api/v1/audits/{audit_id}/generate-pdf").status_code == 202
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        artifacts = client.get(f"/api/v1/audits/{audit_id}/artifacts-status").json()
        while not artifacts["pdf_available"] and time.monotonic() < deadline:
            assert artifacts["pdf_status"] in ("queued", "running", "completed"), artifacts
            time.sleep(0.5)
            artifacts = client.get(f"/api/v1/audits/{audit_id}/artifacts-status").json()
        assert artifacts["pdf_status"] == "completed"
        pdf = client.get(f"/api/v1/audits/{audit_id}/download-pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")

        listed = client.get("/api/v1/audits/status/completed").json()
        assert [item["id"] for item in listed] == [audit_id]
        assert set(listed[0]) >= AUDIT_SUMMARY
        assert listed[0]["pdf_status"] == "completed"

        assert client.delete(f"/api/v1/audits/{audit_id}").status_code == 204
        gone = client.get(f"/api/v1/audits/{audit_id}/overview")
        assert (gone.status_code, gone.json()) == (404, {"detail": "Auditoría no encontrada"})


def test_progress_reaches_open_streams_through_redis_from_the_worker(live_server_url, slow_site):
    with httpx.Client(base_url=live_server_url, headers=_bearer(), timeout=30) as client:
        audit_id = client.post("/api/v1/audits", json={"url": slow_site, "max_pages": 5}).json()[
            "id"
        ]
        # A second viewer of the same audit gets the same frames.
        _response, frames = _stream_frames(client, audit_id)
        _response, again = _stream_frames(client, audit_id)

    statuses = [frame["status"] for frame in frames]
    assert statuses[-1] == "completed"
    # Pages were crawled while the stream was open; the heartbeat's database read (60 s)
    # never came, so these frames came through pub/sub.
    running = [frame for frame in frames if frame["status"] == "running"]
    assert running, statuses
    assert [frame["progress"] for frame in running] == sorted(
        frame["progress"] for frame in running
    )
    assert len(frames) == len({json.dumps(frame, sort_keys=True) for frame in frames})
    assert frames[-1]["progress"] == 100
    assert again == [frames[-1]]

    stranger = httpx.get(
        f"{live_server_url}/api/v1/sse/audits/{audit_id}/progress",
        headers=_bearer("auth0|stranger"),
    )
    assert (stranger.status_code, stranger.json()) == (
        403,
        {"detail": "No autorizado para esta auditoría"},
    )
    assert stranger.headers["X-Request-ID"]
