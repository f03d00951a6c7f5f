"""Usage: what each request adds, the family headers, utc-day windows and the usage API."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.usage_flush import usage_flush
from tests.tiles.archives import pmtiles_write, pyramid

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.probe_urls")]

SEARCH = {"location": {"lat": 48.8566, "lon": 2.3522}}


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _usage(client, token: str, query: str = "") -> dict:
    response = client.get(f"/v1/usage{query}", **_bearer(token))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def org(geog_organization, settings):
    settings.GEOG_FREE_TILES_PER_WINDOW = 3
    settings.GEOG_FREE_PLACES_PER_WINDOW = 50
    settings.GEOG_FREE_API_PER_WINDOW = 50
    return geog_organization(slug="counted", tier="free")


@pytest.fixture
def tilesets(tmp_path, settings):
    """A tilesets folder with `roads` (PMTiles, z0-1, without tile 1/1/1)."""
    directory = tmp_path / "tilesets"
    directory.mkdir()
    tiles = pyramid(1)
    del tiles[(1, 1, 1)]
    pmtiles_write(directory / "roads.pmtiles", tiles)
    settings.TILESETS_DIR = directory
    settings.TILES_INDEX_DIR = tmp_path / "tile-index"
    settings.TILESETS_RESCAN_SECONDS = 0
    return directory


@pytest.fixture
def billing(org, geog_token) -> str:
    # Valid in the years the tests travel to.
    return geog_token(
        scopes="billing:manage", organization=org, name="billing", expires_in_days=3650
    )


def test_counted_answers_are_2xx_and_304_and_never_401_429_or_errors(
    client, api_client, org, billing, geog_token
):
    token = geog_token(scopes="tiles:read places:read", organization=org, name="map")
    for _ in range(3):
        assert client.get("/v1/probe", **_bearer(token)).status_code == 200
    assert client.get("/v1/probe", **_bearer(token)).status_code == 429
    assert client.get("/v1/probe").status_code == 401
    assert client.get("/v1/probe", HTTP_AUTHORIZATION="Bearer x.y.z").status_code == 401
    search = api_client.post("/v1/places/search", SEARCH, format="json", **_bearer(token))
    assert search.status_code == 200
    # An error after the limit's check is taken back from the hot path's count.
    assert client.get("/v1/places/test:unknown", **_bearer(token)).status_code == 404
    assert client.get("/v1/places/test:unknown", **_bearer(token)).status_code == 404
    # The api family counts after the answer: a 400 is not counted, a 200 is.
    exchange = api_client.post("/v1/auth/token", {"ttl": 0}, format="json", **_bearer(token))
    assert exchange.status_code == 400
    assert api_client.post("/v1/auth/token", {}, format="json", **_bearer(token)).status_code == 200

    usage_flush()
    body = _usage(client, billing)
    assert body["totals"] == {"tiles": 3, "places": 1, "api": 1}
    assert body["organization"] == "counted"
    assert body["tier"] == "free"
    assert body["limits"] == {"tiles": 3, "places": 50, "api": 50}
    # The usage request itself is counted once its answer is known.
    usage_flush()
    assert _usage(client, billing)["totals"]["api"] == 2


def test_empty_tiles_204_and_not_modified_304_are_counted(
    client, org, billing, geog_token, tilesets, settings
):
    settings.GEOG_FREE_TILES_PER_WINDOW = 10
    token = geog_token(organization=org)
    first = client.get("/v1/tiles/roads/0/0/0.mvt", **_bearer(token))
    assert first.status_code == 200
    again = client.get(
        "/v1/tiles/roads/0/0/0.mvt", HTTP_IF_NONE_MATCH=first["ETag"], **_bearer(token)
    )
    assert again.status_code == 304
    assert client.get("/v1/tiles/roads/1/1/1.mvt", **_bearer(token)).status_code == 204
    assert client.get("/v1/tiles/roads/9/0/0.mvt", **_bearer(token)).status_code == 404
    usage_flush()
    assert _usage(client, billing)["totals"]["tiles"] == 3


def test_unlimited_organization_is_counted_without_limits(
    client, geog_organization, geog_token, settings
):
    organization = geog_organization(slug="big", tier="unlimited")
    token = geog_token(scopes="tiles:read billing:manage", organization=organization)
    for _ in range(4):
        response = client.get("/v1/probe", **_bearer(token))
        assert response.status_code == 200
        assert not response.has_header("X-RateLimit-Limit")
    usage_flush()
    body = _usage(client, token)
    assert body["totals"]["tiles"] == 4
    assert body["limits"] == {"tiles": None, "places": None, "api": None}


def test_tiles_carry_the_tiles_family_headers_beside_the_generic_ones(
    client, org, geog_token, tilesets
):
    response = client.get("/v1/tiles/roads/0/0/0.mvt", **_bearer(geog_token(organization=org)))
    assert response.status_code == 200
    for name in ("Limit", "Remaining", "Reset"):
        assert response[f"X-RateLimit-Tiles-{name}"] == response[f"X-RateLimit-{name}"]
    assert response["X-RateLimit-Tiles-Remaining"] == "2"
    assert not response.has_header("X-RateLimit-Places-Limit")


def test_places_and_the_rest_carry_their_family_headers(client, api_client, org, geog_token):
    token = geog_token(scopes="places:read", organization=org)
    search = api_client.post("/v1/places/search", SEARCH, format="json", **_bearer(token))
    assert search["X-RateLimit-Places-Limit"] == search["X-RateLimit-Limit"] == "50"
    assert search["X-RateLimit-Places-Remaining"] == "49"
    assert not search.has_header("X-RateLimit-Tiles-Limit")
    exchange = api_client.post("/v1/auth/token", {}, format="json", **_bearer(token))
    assert exchange["X-RateLimit-Api-Limit"] == exchange["X-RateLimit-Limit"] == "50"
    assert exchange["X-RateLimit-Api-Reset"] == exchange["X-RateLimit-Reset"]


def test_utc_day_window_ends_at_midnight_and_starts_again_after_it(
    client, org, geog_token, billing, settings
):
    settings.GEOG_RATE_WINDOW = "utc-day"
    settings.GEOG_FREE_API_PER_WINDOW = 2
    midnight = int(datetime(2030, 3, 2, tzinfo=UTC).timestamp())
    with time_machine.travel(midnight - 30, tick=False) as clock:
        token = geog_token(scopes="tiles:read", organization=org)
        for remaining in ("2", "1", "0"):
            response = client.get("/v1/probe", **_bearer(token))
            assert response.status_code == 200
            assert response["X-RateLimit-Tiles-Remaining"] == remaining
            assert response["X-RateLimit-Reset"] == str(midnight)
        limited = client.get("/v1/probe", **_bearer(token))
        assert limited.status_code == 429
        assert limited["Retry-After"] == "30"
        assert limited.json()["retryAfter"] == 30
        # The api family (django-ratelimit with windows of seconds) counts by the day too.
        exchange = client.post(
            "/v1/auth/token", {}, content_type="application/json", **_bearer(token)
        )
        assert exchange["X-RateLimit-Api-Reset"] == str(midnight)

        clock.move_to(midnight + 5)
        response = client.get("/v1/probe", **_bearer(token))
        assert response.status_code == 200
        assert response["X-RateLimit-Remaining"] == "2"
        assert response["X-RateLimit-Reset"] == str(midnight + 86400)
        client.get("/v1/probe", **_bearer(token))

        usage_flush()
        body = _usage(client, billing, "?from=2030-03-01&to=2030-03-02")
    assert body["days"] == [
        {"date": "2030-03-01", "tiles": 3, "places": 0, "api": 1},
        {"date": "2030-03-02", "tiles": 2, "places": 0, "api": 0},
    ]


def test_window_of_seconds_stays_the_default(settings):
    assert settings.GEOG_RATE_WINDOW == 3600


def test_tiles_read_alone_gets_403_on_usage(client, org, geog_token):
    for path in ("/v1/usage", "/v1/usage/tokens"):
        response = client.get(path, **_bearer(geog_token(scopes="tiles:read", organization=org)))
        assert response.status_code == 403
        assert response.json()["code"] == "INSUFFICIENT_SCOPE"
        assert response.json()["message"] == ("Token does not have required scope: billing:manage")


def test_admin_access_reads_usage_too(client, org, geog_token):
    assert _usage(client, geog_token(scopes="admin:access", organization=org))["tier"] == "free"


def test_usage_defaults_to_the_last_30_days(client, billing):
    with time_machine.travel(datetime(2030, 5, 31, 12, tzinfo=UTC), tick=False):
        body = _usage(client, billing)
    assert (body["from"], body["to"]) == ("2030-05-02", "2030-05-31")
    assert len(body["days"]) == 30


@pytest.mark.parametrize(
    "query",
    ["?from=2030-05-02&to=2030-05-01", "?from=2029-01-01&to=2030-01-02", "?from=2030-13-01"],
)
def test_a_bad_range_is_a_validation_error_naming_the_field(client, billing, query):
    response = client.get(f"/v1/usage{query}", **_bearer(billing))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["details"][0]["field"] == "from"


def test_a_year_of_366_days_is_allowed(client, billing):
    body = _usage(client, billing, "?from=2028-01-01&to=2028-12-31")
    assert len(body["days"]) == 366


def test_usage_per_token_counts_short_lived_tokens_for_their_parent(
    client, api_client, org, billing, geog_token
):
    token = geog_token(scopes="tiles:read", organization=org, name="web map")
    exchanged = api_client.post("/v1/auth/token", {}, format="json", **_bearer(token)).json()
    client.get("/v1/probe", **_bearer(token))
    client.get("/v1/probe", **_bearer(exchanged["access_token"]))
    other = geog_token(scopes="tiles:read", organization=org, name="other")
    client.get("/v1/probe", **_bearer(other))
    usage_flush()

    response = client.get("/v1/usage/tokens", **_bearer(billing))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert rows["web map"] == {
        "token_id": rows["web map"]["token_id"],
        "name": "web map",
        "tiles": 2,
        "places": 0,
        "api": 1,
    }
    assert rows["other"]["tiles"] == 1
    assert rows["web map"]["token_id"].startswith("tok_")


def test_other_organizations_usage_is_not_seen(client, org, billing, geog_organization, geog_token):
    stranger = geog_organization(slug="stranger")
    client.get("/v1/probe", **_bearer(geog_token(organization=stranger)))
    usage_flush()
    assert _usage(client, billing)["totals"]["tiles"] == 0
    assert client.get("/v1/usage/tokens", **_bearer(billing)).json() == []


def test_embedded_default_counts_in_process_and_reads_after_flushing(
    client, org, billing, geog_token, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    token = geog_token(organization=org)
    for _ in range(2):
        assert client.get("/v1/probe", **_bearer(token)).status_code == 200
    # No flush by hand: the counts live in this process, which flushes before answering.
    assert _usage(client, billing)["totals"]["tiles"] == 2
    assert date.fromisoformat(_usage(client, billing)["to"]) == datetime.now(UTC).date()
