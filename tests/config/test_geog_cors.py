import pytest

STRANGER = "https://maps.customer-site.example"
EXPOSED = ("X-Auth-Error-Code", "Retry-After", "ETag", "X-RateLimit-Remaining")


def _preflight(client, path: str, origin: str = STRANGER):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


@pytest.fixture
def empty_tilesets(tmp_path, settings):
    settings.TILESETS_DIR = tmp_path
    settings.TILESETS_RESCAN_SECONDS = 0
    return tmp_path


def test_geog_preflight_from_any_origin_is_allowed_by_default(client):
    response = _preflight(client, "/v1/tiles/places/metadata")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_latentgeo_preflight_from_an_unlisted_origin_is_not_allowed(client):
    response = _preflight(client, "/api/v1/audits")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Headers" not in response


def test_latentgeo_preflight_from_a_listed_origin_echoes_it(client, settings):
    response = _preflight(client, "/api/v1/audits", origin=settings.CORS_ALLOWED_ORIGINS[0])
    assert response["Access-Control-Allow-Origin"] == settings.CORS_ALLOWED_ORIGINS[0]


@pytest.mark.django_db
def test_geog_401_is_readable_cross_origin(client, empty_tilesets):
    response = client.get("/v1/tiles", HTTP_ORIGIN=STRANGER)
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    for header in EXPOSED:
        assert header in response["Access-Control-Expose-Headers"]


def test_geog_404_is_readable_cross_origin(client):
    response = client.get("/v1/nowhere", HTTP_ORIGIN=STRANGER)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_geog_429_is_readable_cross_origin_with_its_retry_after(
    client, empty_tilesets, geog_organization, geog_auth
):
    organization = geog_organization(slug="corsy", tier="free", tiles_per_window=1)
    auth = geog_auth(scopes="tiles:read", organization=organization)
    assert client.get("/v1/tiles", HTTP_ORIGIN=STRANGER, **auth).status_code == 200
    response = client.get("/v1/tiles", HTTP_ORIGIN=STRANGER, **auth)
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert response["Retry-After"]


def test_geog_without_origin_gets_no_cors_headers(client):
    response = client.get("/v1/nowhere")
    assert "Access-Control-Allow-Origin" not in response


def test_geog_origins_setting_narrows_the_policy(client, settings):
    settings.GEOG_CORS_ALLOWED_ORIGINS = ["https://maps.example.com"]
    listed = _preflight(client, "/v1/tiles", origin="https://maps.example.com")
    assert listed["Access-Control-Allow-Origin"] == "https://maps.example.com"
    assert "Origin" in listed["Vary"]
    assert "Access-Control-Allow-Credentials" not in listed

    unlisted = _preflight(client, "/v1/tiles")
    assert "Access-Control-Allow-Origin" not in unlisted
    assert "Origin" in unlisted["Vary"]


def test_geog_any_origin_does_not_vary_on_origin(client):
    response = client.get("/v1/nowhere", HTTP_ORIGIN=STRANGER)
    assert "Origin" not in response.get("Vary", "")
