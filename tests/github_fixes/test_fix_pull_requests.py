"""create-auto-fix-pr: repository shapes, the per-audit lock, refusals and ownership."""

import threading

import pglock
import pytest
from django.db import connection as db_connection

from connections.models import OAUTH_TOKEN_PURPOSE, Connection
from encryption.cipher import secret_encrypt
from github_fixes.models import Repository
from tests.connections.factories import ConnectionFactory
from tests.connections.github_peer import git
from tests.github_fixes.conftest import engine_audit
from tests.github_fixes.defects_site import defects_site_files
from tests.github_fixes.factories import RepositoryFactory
from tests.reports.factories import AuditFactory, CompletedAuditFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def defects_results(folder_site, tmp_path):
    """The engine's results for the defects site, served from a plain folder."""
    folder = tmp_path / "served"
    for name, content in defects_site_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    site = folder_site(folder)
    return site.root, engine_audit(site.root)


@pytest.fixture
def pr_request(api_client, latentgeo_auth, connection):
    def post(repository: Repository, audit_id: int, conn=None, **caller):
        conn = conn or connection
        return api_client.post(
            f"/api/v1/github/create-auto-fix-pr/{conn.pk}/{repository.pk}",
            {"audit_id": audit_id},
            format="json",
            **latentgeo_auth(**caller),
        )

    return post


def _synced(api_client, latentgeo_auth, connection, name: str) -> Repository:
    api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())
    return Repository.objects.get(connection=connection, name=name)


def test_nextjs_site_files_go_to_public_and_page_fixes_are_manual(
    api_client, latentgeo_auth, connection, peer_repository, defects_results, pr_request
):
    root, results = defects_results
    repo = peer_repository(
        "next-site",
        {
            "package.json": '{"dependencies": {"next": "15.0.0"}}',
            "app/page.tsx": "export default function Page() { return <h1>Hi</h1> }\n",
            "public/robots.txt": defects_site_files()["robots.txt"],
        },
    )
    repository = _synced(api_client, latentgeo_auth, connection, "next-site")
    audit = CompletedAuditFactory(url=root, results=results)

    body = pr_request(repository, audit.pk).json()

    assert sorted(body["files_modified"]) == [
        "public/llms.txt",
        "public/robots.txt",
        "public/sitemap.xml",
    ]
    assert {fix["code"] for fix in body["fixes_applied"]} == {
        "AI_CRAWLER_BLOCKED",
        "SITEMAP_MISSING",
        "LLMS_TXT_MISSING",
    }
    assert {"TITLE_MISSING", "SCHEMA_MISSING", "H1_MULTIPLE"} <= set(body["manual"])
    changed = git(repo.path, "diff", "--name-only", "main", body["branch"]).split()
    assert sorted(changed) == sorted(body["files_modified"])


def test_docs_folder_site_is_edited_under_docs(
    api_client, latentgeo_auth, connection, peer_repository, defects_results, pr_request
):
    root, results = defects_results
    files = {f"docs/{name}": content for name, content in defects_site_files().items()}
    files["README.md"] = "# Project\n"
    repo = peer_repository("project", files)
    repository = _synced(api_client, latentgeo_auth, connection, "project")
    audit = CompletedAuditFactory(url=root, results=results)

    body = pr_request(repository, audit.pk).json()

    assert body["files_modified"] and all(p.startswith("docs/") for p in body["files_modified"])
    assert "docs/index.html" in body["files_modified"]
    assert "docs/robots.txt" in body["files_modified"]
    assert git(repo.path, "show", f"{body['branch']}:docs/llms.txt").startswith("# ")


def test_pages_that_map_to_no_file_are_manual_and_the_pr_holds_only_site_files(
    api_client, latentgeo_auth, connection, peer_repository, defects_results, pr_request
):
    root, results = defects_results
    repo = peer_repository(
        "api-only",
        {
            "server.py": "print('the site is rendered by a server')\n",
            "robots.txt": "User-agent: *\n",
        },
    )
    repository = _synced(api_client, latentgeo_auth, connection, "api-only")
    audit = CompletedAuditFactory(url=root, results=results)

    body = pr_request(repository, audit.pk).json()

    assert sorted(body["files_modified"]) == ["llms.txt", "robots.txt", "sitemap.xml"]
    assert {"TITLE_MISSING", "META_DESCRIPTION_MISSING", "CANONICAL_MISSING"} <= set(body["manual"])
    assert git(repo.path, "show", f"{body['branch']}:server.py") == (
        "print('the site is rendered by a server')\n"
    )
    body_text = repo.pulls[0]["body"]
    assert "- [ ] TITLE_MISSING: Page has no title" in body_text


