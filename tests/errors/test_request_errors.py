"""Requests Django refuses before (or outside) a view: the API's JSON style on API paths."""

import pytest

pytestmark = [pytest.mark.urls("tests.errors.probe_urls")]

GEOG_BAD_REQUEST = {
    "success": False,
    "error": "Bad Request",
    "message": "Bad request",
    "code": "BAD_REQUEST",
}


@pytest.mark.parametrize("path", ["/api/v1/audits", "/api/v1/no-such-route", "/api/v1/"])
def test_disallowed_host_on_a_latentgeo_path_is_json_400(client, path):
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Bad Request"}


@pytest.mark.parametrize("path", ["/v1/tiles", "/v1/places/geonames:1", "/v1/no-such-route"])
def test_disallowed_host_on_a_geog_path_is_the_400_envelope(client, path):
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response.json() == GEOG_BAD_REQUEST


def test_disallowed_host_outside_the_apis_keeps_djangos_page(client):
    response = client.get("/admin/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_suspicious_request_outside_drf_is_400_in_each_style(client):
    latentgeo = client.get("/api/v1/probe/plain-suspicious")
    geog = client.get("/v1/probe/plain-suspicious")
    assert (latentgeo.status_code, latentgeo.json()) == (400, {"detail": "Bad Request"})
    assert (geog.status_code, geog.json()) == (400, GEOG_BAD_REQUEST)
    assert b"secret" not in latentgeo.content + geog.content


def test_permission_denied_outside_drf_is_403_in_each_style(client):
    latentgeo = client.get("/api/v1/probe/plain-forbidden")
    geog = client.get("/v1/probe/plain-forbidden")
    assert (latentgeo.status_code, latentgeo.json()) == (403, {"detail": "Forbidden"})
    assert geog.status_code == 403
    assert geog.json()["code"] == "FORBIDDEN"
