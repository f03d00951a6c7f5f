"""The whole OAuth flow against the fake GitHub and HubSpot, and the provider failing."""

import logging

import pytest

from connections.models import Connection
from tests.connections.fake_providers import (
    GITHUB_CODE,
    GITHUB_TOKEN,
    GITHUB_USER,
    HUBSPOT_CODE,
    HUBSPOT_HUB_ID,
    HUBSPOT_REFRESH,
    HUBSPOT_TOKEN,
    fake_providers_serve,
    query_of,
)

pytestmark = [pytest.mark.django_db]

CALLBACK_INVALID = {"detail": "Invalid OAuth callback request"}


def test_github_flow_links_lists_relinks_and_deletes(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    alice = latentgeo_auth()
    started = api_client.get(
        "/api/v1/github/auth-url", {"return_to": "/settings/integrations"}, **alice
    )
    assert started.status_code == 200
    url, state = started.json()["url"], started.json()["state"]
    assert url.startswith("https://github.example/login/oauth/authorize?")
    assert query_of(url) == {
        "client_id": "gh-client",
        "scope": "read:user user:email repo",
        "state": state,
        "redirect_uri": "https://app.example.com/oauth/github",
    }

    linked = callback("github", code=GITHUB_CODE, state=state)
    assert linked.status_code == 201
    connection_id = linked.json()["connection_id"]
    assert linked.json() == {
        "status": "success",
        "connection_id": connection_id,
        "username": "octocat",
        "return_to": "/settings/integrations",
    }

    listed = api_client.get("/api/v1/github/connections", **alice)
    assert listed.status_code == 200
    [item] = listed.json()
    assert set(item) == {
        "id",
        "provider",
        "username",
        "scopes",
        "owner_email",
        "is_active",
        "needs_reauth",
        "token_expires_at",
        "created_at",
        "updated_at",
    }
    assert item["id"] == connection_id
    assert item["needs_reauth"] is False
    assert item["provider"] == "github"
    assert item["username"] == "octocat"
    assert item["scopes"] == ["repo", "read:user"]
    assert item["owner_email"] == "alice@example.com"
    assert item["is_active"] is True
    assert GITHUB_TOKEN not in listed.content.decode()

    detail = api_client.get(f"/api/v1/github/connections/{connection_id}", **alice)
    assert detail.status_code == 200
    assert detail.json() == item

    relinked = callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    assert relinked.status_code == 200
    assert relinked.json() == {
        "status": "success",
        "connection_id": connection_id,
        "username": "octocat",
        "return_to": None,
    }
    assert Connection.objects.count() == 1

    deleted = api_client.delete(f"/api/v1/github/connections/{connection_id}", **alice)
    assert deleted.status_code == 204
    assert api_client.get("/api/v1/github/connections", **alice).json() == []
    gone = api_client.get(f"/api/v1/github/connections/{connection_id}", **alice)
    assert gone.status_code == 404
    assert gone.json() == {"detail": "Conexión de github no encontrada"}
    row = Connection.objects.get(pk=connection_id)
    assert (row.is_active, row.access_token_encrypted, row.refresh_token_encrypted) == (
        False,
        "",
        "",
    )


def test_hubspot_flow_links_the_portal_and_relinks_it(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    alice = latentgeo_auth()
    started = api_client.get("/api/v1/hubspot/auth-url", **alice).json()
    assert started["url"].startswith("https://hubspot.example/oauth/authorize?")
    assert query_of(started["url"])["scope"] == "oauth content"

    linked = callback("hubspot", code=HUBSPOT_CODE, state=started["state"])
    assert linked.status_code == 201
    connection_id = linked.json()["connection_id"]
    assert linked.json() == {
        "status": "success",
        "connection_id": connection_id,
        "portal_id": HUBSPOT_HUB_ID,
        "return_to": None,
    }
    detail = api_client.get(f"/api/v1/hubspot/connections/{connection_id}", **alice)
    assert detail.status_code == 200
    body = detail.json()
    assert body["portal_id"] == HUBSPOT_HUB_ID
    assert body["provider"] == "hubspot"
    assert body["scopes"] == ["oauth", "content"]
    assert body["token_expires_at"] is not None
    assert "username" not in body
    assert HUBSPOT_TOKEN not in detail.content.decode()
    assert HUBSPOT_REFRESH not in detail.content.decode()

    relinked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot", "/done"))
    assert relinked.status_code == 200
    assert relinked.json()["return_to"] == "/done"
    assert relinked.json()["connection_id"] == connection_id


def test_relinking_clears_needs_reauth(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    alice = latentgeo_auth()
    linked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    connection_id = linked.json()["connection_id"]
    Connection.objects.filter(pk=connection_id).update(needs_reauth=True)
    detail = api_client.get(f"/api/v1/hubspot/connections/{connection_id}", **alice)
    assert detail.json()["needs_reauth"] is True

    relinked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    assert relinked.status_code == 200
    detail = api_client.get(f"/api/v1/hubspot/connections/{connection_id}", **alice)
    assert detail.json()["needs_reauth"] is False


def test_authorize_redirects_307_to_the_provider_with_a_usable_state(
    providers, api_client, latentgeo_auth, callback
):
    response = api_client.get(
        "/api/v1/github/oauth/authorize", {"return_to": "/after"}, **latentgeo_auth()
    )
    assert response.status_code == 307
    location = response["Location"]
    assert location.startswith("https://github.example/login/oauth/authorize?")
    linked = callback("github", code=GITHUB_CODE, state=query_of(location)["state"])
    assert linked.status_code == 201
    assert linked.json()["return_to"] == "/after"


def test_connections_of_each_provider_are_listed_apart(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    github = api_client.get("/api/v1/github/connections", **latentgeo_auth()).json()
    hubspot = api_client.get("/api/v1/hubspot/connections", **latentgeo_auth()).json()
    assert [item["username"] for item in github] == [GITHUB_USER["login"]]
    assert [item["portal_id"] for item in hubspot] == [HUBSPOT_HUB_ID]


@pytest.mark.parametrize("provider", ["github", "hubspot"])
def test_provider_rejecting_the_code_is_invalid_callback(
    providers, callback, oauth_state, provider
):
    response = callback(provider, code="stolen-or-stale-code", state=oauth_state(provider))
    assert response.status_code == 400
    assert response.json() == CALLBACK_INVALID
    assert not Connection.objects.exists()


def test_profile_lookup_refused_is_invalid_callback(providers, callback, oauth_state):
    providers.clear()
    providers.expect_request("/github/login/oauth/access_token").respond_with_json(
        {"access_token": "gho_revoked-at-once"}
    )
    providers.expect_request("/github/api/user").respond_with_json(
        {"message": "Bad credentials"}, status=401
    )
    response = callback("github", code=GITHUB_CODE, state=oauth_state("github"))
    assert response.status_code == 400
    assert response.json() == CALLBACK_INVALID


@pytest.mark.parametrize(
    ("provider", "uri"),
    [
        ("github", "/github/login/oauth/access_token"),
        ("github", "/github/api/user"),
        ("hubspot", "/hubspot/oauth/v1/token"),
        ("hubspot", f"/hubspot/api/oauth/v1/access-tokens/{HUBSPOT_TOKEN}"),
    ],
)
def test_provider_timing_out_is_invalid_callback(
    providers, settings, callback, oauth_state, provider, uri
):
    settings.OAUTH_HTTP_TIMEOUT_SECONDS = 0.2
    # The slow endpoint's answer is right, so only the timeout can turn the link down.
    fake_providers_serve(providers, slow=uri, delay=0.6)
    code = GITHUB_CODE if provider == "github" else HUBSPOT_CODE
    response = callback(provider, code=code, state=oauth_state(provider))
    assert response.status_code == 400
    assert response.json() == CALLBACK_INVALID


@pytest.mark.parametrize(
    ("provider", "uri", "body"),
    [
        ("github", "/github/login/oauth/access_token", '{"access_token": '),
        ("github", "/github/login/oauth/access_token", '["a list"]'),
        ("hubspot", "/hubspot/oauth/v1/token", "<html>maintenance</html>"),
        ("hubspot", "/hubspot/oauth/v1/token", '{"token_type": "bearer"}'),
    ],
)
def test_provider_answering_garbage_is_invalid_callback(
    providers, callback, oauth_state, provider, uri, body
):
    providers.handlers.clear()
    providers.expect_request(uri).respond_with_data(body, content_type="application/json")
    code = GITHUB_CODE if provider == "github" else HUBSPOT_CODE
    response = callback(provider, code=code, state=oauth_state(provider))
    assert response.status_code == 400
    assert response.json() == CALLBACK_INVALID


def test_hubspot_token_info_without_portal_is_invalid_callback(providers, callback, oauth_state):
    providers.handlers.clear()
    providers.expect_request("/hubspot/oauth/v1/token").respond_with_json(
        {"access_token": HUBSPOT_TOKEN}
    )
    providers.expect_request(
        f"/hubspot/api/oauth/v1/access-tokens/{HUBSPOT_TOKEN}"
    ).respond_with_json({"user": "marketer@example.com", "hub_id": "not-a-number"})
    response = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    assert response.status_code == 400
    assert response.json() == CALLBACK_INVALID


def test_codes_and_tokens_are_never_logged(providers, callback, oauth_state, caplog):
    providers.handlers.clear()
    providers.expect_request("/hubspot/oauth/v1/token").respond_with_json(
        {"access_token": HUBSPOT_TOKEN}
    )
    providers.expect_request(
        f"/hubspot/api/oauth/v1/access-tokens/{HUBSPOT_TOKEN}"
    ).respond_with_data("oops", status=500)
    with caplog.at_level(logging.DEBUG):
        response = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    assert response.status_code == 400
    rejected = [r for r in caplog.records if r.getMessage() == "oauth_callback_rejected"]
    assert [(r.provider, r.reason) for r in rejected] == [("hubspot", "profile_status_500")]
    # Everything the service logged, extras included; the fake provider's own access log aside.
    ours = " ".join(str(vars(r)) for r in caplog.records if r.name != "werkzeug")
    assert "oauth_callback_rejected" in ours
    assert HUBSPOT_CODE not in ours
    assert HUBSPOT_TOKEN not in ours


@pytest.mark.parametrize(
    ("provider", "message"),
    [
        ("github", "GitHub OAuth is not configured (GITHUB_CLIENT_ID)"),
        ("hubspot", "HubSpot OAuth is not configured (HUBSPOT_CLIENT_ID)"),
    ],
)
@pytest.mark.parametrize("endpoint", ["auth-url", "oauth/authorize"])
def test_oauth_start_without_a_client_id_says_so(
    providers, settings, api_client, latentgeo_auth, provider, message, endpoint
):
    settings.GITHUB_CLIENT_ID = ""
    settings.HUBSPOT_CLIENT_ID = ""
    response = api_client.get(f"/api/v1/{provider}/{endpoint}", **latentgeo_auth())
    assert response.status_code == 503
    assert response.json() == {"detail": message}
    assert response["Retry-After"] == str(settings.RETRY_AFTER_UNAVAILABLE_SECONDS)
