import pytest

pytestmark = [pytest.mark.urls("tests.errors.probe_urls")]


def test_body_over_one_mib_latentgeo_is_413(client):
    body = '{"email": "' + "a" * (1024 * 1024) + '"}'
    response = client.post("/api/v1/probe/echo", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request entity too large"}


def test_body_over_one_mib_geog_is_413_envelope(client):
    body = '{"email": "' + "a" * (1024 * 1024) + '"}'
    response = client.post("/v1/probe/echo", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "success": False,
        "error": "Request Entity Too Large",
        "message": "Request body too large",
        "code": "PAYLOAD_TOO_LARGE",
    }


def test_body_just_under_the_limit_is_accepted(client):
    body = '{"email": "a@example.com", "pad": "' + "a" * (1024 * 1000) + '"}'
    response = client.post("/api/v1/probe/echo", data=body, content_type="application/json")
    assert response.status_code == 200


def test_url_over_2048_characters_is_414_in_each_style(client):
    long_query = "q=" + "x" * 2100
    latentgeo = client.get(f"/api/v1/probe/items/1?{long_query}")
    geog = client.get(f"/v1/probe/items/1?{long_query}")
    assert latentgeo.status_code == 414
    assert latentgeo.json() == {"detail": "URI Too Long"}
    assert geog.status_code == 414
    assert geog.json()["code"] == "URI_TOO_LONG"
