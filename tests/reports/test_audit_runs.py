"""Audits run the engine: creation, progress, outcome, rerun, PATCH, limits, refused URLs."""

import pytest

from reports import audit_run_steps
from reports.models import Audit
from reports.tasks import audit_run
from tests.audit_engine.sites import clean_site_serve, html_serve, page_html, site_root
from tests.reports.factories import COMPLETED_RESULTS

pytestmark = pytest.mark.django_db

AUDITS = "/api/v1/audits"


@pytest.fixture
def local_sites_allowed(settings):
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]


@pytest.fixture
def create(api_client, latentgeo_auth):
    def post(body: dict, **auth):
        return api_client.post(AUDITS, body, format="json", **latentgeo_auth(**auth))

    return post


def test_created_audit_runs_and_completes_with_results(
    httpserver,
    local_sites_allowed,
    create,
    api_client,
    latentgeo_auth,
    django_capture_on_commit_callbacks,
):
    root = clean_site_serve(httpserver, home=page_html(links=["/thin"], h1s=0))
    html_serve(httpserver, "/thin", page_html(paragraphs=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = create({"url": root, "max_pages": 5})

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    body = api_client.get(f"{AUDITS}/{response.json()['id']}", **latentgeo_auth()).json()
    assert body["status"] == "completed"
    assert (body["progress"], body["pages_crawled"], body["max_pages"]) == (100, 2, 5)
    assert body["error"] is None
    results = body["results"]
    assert [page["url"] for page in results["pages"]] == [root, root + "thin"]
    assert {f["code"]: f["url"] for f in results["findings"]} == {
        "H1_MISSING": root,
        "THIN_CONTENT": root + "thin",
    }
    assert set(results["scores"]) == {
        "structure",
        "schema",
        "eeat",
        "content",
        "ai_access",
        "overall",
    }


def test_audit_with_run_false_waits_for_results(
    httpserver, local_sites_allowed, create, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = create({"url": site_root(httpserver), "run": False})

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert callbacks == []
    assert httpserver.log == []


def test_site_without_any_auditable_page_fails_with_an_error(
    httpserver, local_sites_allowed, create, django_capture_on_commit_callbacks
):
    httpserver.no_handler_status_code = 404
    html_serve(httpserver, "/", "<h1>Down</h1>", status=503)

    with django_capture_on_commit_callbacks(execute=True):
        response = create({"url": site_root(httpserver)})

    audit = Audit.objects.get(pk=response.json()["id"])
    assert audit.status == Audit.Status.FAILED
    assert audit.error == "No page of the site could be audited: HTTP 503."


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/",
        "http://user:pass@93.184.215.14/",
    ],
)
def test_refused_start_url_is_a_validation_error_on_url(create, url):
    response = create({"url": url})

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert (item["loc"], item["type"]) == (["body", "url"], "value_error.url")
    assert item["msg"].startswith("The audit may not fetch this URL")
    assert not Audit.objects.exists()


def test_refused_start_url_is_accepted_for_results_from_outside(create):
    response = create({"url": "http://10.0.0.5/", "run": False})

    assert response.status_code == 201


@pytest.mark.parametrize("max_pages", [0, 201, "many"])
def test_max_pages_out_of_range_is_a_validation_error(create, max_pages):
    response = create({"url": "https://shop.example.com/", "max_pages": max_pages})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "max_pages"]


def test_a_user_has_at_most_three_audits_running(create):
    for site in range(3):
        assert create({"url": f"https://shop{site}.example.com/"}).status_code == 201

    response = create({"url": "https://shop.example.com/"})

    assert response.status_code == 429
    assert response.json() == {"detail": "Too many audits running. Max 3 at a time."}
    assert response["Retry-After"] == "30"
    assert create({"url": "https://shop.example.com/", "run": False}).status_code == 201
    assert create({"url": "https://shop.example.com/"}, sub="auth0|bob").status_code == 201


