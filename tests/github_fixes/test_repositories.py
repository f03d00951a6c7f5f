"""Repositories: synced from GitHub through every page, with push rights and site type."""

import pytest

from connections.models import Connection
from github_fixes.models import Repository
from tests.connections.factories import ConnectionFactory
from tests.connections.github_peer import PeerRepository

pytestmark = pytest.mark.django_db


def test_sync_reads_every_page_and_stores_push_rights_and_site_types(
    api_client, latentgeo_auth, connection, peer, peer_repository
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    peer_repository("next-app", {"package.json": '{"dependencies": {"next": "15"}}'}, push=False)
    peer_repository("astro-site", {"astro.config.mjs": "export default {}"})
    peer_repository("hugo-site", {"hugo.toml": "title = 'x'", "content/_index.md": "# x"})
    peer_repository("jekyll-site", {"_config.yml": "title: x", "index.md": "# x"})
    for n in range(140):
        peer.repository_add(PeerRepository(owner="acme", name=f"empty-{n}"))

    response = api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "success", "synced_count": 145}
    assert [r for r in peer.requests if r[1] == "/user/repos"] == [("GET", "/user/repos")] * 2
    listed = api_client.get(f"/api/v1/github/repos/{connection.pk}", **latentgeo_auth()).json()
    by_name = {repo["name"]: repo for repo in listed}
    assert len(listed) == 145
    assert {name: by_name[name]["site_type"] for name in by_name if "empty" not in name} == {
        "plain": "static",
        "next-app": "nextjs",
        "astro-site": "astro",
        "hugo-site": "hugo",
        "jekyll-site": "jekyll",
    }
    assert by_name["empty-0"]["site_type"] is None
    assert by_name["next-app"]["can_push"] is False
    assert by_name["plain"] == {
        "id": by_name["plain"]["id"],
        "full_name": "acme/plain",
        "name": "plain",
        "owner": "acme",
        "url": "https://github.example/acme/plain",
        "homepage_url": "https://plain.example/",
        "site_type": "static",
        "default_branch": "main",
        "can_push": True,
        "auto_audit": False,
        "auto_pr": False,
    }


def test_listing_syncs_first_when_never_synced_and_both_paths_answer(
    api_client, latentgeo_auth, connection, peer_repository
):
    peer_repository("plain", {"index.html": "<h1>Hi</h1>"})
    repos = api_client.get(f"/api/v1/github/repositories/{connection.pk}/", **latentgeo_auth())
    assert repos.status_code == 200
    assert [r["full_name"] for r in repos.json()] == ["acme/plain"]
    assert api_client.get(f"/api/v1/github/repos/{connection.pk}", **latentgeo_auth()).json() == (
        repos.json()
    )


def test_a_repository_gone_from_github_is_dropped_at_the_next_sync(
    api_client, latentgeo_auth, connection, peer, peer_repository
):
    peer_repository("plain", {"index.html": "x"})
    peer_repository("old", {"index.html": "x"})
    api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())
    del peer.repositories["acme/old"]
    api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())
    assert list(Repository.objects.values_list("full_name", flat=True)) == ["acme/plain"]


def test_a_token_github_rejects_marks_the_connection_and_answers_409(
    api_client, latentgeo_auth, peer, peer_repository
):
    connection = ConnectionFactory(access_token="revoked-token")
    response = api_client.post(f"/api/v1/github/sync/{connection.pk}", **latentgeo_auth())
    assert response.status_code == 409
    assert response.json() == {"detail": "La conexión de GitHub necesita volver a autorizarse"}
    assert Connection.objects.get(pk=connection.pk).needs_reauth is True
    detail = api_client.get(f"/api/v1/github/connections/{connection.pk}", **latentgeo_auth())
    assert detail.json()["needs_reauth"] is True


def test_another_users_connection_cannot_be_synced_or_listed(api_client, latentgeo_auth, peer):
    bob = ConnectionFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    for method, path in (("post", "sync"), ("get", "repos"), ("get", "repositories")):
        response = getattr(api_client, method)(
            f"/api/v1/github/{path}/{bob.pk}", **latentgeo_auth()
        )
        assert response.status_code == 403
        assert response.json() == {"detail": "No autorizado para esta conexión de GitHub"}
    missing = api_client.post("/api/v1/github/sync/999999", **latentgeo_auth())
    assert missing.json() == {"detail": "Conexión de github no encontrada"}
    assert peer.requests == []
