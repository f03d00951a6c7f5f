"""Fixtures: the fake providers' settings, a token encryption key, state and callback calls."""

import pytest
from cryptography.fernet import Fernet

from tests.connections.fake_providers import fake_providers_serve


@pytest.fixture(autouse=True)
def _encryption_key(settings):
    """Tokens are encrypted with a key of the test's own, whatever the environment says."""
    settings.ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _client_ids(settings):
    """Both OAuth apps are configured unless a test says otherwise."""
    settings.GITHUB_CLIENT_ID = "gh-client"
    settings.HUBSPOT_CLIENT_ID = "hs-client"


@pytest.fixture
def providers(httpserver, settings):
    """Point the provider settings at a local fake GitHub and fake HubSpot; returns the server."""
    settings.GITHUB_OAUTH_AUTHORIZE_URL = "https://github.example/login/oauth/authorize"
    settings.GITHUB_OAUTH_TOKEN_URL = httpserver.url_for("/github/login/oauth/access_token")
    settings.GITHUB_API_URL = httpserver.url_for("/github/api")
    settings.GITHUB_CLIENT_ID = "gh-client"
    settings.GITHUB_CLIENT_SECRET = "gh-secret"
    settings.GITHUB_REDIRECT_URI = "https://app.example.com/oauth/github"
    settings.HUBSPOT_OAUTH_AUTHORIZE_URL = "https://hubspot.example/oauth/authorize"
    settings.HUBSPOT_OAUTH_TOKEN_URL = httpserver.url_for("/hubspot/oauth/v1/token")
    settings.HUBSPOT_API_URL = httpserver.url_for("/hubspot/api")
    settings.HUBSPOT_CLIENT_ID = "hs-client"
    settings.HUBSPOT_CLIENT_SECRET = "hs-secret"
    settings.HUBSPOT_REDIRECT_URI = "https://app.example.com/oauth/hubspot"
    settings.OAUTH_HTTP_TIMEOUT_SECONDS = 2
    fake_providers_serve(httpserver)
    return httpserver


@pytest.fixture
def oauth_state(api_client, latentgeo_auth):
    """A fresh state from `auth-url` for a caller: `oauth_state("github", sub=..., email=...)`."""

    def issue(provider: str, return_to: str | None = None, **caller) -> str:
        query = {"return_to": return_to} if return_to is not None else {}
        response = api_client.get(f"/api/v1/{provider}/auth-url", query, **latentgeo_auth(**caller))
        assert response.status_code == 200, response.content
        return response.json()["state"]

    return issue


@pytest.fixture
def callback(api_client, latentgeo_auth):
    """POST the callback as a caller: `callback("github", code=..., state=..., sub=...)`."""

    def post(provider: str, *, code: str | None = None, state: str | None = None, **caller):
        body = {}
        if code is not None:
            body["code"] = code
        if state is not None:
            body["state"] = state
        return api_client.post(
            f"/api/v1/{provider}/callback", body, format="json", **latentgeo_auth(**caller)
        )

    return post