def test_audit_creation_is_rate_limited_per_user(settings, create):
    settings.AUDIT_CREATE_RATE = "2/m"
    for _ in range(2):
        assert create({"url": "https://shop.example.com/", "run": False}).status_code == 201

    response = create({"url": "https://shop.example.com/", "run": False})

    assert response.status_code == 429
    assert response.json() == {"detail": "Rate limit exceeded. Max 2 requests per 60s."}
    assert int(response["Retry-After"]) >= 1
    assert (
        create({"url": "https://shop.example.com/", "run": False}, sub="auth0|bob").status_code
        == 201
    )


def test_rerun_is_refused_while_the_audit_runs(create, api_client, latentgeo_auth):
    audit_id = create({"url": "https://shop.example.com/"}).json()["id"]

    response = api_client.post(f"{AUDITS}/{audit_id}/rerun", **latentgeo_auth())

    assert response.status_code == 409
    assert response.json() == {"detail": "The audit is already running."}


def test_rerun_of_a_completed_audit_crawls_again(
    httpserver,
    local_sites_allowed,
    create,
    api_client,
    latentgeo_auth,
    django_capture_on_commit_callbacks,
):
    root = clean_site_serve(httpserver)
    with django_capture_on_commit_callbacks(execute=True):
        audit_id = create({"url": root}).json()["id"]
    assert Audit.objects.get(pk=audit_id).results_revision == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{AUDITS}/{audit_id}/rerun", **latentgeo_auth())

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    audit = Audit.objects.get(pk=audit_id)
    assert (audit.status, audit.results_revision, audit.run_generation) == ("completed", 2, 2)


def test_rerun_of_another_users_audit_is_forbidden(create, api_client, latentgeo_auth):
    audit_id = create({"url": "https://shop.example.com/", "run": False}).json()["id"]

    response = api_client.post(
        f"{AUDITS}/{audit_id}/rerun", **latentgeo_auth(sub="auth0|bob", email="bob@example.com")
    )

    assert response.status_code == 403


def test_results_by_patch_stop_a_running_crawl_and_win(create, api_client, latentgeo_auth):
    audit_id = create({"url": "https://shop.example.com/"}).json()["id"]
    generation = Audit.objects.get(pk=audit_id).run_generation
    assert audit_run_steps.audit_run_begin(audit_id=audit_id, generation=generation) is not None
    assert audit_run_steps.audit_run_progress(
        audit_id=audit_id, generation=generation, pages=5, max_pages=50
    )
    running = api_client.get(f"{AUDITS}/{audit_id}", **latentgeo_auth()).json()
    assert (running["status"], running["progress"], running["pages_crawled"]) == ("running", 10, 5)

    patched = api_client.patch(
        f"{AUDITS}/{audit_id}", {"results": COMPLETED_RESULTS}, format="json", **latentgeo_auth()
    )

    assert patched.status_code == 200
    assert not audit_run_steps.audit_run_progress(
        audit_id=audit_id, generation=generation, pages=6, max_pages=50
    )
    assert not audit_run_steps.audit_run_complete(
        audit_id=audit_id, generation=generation, results={"pages": [], "findings": []}
    )
    audit = Audit.objects.get(pk=audit_id)
    assert (audit.status, audit.results) == ("completed", COMPLETED_RESULTS)


def test_queued_crawl_of_a_patched_audit_is_skipped(create, api_client, latentgeo_auth):
    audit_id = create({"url": "https://shop.example.com/"}).json()["id"]
    api_client.patch(
        f"{AUDITS}/{audit_id}", {"results": COMPLETED_RESULTS}, format="json", **latentgeo_auth()
    )

    assert audit_run(audit_id=audit_id, generation=1) == "skipped"


def test_site_whose_robots_forbid_every_page_fails_saying_so(
    httpserver, local_sites_allowed, create, django_capture_on_commit_callbacks
):
    clean_site_serve(httpserver, robots="User-agent: *\nDisallow: /\n")

    with django_capture_on_commit_callbacks(execute=True):
        response = create({"url": site_root(httpserver)})

    audit = Audit.objects.get(pk=response.json()["id"])
    assert audit.status == Audit.Status.FAILED
    assert audit.error == (
        "No page of the site could be audited: robots.txt forbids it or it is not HTML."
    )
