import time
from datetime import datetime

import jwt
import pytest

pytestmark = [pytest.mark.django_db]

URL = "/v1/auth/token"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _validation_fields(response) -> list[str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["message"] == "Validation failed"
    return [detail["field"] for detail in body["details"]]


def test_exchange_returns_short_lived_token_with_parent_scopes(api_client, geog_token):
    parent = geog_token(scopes="tiles:read places:read")
    before = int(time.time())
    response = api_client.post(URL, {}, format="json", **_bearer(parent))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "places:read tiles:read"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    parent_claims = jwt.decode(parent, options={"verify_signature": False})
    assert claims["sub"].startswith("tok_short_")
    assert claims["org_id"] == parent_claims["org_id"]
    assert claims["token_type"] == "api_token"
    assert before + 3600 <= claims["exp"] <= int(time.time()) + 3600
    assert body["expires_at"].endswith("Z")
    assert datetime.fromisoformat(body["expires_at"]).timestamp() == claims["exp"]
    assert jwt.get_unverified_header(body["access_token"])["kid"]


def test_exchanged_token_is_accepted_with_the_narrowed_scope(api_client, geog_token):
    parent = geog_token(scopes="tiles:read admin:access")
    body = api_client.post(
        URL, {"ttl": 60, "scope": "tiles:read"}, format="json", **_bearer(parent)
    ).json()
    assert body["scope"] == "tiles:read"
    assert body["expires_in"] == 60
    response = api_client.get("/v1/tokens", **_bearer(body["access_token"]))
    assert response.status_code == 403
    assert response.json()["message"] == "Token does not have required scope: admin:access"


@pytest.mark.parametrize("ttl", [0, 14401, -5, "soon"])
def test_ttl_out_of_range_is_a_validation_error_on_ttl(api_client, geog_token, ttl):
    response = api_client.post(URL, {"ttl": ttl}, format="json", **_bearer(geog_token()))
    assert _validation_fields(response) == ["ttl"]


@pytest.mark.parametrize("ttl", [1, 14400])
def test_ttl_bounds_are_accepted(api_client, geog_token, ttl):
    response = api_client.post(URL, {"ttl": ttl}, format="json", **_bearer(geog_token()))
    assert response.status_code == 200
    assert response.json()["expires_in"] == ttl


@pytest.mark.parametrize("scope", ["admin:access", "tiles:read admin:access", "everything"])
def test_scope_escalation_is_a_validation_error_on_scope(api_client, geog_token, scope):
    response = api_client.post(
        URL, {"scope": scope}, format="json", **_bearer(geog_token(scopes="tiles:read"))
    )
    assert _validation_fields(response) == ["scope"]


def test_short_lived_token_cannot_exchange_again(api_client, geog_token):
    short = api_client.post(URL, {}, format="json", **_bearer(geog_token())).json()
    response = api_client.post(URL, {}, format="json", **_bearer(short["access_token"]))
    assert response.status_code == 403
    assert response.json() == {
        "success": False,
        "error": "Forbidden",
        "message": "Token does not have required scope: token:exchange",
        "code": "INSUFFICIENT_SCOPE",
    }


def test_exchange_without_token_gets_auth_required(api_client):
    response = api_client.post(URL, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTH_REQUIRED"
    assert response["WWW-Authenticate"] == "Bearer"


def test_malformed_json_body_is_a_validation_error_on_body(api_client, geog_token):
    response = api_client.post(
        URL, "{bad", content_type="application/json", **_bearer(geog_token())
    )
    assert _validation_fields(response) == ["body"]
