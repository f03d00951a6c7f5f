import gzip
import os

import mapbox_vector_tile
import pytest

from tests.tiles.archives import mvt_tile, pmtiles_write, pyramid

pytestmark = pytest.mark.django_db

MVT = "application/vnd.mapbox-vector-tile"


def _envelope(response) -> dict:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.json()


def _vary(response) -> set[str]:
    return {item.strip().lower() for item in response["Vary"].split(",")}


def test_gzip_tile_is_sent_as_stored_when_gzip_is_accepted(client, tilesets_dir, tiles_auth):
    response = client.get(
        "/v1/tiles/roads/3/5/2.mvt", HTTP_ACCEPT_ENCODING="gzip, deflate, br", **tiles_auth
    )
    assert response.status_code == 200
    assert response["Content-Type"] == MVT
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in _vary(response)
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response.content == gzip.compress(mvt_tile(3, 5, 2), mtime=0)
    decoded = mapbox_vector_tile.decode(gzip.decompress(response.content))
    assert decoded["places"]["features"][0]["properties"]["name"] == "3/5/2"


def test_gzip_tile_is_decompressed_for_clients_without_gzip(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/roads/2/1/3.pbf", **tiles_auth)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in _vary(response)
    decoded = mapbox_vector_tile.decode(response.content)
    assert decoded["places"]["features"][0]["properties"] == {"name": "2/1/3", "population": 2001}


@pytest.mark.parametrize(
    ("accept_encoding", "gzip_sent"),
    [
        ("gzip", True),
        ("*", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("*;q=0", False),
        ("identity", False),
        ("br", False),
    ],
)
def test_accept_encoding_decides_gzip_passthrough(
    client, tilesets_dir, tiles_auth, accept_encoding, gzip_sent
):
    response = client.get(
        "/v1/tiles/roads/1/1/1.mvt", HTTP_ACCEPT_ENCODING=accept_encoding, **tiles_auth
    )
    assert response.status_code == 200
    assert (response.get("Content-Encoding") == "gzip") is gzip_sent
    body = gzip.decompress(response.content) if gzip_sent else response.content
    assert body == mvt_tile(1, 1, 1)


def test_uncompressed_tileset_is_never_gzip_encoded(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/plain/2/1/2.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content == mvt_tile(2, 1, 2)


def test_mbtiles_tile_is_served_in_xyz_order(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/parks/2/3/0.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == mvt_tile(2, 3, 0)


def test_absent_tile_inside_the_range_is_204(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/plain/2/3/3.mvt", **tiles_auth)
    assert response.status_code == 204
    assert response.content == b""
    assert "accept-encoding" in _vary(response)
    assert not response.has_header("Content-Type")


def test_zero_length_tile_is_204(client, tilesets_dir, tiles_auth):
    assert client.get("/v1/tiles/plain/2/0/0.mvt", **tiles_auth).status_code == 204


def test_if_none_match_with_the_etag_is_304(client, tilesets_dir, tiles_auth):
    url = "/v1/tiles/roads/3/1/6.mvt"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag, **tiles_auth)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "accept-encoding" in _vary(again)
    assert again["Cache-Control"] == "private, max-age=86400"

    listed = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=f'"other", W/{etag}', **tiles_auth
    )
    assert listed.status_code == 304


def test_etag_differs_per_tile_and_per_encoding(client, tilesets_dir, tiles_auth):
    url = "/v1/tiles/roads/3/1/6.mvt"
    gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)["ETag"]
    inflated = client.get(url, **tiles_auth)["ETag"]
    neighbour = client.get("/v1/tiles/roads/3/1/5.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    assert len({gzipped, inflated, neighbour["ETag"]}) == 3
    stale = client.get(url, HTTP_IF_NONE_MATCH=gzipped, **tiles_auth)
    assert stale.status_code == 200


def test_etag_changes_when_the_file_is_replaced(client, tilesets_dir, tiles_auth):
    url = "/v1/tiles/roads/1/0/0.mvt"
    etag = client.get(url, **tiles_auth)["ETag"]
    staging = tilesets_dir / "roads.partial"
    pmtiles_write(staging, pyramid(1), attribution="new")
    os.replace(staging, tilesets_dir / "roads.pmtiles")
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **tiles_auth)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_replaced_file_is_served_without_a_restart(client, tilesets_dir, tiles_auth):
    assert client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth).status_code == 200
    staging = tilesets_dir / "roads.partial"
    pmtiles_write(staging, pyramid(4, minzoom=4), leaf_size=32)
    os.replace(staging, tilesets_dir / "roads.pmtiles")

    assert client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth).status_code == 404
    response = client.get("/v1/tiles/roads/4/9/9.mvt", **tiles_auth)
    assert response.status_code == 200
    assert response.content == mvt_tile(4, 9, 9)


