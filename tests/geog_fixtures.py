"""Geog organizations and tokens for tests: `geog_token(scopes="tiles:read")` is a signed JWT."""

import pytest


@pytest.fixture
def geog_organization(db):
    """Factory: `geog_organization(slug="acme", tier="free", api_per_window=None, ...)`.

    A slug seen before returns that organization unchanged.
    """
    from accounts.selectors import organization_find
    from accounts.services import organization_create

    def create(slug: str = "acme", tier: str = "free", **fields):
        existing = organization_find(slug=slug)
        if existing is not None:
            return existing
        return organization_create(slug=slug, tier=tier, **fields)

    return create


@pytest.fixture
def geog_token(geog_organization):
    """Factory of long-lived tokens: `geog_token(scopes="tiles:read", organization=org)`.

    Without an organization the token belongs to the `acme` organization (free tier).
    """
    from accounts.services import api_token_create

    def create(
        scopes: str = "tiles:read",
        organization=None,
        name: str = "test token",
        expires_in_days: int | None = None,
    ) -> str:
        _api_token, jwt_value = api_token_create(
            organization=organization or geog_organization(),
            name=name,
            scopes=scopes.split(),
            expires_in_days=expires_in_days,
        )
        return jwt_value

    return create


@pytest.fixture
def geog_auth(geog_token):
    """Headers for a Geog caller: `client.get(url, **geog_auth(scopes="tiles:read"))`."""

    def headers(scopes: str = "tiles:read", organization=None) -> dict:
        token = geog_token(scopes=scopes, organization=organization)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers
