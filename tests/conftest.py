import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.factories import ApiTokenFactory, OrganizationFactory

pytest_plugins = ["tests.object_storage", "tests.procfile_web"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty rate-limit counters and process-wide caches.

    Keys of earlier tests were rolled back, never committed, so no reload was announced:
    each test gets a fresh key ring, key set, verification copy and tileset registry.
    """
    from config.process_caches import process_caches_clear

    cache.clear()
    process_caches_clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def lenient_client() -> Client:
    """A client that returns the 500 response instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def latentgeo_auth():
    """Headers for a LatentGEO caller: `client.get(url, **latentgeo_auth(sub=..., email=...))`."""
    from authn.internal_tokens import internal_token_issue

    def headers(
        sub: str = "auth0|alice",
        email: str | None = "alice@example.com",
        email_verified: bool = True,
    ) -> dict:
        token = internal_token_issue(sub=sub, email=email, email_verified=email_verified)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers


@pytest.fixture
def geog_organization(db):
    """`geog_organization(slug="acme", tier="free", api_per_window=None, ...)`.

    A slug seen before returns that organization unchanged.
    """
    return OrganizationFactory


@pytest.fixture
def geog_token(db):
    """A signed long-lived token: `geog_token(scopes="tiles:read", organization=org)`.

    Without an organization the token belongs to the `acme` organization (free tier).
    """

    def create(
        scopes: str = "tiles:read",
        organization=None,
        name: str = "test token",
        expires_in_days: int | None = None,
    ) -> str:
        api_token = ApiTokenFactory(
            organization=organization or OrganizationFactory(),
            name=name,
            scope=scopes,
            expires_in_days=expires_in_days,
        )
        return api_token.jwt

    return create


@pytest.fixture
def geog_auth(geog_token):
    """Headers for a Geog caller: `client.get(url, **geog_auth(scopes="tiles:read"))`."""

    def headers(scopes: str = "tiles:read", organization=None) -> dict:
        token = geog_token(scopes=scopes, organization=organization)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers
