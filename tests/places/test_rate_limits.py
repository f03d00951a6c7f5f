import time

import pytest

pytestmark = pytest.mark.django_db

BODY = {"location": {"lat": 48.8566, "lon": 2.3522}}


def test_places_family_has_its_own_limit_and_headers(client, geog_auth, settings):
    settings.GEOG_FREE_PLACES_PER_WINDOW = 2
    settings.GEOG_FREE_TILES_PER_WINDOW = 1
    auth = geog_auth(scopes="places:read tiles:read")
    first = client.post("/v1/places/search", BODY, content_type="application/json", **auth)
    assert first.status_code == 200
    assert first["X-RateLimit-Limit"] == "2"
    assert first["X-RateLimit-Remaining"] == "1"
    assert int(first["X-RateLimit-Reset"]) >= int(time.time())
    second = client.get("/v1/places/test:unknown", **auth)
    assert second.status_code == 404
    assert second["X-RateLimit-Remaining"] == "0"
    third = client.post("/v1/places/search", BODY, content_type="application/json", **auth)
    assert third.status_code == 429
    body = third.json()
    assert body["code"] == "RATE_LIMIT_EXCEEDED"
    assert body["retryAfter"] == int(third["Retry-After"])
    assert (
        body["message"] == f"Rate limit exceeded. Please retry after {body['retryAfter']} seconds."
    )
    # Tiles count apart: the tiles window of the same organization is untouched.
    tiles = client.get("/v1/tiles", **auth)
    assert tiles["X-RateLimit-Limit"] == "1"
    assert tiles["X-RateLimit-Remaining"] == "0"


def test_unlimited_organization_searches_without_rate_limit_headers(
    client, geog_auth, geog_organization, settings
):
    settings.GEOG_FREE_PLACES_PER_WINDOW = 1
    organization = geog_organization(slug="big", tier="unlimited")
    auth = geog_auth(scopes="places:read", organization=organization)
    for _ in range(3):
        response = client.post("/v1/places/search", BODY, content_type="application/json", **auth)
        assert response.status_code == 200
        assert not response.has_header("X-RateLimit-Limit")
