import socket

import pytest
from werkzeug import Response

from accounts.models import ApiToken, SigningKey

pytestmark = [pytest.mark.urls("tests.probe_urls"), pytest.mark.django_db]

URL = "/v1/probe"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def remote_jwks(httpserver, settings):
    """Point verification at a local JWKS server; returns the server."""
    settings.GEOG_JWKS_URL = httpserver.url_for("/jwks.json")
    return httpserver


def _published_keys() -> dict:
    return {"keys": [signing_key.public_jwk for signing_key in SigningKey.objects.all()]}


def _assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_token_verifies_against_the_remote_key_set(client, geog_token, remote_jwks):
    token = geog_token()
    remote_jwks.expect_request("/jwks.json").respond_with_json(_published_keys())
    response = client.get(URL, **_bearer(token))
    assert response.status_code == 200, response.content


def test_remote_key_set_is_cached_between_requests(client, geog_token, remote_jwks):
    first, second = geog_token(name="first"), geog_token(name="second")
    remote_jwks.expect_request("/jwks.json").respond_with_json(_published_keys())
    assert client.get(URL, **_bearer(first)).status_code == 200
    assert client.get(URL, **_bearer(second)).status_code == 200
    assert len(remote_jwks.log) == 1


def test_unreachable_jwks_gets_jwks_fetch_failed(client, geog_token, settings):
    token = geog_token()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.GEOG_JWKS_URL = f"http://127.0.0.1:{port}/jwks.json"
    response = client.get(URL, **_bearer(token))
    _assert_error(response, 502, "JWKS_FETCH_FAILED")
    assert response.json()["message"] == "Failed to fetch JWKS"
    assert response.json()["error"] == "Bad Gateway"


def test_jwks_server_error_gets_jwks_fetch_failed(client, geog_token, remote_jwks):
    token = geog_token()
    remote_jwks.expect_request("/jwks.json").respond_with_response(Response("down", status=503))
    _assert_error(client.get(URL, **_bearer(token)), 502, "JWKS_FETCH_FAILED")


@pytest.mark.parametrize(
    "body",
    ["<html>not json</html>", "[1, 2]", '{"keys": []}', '{"keys": [{"kty": "nope"}]}'],
    ids=["html", "list", "empty", "bad-key"],
)
def test_garbage_jwks_gets_jwks_fetch_failed(client, geog_token, remote_jwks, body):
    token = geog_token()
    remote_jwks.expect_request("/jwks.json").respond_with_data(
        body, content_type="application/json"
    )
    _assert_error(client.get(URL, **_bearer(token)), 502, "JWKS_FETCH_FAILED")


def test_kid_missing_from_a_good_key_set_gets_invalid_token(client, geog_token, remote_jwks):
    token = geog_token()
    other = {**_published_keys()["keys"][0], "kid": "someone-else"}
    remote_jwks.expect_request("/jwks.json").respond_with_json({"keys": [other]})
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN")


def test_remote_mode_does_not_consult_the_local_token_table(client, geog_token, remote_jwks):
    token = geog_token()
    ApiToken.objects.update(revoked_at="2000-01-01T00:00:00Z")
    remote_jwks.expect_request("/jwks.json").respond_with_json(_published_keys())
    assert client.get(URL, **_bearer(token)).status_code == 200