def test_an_audit_without_automatic_fixes_opens_no_pr(
    api_client, latentgeo_auth, connection, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    results = {
        "pages": [{"url": "https://e.example/", "scores": {}, "findings": ["THIN_CONTENT"]}],
        "findings": [{"code": "THIN_CONTENT", "title": "Thin", "url": "https://e.example/"}],
    }
    audit = CompletedAuditFactory(url="https://e.example/", results=results)
    body = pr_request(repository, audit.pk).json()
    assert body == {
        "success": True,
        "pr_url": None,
        "pr_number": None,
        "title": None,
        "branch": None,
        "files_modified": [],
        "fixes_applied": [],
        "manual": ["THIN_CONTENT"],
        "pr": None,
        "message": "No automatic fixes for this audit.",
    }


def test_a_concurrent_request_for_the_same_audit_is_a_409_with_retry_after(
    api_client, latentgeo_auth, connection, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    audit = CompletedAuditFactory(url="https://e.example/", results={})
    held, release = threading.Event(), threading.Event()

    def hold_lock():
        with pglock.advisory(f"github_fixes.pull_request.audit.{audit.pk}", timeout=0):
            held.set()
            release.wait(10)
        db_connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert held.wait(10)
        response = pr_request(repository, audit.pk)
    finally:
        release.set()
        holder.join()

    assert response.status_code == 409
    assert response.json() == {"detail": "Fix pull request already in progress for this audit."}
    assert response["Retry-After"] == "10"
    assert pr_request(repository, audit.pk).status_code == 200


def test_refusals_name_the_reason(
    api_client, latentgeo_auth, connection, peer, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    peer_repository("read-only", {"index.html": "<h1>Hi</h1>"}, push=False)
    api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())
    plain = Repository.objects.get(name="plain")
    read_only = Repository.objects.get(name="read-only")
    done = CompletedAuditFactory(url="https://e.example/", results={})
    running = AuditFactory(url="https://e.example/", status="running")
    other = RepositoryFactory()

    def detail(response):
        return response.status_code, response.json()["detail"]

    assert detail(pr_request(read_only, done.pk)) == (403, "No autorizado para este repositorio")
    assert detail(pr_request(plain, running.pk)) == (400, "Audit is not completed yet")
    assert detail(pr_request(other, done.pk)) == (
        403,
        "Repository does not belong to provided connection",
    )
    missing = Repository(pk=987654)
    assert detail(pr_request(missing, done.pk)) == (404, "Repository not found")


def test_ownership_of_connection_and_audit_is_checked_both_ways(
    api_client, latentgeo_auth, connection, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    bobs_audit = CompletedAuditFactory(
        owner_user_id="auth0|bob", owner_email="bob@example.com", results={}
    )
    alices_audit = CompletedAuditFactory(results={})

    response = pr_request(repository, bobs_audit.pk)
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "No autorizado para esta auditoría"},
    )
    as_bob = pr_request(repository, alices_audit.pk, sub="auth0|bob", email="bob@example.com")
    assert (as_bob.status_code, as_bob.json()) == (
        403,
        {"detail": "No autorizado para esta conexión de GitHub"},
    )
    prs = api_client.get(
        f"/api/v1/github/prs/{repository.pk}", **latentgeo_auth(sub="auth0|bob", email=None)
    )
    assert prs.status_code == 403
    assert api_client.get("/api/v1/github/prs/987654", **latentgeo_auth()).json() == {
        "detail": "Repository not found"
    }


def test_a_token_rejected_while_opening_the_pr_marks_the_connection(
    api_client, latentgeo_auth, connection, peer, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    audit = CompletedAuditFactory(url="https://e.example/", results={})
    Connection.objects.filter(pk=connection.pk).update(
        access_token_encrypted=secret_encrypt("revoked", purpose=OAUTH_TOKEN_PURPOSE)
    )
    response = pr_request(repository, audit.pk)
    assert response.status_code == 409
    assert response.json() == {"detail": "La conexión de GitHub necesita volver a autorizarse"}
    assert Connection.objects.get(pk=connection.pk).needs_reauth


def test_required_inputs_missing_is_a_422_listing_them(
    api_client, latentgeo_auth, connection, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    results = {
        "pages": [{"url": "https://e.example/", "title": None, "scores": {}, "findings": []}],
        "findings": [{"code": "LLMS_TXT_MISSING", "url": "https://e.example/llms.txt"}],
    }
    audit = CompletedAuditFactory(url="https://e.example/", results=results)
    response = pr_request(repository, audit.pk)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["message"] == "Missing required inputs to generate safe fixes"
    assert [group["id"] for group in detail["missing_inputs"]] == ["site"]
    assert detail["missing_inputs"][0]["required"] is True


def test_another_connection_of_the_caller_cannot_use_the_repository(
    api_client, latentgeo_auth, connection, peer_repository, pr_request
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repository = _synced(api_client, latentgeo_auth, connection, "plain")
    second = ConnectionFactory()
    audit = CompletedAuditFactory(results={})
    response = pr_request(repository, audit.pk, conn=second)
    assert response.json() == {"detail": "Repository does not belong to provided connection"}
