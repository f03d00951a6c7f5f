import time
from datetime import datetime

import jwt
import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_revoke, signing_key_active
from accounts.tokens import geog_token_encode

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


def _exchange(api_client, parent: str, **body) -> dict:
    response = api_client.post(URL, body, format="json", **_bearer(parent))
    assert response.status_code == 200, response.content
    return response.json()


def test_child_never_outlives_its_parent(api_client, geog_token):
    parent_claims = jwt.decode(geog_token(), options={"verify_signature": False})
    # The same long-lived token, signed to expire in 120 seconds.
    parent_exp = int(time.time()) + 120
    expiring_parent = geog_token_encode(
        signing_key=signing_key_active(),
        sub=parent_claims["sub"],
        organization_id=parent_claims["org_id"],
        scope=parent_claims["scope"],
        issued_at=parent_claims["iat"],
        expires_at=parent_exp,
    )
    body = _exchange(api_client, expiring_parent, ttl=14400)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] == parent_exp
    assert claims["parent"] == parent_claims["sub"]
    assert body["expires_in"] <= 120
    assert datetime.fromisoformat(body["expires_at"]).timestamp() == parent_exp


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/v1/tokens", None),
        ("post", "/v1/tokens", {"name": "x", "scopes": ["admin:access"], "expires_in_days": 3650}),
        ("delete", "/v1/tokens/tok_anything", None),
    ],
)
def test_child_of_an_admin_token_cannot_manage_tokens(api_client, geog_token, method, path, body):
    child = _exchange(api_client, geog_token(scopes="tiles:read admin:access"))
    assert child["scope"] == "admin:access tiles:read"
    response = getattr(api_client, method)(
        path, body, format="json", **_bearer(child["access_token"])
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"
    assert response.json()["message"] == "Token does not have required scope: admin:access"
    assert ApiToken.objects.count() == 1


def test_revoking_the_parent_ends_the_child_on_its_next_request(
    api_client, geog_token, django_capture_on_commit_callbacks
):
    parent = geog_token(scopes="tiles:read admin:access")
    child = _exchange(api_client, parent, scope="tiles:read")["access_token"]
    assert api_client.get("/v1/tiles", **_bearer(child)).status_code == 200
    assert api_client.get("/v1/tiles", **_bearer(child)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(api_token=ApiToken.objects.get())
    response = api_client.get("/v1/tiles", **_bearer(child))
    assert response.status_code == 401
    assert response.json()["message"] == "Token has been revoked"


def test_child_of_a_parent_revoked_long_ago_is_refused(api_client, geog_token):
    child = _exchange(api_client, geog_token())["access_token"]
    # The revocation marker has expired from the cache; the row still says revoked.
    ApiToken.objects.update(revoked_at=timezone.now())
    cache.clear()
    response = api_client.get("/v1/tiles", **_bearer(child))
    assert response.status_code == 401
    assert response.json()["message"] == "Token has been revoked"


def test_short_lived_token_without_parent_is_invalid(api_client, geog_token):
    parent_claims = jwt.decode(geog_token(), options={"verify_signature": False})
    now = int(time.time())
    orphan = geog_token_encode(
        signing_key=signing_key_active(),
        sub="tok_short_orphan",
        organization_id=parent_claims["org_id"],
        scope="tiles:read",
        issued_at=now,
        expires_at=now + 600,
    )
    response = api_client.get("/v1/tiles", **_bearer(orphan))
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_TOKEN"
