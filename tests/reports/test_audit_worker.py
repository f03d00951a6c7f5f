"""End to end: a real Celery worker audits a local site, then renders its PDF report."""

import io
import time

import pytest
from pypdf import PdfReader

from tests.audit_engine.sites import clean_site_serve, html_serve, page_html
from tests.reports.test_pdf_worker import MAX_WAIT_SECONDS, celery_worker_process  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def audit_worker(monkeypatch, settings):
    """Web and worker may both reach the local test site on 127.0.0.1."""
    monkeypatch.setenv("AUDIT_ALLOWED_PRIVATE_HOSTS", "127.0.0.1/32")
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]


def _poll(fetch, busy: tuple[str, ...]) -> dict:
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    body = fetch()
    while body["status"] in busy and time.monotonic() < deadline:
        time.sleep(0.5)
        body = fetch()
    return body


@pytest.mark.usefixtures("audit_worker")
def test_worker_audits_a_local_site_and_the_pdf_shows_its_findings(
    request, httpserver, api_client, latentgeo_auth
):
    worker_log = request.getfixturevalue("celery_worker_process")
    root = clean_site_serve(httpserver, llms_txt=False, home=page_html(links=["/no-title"]))
    html_serve(httpserver, "/no-title", page_html(title="", canonical=False))

    created = api_client.post(
        "/api/v1/audits", {"url": root, "max_pages": 10}, format="json", **latentgeo_auth()
    )
    assert created.status_code == 201
    base = f"/api/v1/audits/{created.json()['id']}"
    audit = _poll(
        lambda: api_client.get(base, **latentgeo_auth()).json(), busy=("pending", "running")
    )
    log = worker_log.read_text()
    assert audit["status"] == "completed", log[-3000:]
    assert "reports.tasks.audit_run" in log
    assert audit["pages_crawled"] == 2
    codes = {finding["code"]: finding["url"] for finding in audit["results"]["findings"]}
    assert codes == {
        "TITLE_MISSING": root + "no-title",
        "CANONICAL_MISSING": root + "no-title",
        "LLMS_TXT_MISSING": root + "llms.txt",
    }

    assert api_client.post(f"{base}/generate-pdf", **latentgeo_auth()).status_code == 202
    status = _poll(
        lambda: api_client.get(f"{base}/pdf-status", **latentgeo_auth()).json(),
        busy=("queued", "running"),
    )
    assert status["status"] == "completed", worker_log.read_text()[-3000:]
    download = api_client.get(f"{base}/download-pdf", **latentgeo_auth())
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "TITLE_MISSING",
        "CANONICAL_MISSING",
        "LLMS_TXT_MISSING",
        "Page has no title",
        "Pages crawled",
        root + "no-title",
    ):
        assert expected in text, expected
