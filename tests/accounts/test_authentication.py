import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import authentication as geog_authentication
from accounts.models import SIGNING_KEY_PURPOSE, ApiToken
from accounts.services import api_token_revoke, signing_key_active
from accounts.tokens import geog_token_encode
from encryption.cipher import secret_decrypt
from tests.accounts.factories import ApiTokenFactory

pytestmark = [pytest.mark.urls("tests.probe_urls"), pytest.mark.django_db]

URL = "/v1/probe"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _signed(**overrides) -> str:
    """A token signed by the active key with contract claims, changed by `overrides`."""
    now = int(time.time())
    token = geog_token_encode(
        signing_key=signing_key_active(),
        sub=overrides.pop("sub", "tok_short_probe"),
        organization_id=overrides.pop("organization_id"),
        scope=overrides.pop("scope", "tiles:read"),
        issued_at=now,
        expires_at=overrides.pop("exp", now + 600),
    )
    if not overrides:
        return token
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(overrides)
    return _resign(claims)


def _resign(claims: dict, **header) -> str:
    signing_key = signing_key_active()
    private_key = serialization.load_pem_private_key(
        secret_decrypt(signing_key.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE).encode(),
        password=None,
    )
    headers = {key: value for key, value in {"kid": signing_key.kid, **header}.items() if value}
    return jwt.encode(claims, private_key, algorithm="RS256", headers=headers)


def _assert_error(response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.content
    assert response.json() == {
        "success": False,
        "error": response.reason_phrase,
        "message": message,
        "code": code,
    }
    if status == 401:
        assert response["WWW-Authenticate"] == "Bearer"


def test_valid_token_authenticates_as_its_organization(client, geog_token, geog_organization):
    organization = geog_organization(slug="maps")
    response = client.get(
        URL, **_bearer(geog_token(scopes="tiles:read", organization=organization))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["organization_id"] == organization.pk
    assert body["token_id"].startswith("tok_")
    assert body["scopes"] == ["tiles:read"]
    assert body["tier"] == "free"
    assert body["is_short_lived"] is False


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b", "Token abc"],
)
def test_missing_or_garbled_header_gets_auth_required(client, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    _assert_error(
        client.get(URL, **extra), 401, "AUTH_REQUIRED", "Missing or invalid authorization header"
    )


def test_malformed_token_gets_invalid_token(client):
    _assert_error(
        client.get(URL, **_bearer("not.a.jwt")), 401, "INVALID_TOKEN", "Invalid token format"
    )


def test_bad_signature_gets_invalid_token(client, geog_organization):
    claims = jwt.decode(
        _signed(organization_id=geog_organization().pk), options={"verify_signature": False}
    )
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        claims, other_key, algorithm="RS256", headers={"kid": signing_key_active().kid}
    )
    _assert_error(client.get(URL, **_bearer(forged)), 401, "INVALID_TOKEN", "Invalid token format")


def test_unknown_kid_gets_invalid_token(client, geog_organization):
    claims = jwt.decode(
        _signed(organization_id=geog_organization().pk), options={"verify_signature": False}
    )
    token = _resign(claims, kid="no-such-key")
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format")


def test_token_without_kid_gets_invalid_token(client, geog_organization):
    claims = jwt.decode(
        _signed(organization_id=geog_organization().pk), options={"verify_signature": False}
    )
    token = _resign(claims, kid=None)
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format")


def test_hs256_token_gets_invalid_token(client, geog_organization):
    claims = jwt.decode(
        _signed(organization_id=geog_organization().pk), options={"verify_signature": False}
    )
    token = jwt.encode(
        claims, "x" * 32, algorithm="HS256", headers={"kid": signing_key_active().kid}
    )
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format")


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://other.example"},
        {"aud": "other-audience"},
        {"token_type": "refresh_token"},
        {"sub": "user_42"},
    ],
    ids=["issuer", "audience", "token_type", "subject"],
)
def test_wrong_claims_get_invalid_token(client, geog_organization, overrides):
    token = _signed(organization_id=geog_organization().pk, **overrides)
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format")


def test_expired_token_gets_token_expired(client, geog_organization):
    token = _signed(organization_id=geog_organization().pk, exp=int(time.time()) - 10)
    _assert_error(client.get(URL, **_bearer(token)), 401, "TOKEN_EXPIRED", "Token has expired")