def test_head_answers_the_headers_of_get_without_a_body(client, tilesets_dir, tiles_auth):
    get = client.get("/v1/tiles/roads/2/2/2.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    head = client.head("/v1/tiles/roads/2/2/2.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("Content-Type", "Content-Encoding", "ETag", "Vary", "Cache-Control"):
        assert head[name] == get[name]
    assert head["Content-Length"] == str(len(get.content))


@pytest.mark.parametrize(
    "path", ["/v1/tiles/roads/1/0/0.png", "/v1/tiles/roads/1/0/0", "/v1/tiles/nope/1/0/0.MVT"]
)
def test_other_extensions_are_invalid_extension(client, tilesets_dir, tiles_auth, path):
    response = client.get(path, **tiles_auth)
    assert response.status_code == 400
    assert _envelope(response) == {
        "success": False,
        "error": "Bad Request",
        "message": "Invalid tile extension. Must be 'mvt' or 'pbf'",
        "code": "INVALID_EXTENSION",
    }


def test_unknown_tileset_is_tileset_not_found(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/oceans/99/0/0.mvt", **tiles_auth)
    assert response.status_code == 404
    assert _envelope(response) == {
        "success": False,
        "error": "Not Found",
        "message": "Tileset 'oceans' not found",
        "code": "TILESET_NOT_FOUND",
    }


@pytest.mark.parametrize(
    ("tileset", "z", "x", "y"),
    [
        ("roads", "4", "0", "0"),  # above maxzoom
        ("plain", "0", "0", "0"),  # below minzoom
        ("roads", "2", "4", "0"),  # x >= 2^z
        ("roads", "2", "0", "4"),  # y >= 2^z
        ("roads", "-1", "0", "0"),
        ("roads", "1", "a", "0"),
        ("roads", "1", "0", "1.5"),
        ("parks", "3", "0", "0"),
    ],
)
def test_out_of_range_or_non_integer_address_is_tile_not_found(
    client, tilesets_dir, tiles_auth, tileset, z, x, y
):
    response = client.get(f"/v1/tiles/{tileset}/{z}/{x}/{y}.mvt", **tiles_auth)
    assert response.status_code == 404
    body = _envelope(response)
    assert body["code"] == "TILE_NOT_FOUND"
    assert body["message"] == f"Tile not found at {z}/{x}/{y}"


def test_missing_token_is_auth_required(client, tilesets_dir):
    response = client.get("/v1/tiles/roads/0/0/0.mvt")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert _envelope(response)["code"] == "AUTH_REQUIRED"


def test_token_without_tiles_scope_is_insufficient_scope(client, tilesets_dir, geog_auth):
    response = client.get("/v1/tiles/roads/0/0/0.mvt", **geog_auth(scopes="places:read"))
    assert response.status_code == 403
    assert _envelope(response)["message"] == "Token does not have required scope: tiles:read"


def test_free_organization_is_limited_with_rate_limit_headers(
    client, tilesets_dir, geog_organization, geog_auth
):
    organization = geog_organization(slug="small", tiles_per_window=2)
    auth = geog_auth(organization=organization)
    first = client.get("/v1/tiles/roads/0/0/0.mvt", **auth)
    assert first.status_code == 200
    assert first["X-RateLimit-Limit"] == "2"
    assert first["X-RateLimit-Remaining"] == "1"
    assert int(first["X-RateLimit-Reset"]) > 0
    assert client.get("/v1/tiles/roads/1/0/0.mvt", **auth).status_code == 200

    limited = client.get("/v1/tiles/roads/1/1/0.mvt", **auth)
    assert limited.status_code == 429
    body = _envelope(limited)
    assert body["code"] == "RATE_LIMIT_EXCEEDED"
    assert body["retryAfter"] == int(limited["Retry-After"]) > 0
    assert limited["X-RateLimit-Remaining"] == "0"


def test_unlimited_organization_has_no_rate_limit_headers(
    client, tilesets_dir, geog_organization, geog_auth
):
    organization = geog_organization(slug="big", tier="unlimited")
    response = client.get("/v1/tiles/roads/0/0/0.mvt", **geog_auth(organization=organization))
    assert response.status_code == 200
    assert not response.has_header("X-RateLimit-Limit")


def test_cors_preflight_answers_without_auth_for_any_origin(client, tilesets_dir):
    response = client.options(
        "/v1/tiles/roads/0/0/0.mvt",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_cross_origin_tile_exposes_etag_and_rate_limit_headers(client, tilesets_dir, tiles_auth):
    response = client.get(
        "/v1/tiles/roads/0/0/0.mvt", HTTP_ORIGIN="https://app.example.com", **tiles_auth
    )
    exposed = response["Access-Control-Expose-Headers"]
    assert "ETag" in exposed
    assert "X-RateLimit-Remaining" in exposed


def test_an_accept_header_for_json_still_gets_the_tile(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/roads/0/0/0.mvt", HTTP_ACCEPT="application/json", **tiles_auth)
    assert response.status_code == 200
    assert response["Content-Type"] == MVT
