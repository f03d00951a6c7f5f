import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

pytest_plugins = ["tests.geog_fixtures", "tests.object_storage", "tests.procfile_web"]


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