def test_unknown_long_lived_token_gets_invalid_token(client, geog_organization):
    token = _signed(organization_id=geog_organization().pk, sub="tok_000000000000")
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format")


def test_missing_scope_gets_insufficient_scope_naming_it(client, geog_token):
    response = client.get(URL, **_bearer(geog_token(scopes="places:read")))
    _assert_error(
        response, 403, "INSUFFICIENT_SCOPE", "Token does not have required scope: tiles:read"
    )


def test_revocation_is_effective_on_the_next_request(client, django_capture_on_commit_callbacks):
    api_token = ApiTokenFactory()
    token = api_token.jwt
    assert client.get(URL, **_bearer(token)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(api_token=api_token)
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Token has been revoked")


def test_verification_racing_a_revocation_cannot_cache_the_token_again(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    row_read_before_revocation = ApiTokenFactory()
    token = row_read_before_revocation.jwt
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(api_token=ApiToken.objects.get())
    # A request that read the token row just before the revocation committed.
    monkeypatch.setattr(
        geog_authentication,
        "api_token_find",
        lambda *, public_id: row_read_before_revocation,
    )
    assert client.get(URL, **_bearer(token)).status_code == 200
    monkeypatch.undo()
    _assert_error(client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Token has been revoked")


def test_known_token_is_verified_without_database_queries(client, geog_token):
    token = geog_token()
    assert client.get(URL, **_bearer(token)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, **_bearer(token))
    assert response.status_code == 200
    assert len(queries) == 0


def test_last_used_is_written_once_per_minute(client, geog_token):
    token = geog_token()
    client.get(URL, **_bearer(token))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(URL, **_bearer(token))
    assert ApiToken.objects.get().last_used_at == first


def _foreign_kid_token(organization_id: int, kid: str) -> str:
    claims = jwt.decode(
        _signed(organization_id=organization_id), options={"verify_signature": False}
    )
    return _resign(claims, kid=kid)


def test_unknown_kids_reach_the_database_once(client, geog_organization):
    organization = geog_organization()
    tokens = [_foreign_kid_token(organization.pk, f"made-up-{index}") for index in range(20)]
    with CaptureQueriesContext(connection) as queries:
        for token in tokens:
            _assert_error(
                client.get(URL, **_bearer(token)), 401, "INVALID_TOKEN", "Invalid token format"
            )
    signing_key_queries = [q for q in queries if "authn_signingkey" in q["sql"]]
    assert len(signing_key_queries) == 1


def test_a_key_rotated_after_a_miss_is_known_at_once(
    client, geog_token, django_capture_on_commit_callbacks
):
    from accounts.services import signing_key_rotate

    token = geog_token()
    assert client.get(URL, **_bearer(token)).status_code == 200
    _assert_error(
        client.get(URL, **_bearer(_foreign_kid_token(ApiToken.objects.get().organization_id, "x"))),
        401,
        "INVALID_TOKEN",
        "Invalid token format",
    )
    with django_capture_on_commit_callbacks(execute=True):
        signing_key_rotate()
    assert client.get(URL, **_bearer(geog_token())).status_code == 200


def test_tier_read_racing_a_change_cannot_cache_the_old_tier(
    client, geog_token, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from accounts.local_verifications import local_verifications
    from accounts.models import Organization
    from accounts.selectors import organization_limits
    from accounts.services import organization_update
    from accounts.verification_cache import organization_cache_key

    token = geog_token()
    organization = Organization.objects.get()
    key = organization_cache_key(organization.pk)

    def read_then_change(*, organization_id: int):
        # The row is read, then the change commits before this request caches what it read.
        stale = organization_limits(organization_id=organization_id)
        with django_capture_on_commit_callbacks(execute=True):
            organization_update(organization=organization, tier="unlimited")
        return stale

    monkeypatch.setattr(geog_authentication, "organization_limits", read_then_change)
    assert client.get(URL, **_bearer(token)).json()["tier"] == "free"
    monkeypatch.undo()
    assert cache.get(key, {}).get("tier") != "free"
    # Another process, with nothing of its own: it must see the new tier.
    local_verifications.cache_clear()
    assert client.get(URL, **_bearer(token)).json()["tier"] == "unlimited"
    assert client.get(URL, **_bearer(token)).json()["tier"] == "unlimited"
