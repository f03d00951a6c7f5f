import pytest

pytestmark = pytest.mark.django_db


def test_tilejson_describes_the_tileset(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/roads/metadata", **tiles_auth)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response.json() == {
        "tilejson": "3.0.0",
        "name": "roads",
        "description": "test tiles",
        "scheme": "xyz",
        "format": "pbf",
        "tiles": ["http://testserver/v1/tiles/roads/{z}/{x}/{y}.mvt"],
        "minzoom": 0,
        "maxzoom": 3,
        "bounds": [-180.0, -85.0, 180.0, 85.0],
        "center": [10.5, 20.25, 1],
        "vector_layers": [
            {"id": "places", "fields": {"name": "String", "population": "Number"}, "minzoom": 0}
        ],
        "attribution": "© Tests",
    }


def test_tilejson_of_mbtiles_uses_its_metadata_table(client, tilesets_dir, tiles_auth):
    body = client.get("/v1/tiles/parks/metadata", **tiles_auth).json()
    assert body["bounds"] == [-10.5, 35.25, 20.75, 60.5]
    assert body["center"] == [5.125, 47.875, 3]
    assert body["attribution"] == "© MBTiles tests"
    assert body["vector_layers"][0]["id"] == "places"


def test_tilejson_tiles_url_follows_the_request_host_and_scheme(client, tilesets_dir, tiles_auth):
    response = client.get(
        "/v1/tiles/roads/metadata", HTTP_HOST="localhost", secure=True, **tiles_auth
    )
    assert response.json()["tiles"] == ["https://localhost/v1/tiles/roads/{z}/{x}/{y}.mvt"]


def test_tilejson_tiles_url_uses_the_public_base_url(client, tilesets_dir, tiles_auth, settings):
    settings.GEOG_PUBLIC_BASE_URL = "https://maps.example.com/geo/"
    body = client.get("/v1/tiles/roads/metadata", **tiles_auth).json()
    assert body["tiles"] == ["https://maps.example.com/geo/v1/tiles/roads/{z}/{x}/{y}.mvt"]


def test_tilejson_of_unknown_tileset_is_tileset_not_found(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/oceans/metadata", **tiles_auth)
    assert response.status_code == 404
    assert response.json()["message"] == "Tileset 'oceans' not found"


def test_tilejson_needs_the_tiles_scope(client, tilesets_dir, geog_auth):
    response = client.get("/v1/tiles/roads/metadata", **geog_auth(scopes="places:read"))
    assert response.status_code == 403
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"


def test_catalog_lists_every_tileset(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles", **tiles_auth)
    assert response.status_code == 200
    assert response.json() == {
        "tilesets": [
            {
                "name": "parks",
                "format": "pbf",
                "minzoom": 0,
                "maxzoom": 2,
                "bounds": [-10.5, 35.25, 20.75, 60.5],
            },
            {
                "name": "plain",
                "format": "pbf",
                "minzoom": 1,
                "maxzoom": 2,
                "bounds": [-180.0, -85.0, 180.0, 85.0],
            },
            {
                "name": "roads",
                "format": "pbf",
                "minzoom": 0,
                "maxzoom": 3,
                "bounds": [-180.0, -85.0, 180.0, 85.0],
            },
        ]
    }


def test_catalog_shows_a_tileset_added_while_running(client, tilesets_dir, tiles_auth):
    from tests.tiles.archives import pmtiles_write, pyramid

    pmtiles_write(tilesets_dir / "rivers.pmtiles", pyramid(0))
    names = [item["name"] for item in client.get("/v1/tiles", **tiles_auth).json()["tilesets"]]
    assert "rivers" in names


def test_catalog_needs_a_token(client, tilesets_dir):
    response = client.get("/v1/tiles")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTH_REQUIRED"
