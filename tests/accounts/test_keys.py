import io

import jwt
import pytest
from django.core.management import CommandError, call_command

from accounts.models import SIGNING_KEY_PURPOSE, ApiToken, Organization, SigningKey
from encryption.cipher import secret_decrypt

pytestmark = [pytest.mark.django_db]

JWKS_URL = "/.well-known/jwks.json"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_signing_key", stdout=out)
    return out.getvalue().strip()


def test_jwks_is_public_and_cacheable(client, geog_token):
    token = geog_token()
    response = client.get(JWKS_URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    (key,) = response.json()["keys"]
    assert key["kid"] == _kid(token)
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert "d" not in key and "p" not in key


def test_jwks_key_verifies_issued_tokens(client, geog_token):
    token = geog_token()
    jwk = client.get(JWKS_URL).json()["keys"][0]
    claims = jwt.decode(
        token,
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience="geog-api",
        issuer="https://geog.local",
    )
    assert claims["token_type"] == "api_token"


def test_rotation_keeps_old_tokens_valid_and_publishes_both_keys(api_client, geog_token):
    old_token = geog_token(scopes="admin:access")
    old_kid = _kid(old_token)
    new_kid = _rotate()
    assert new_kid != old_kid
    new_token = geog_token(scopes="admin:access")
    assert _kid(new_token) == new_kid
    assert api_client.get("/v1/tokens", **_bearer(old_token)).status_code == 200
    assert api_client.get("/v1/tokens", **_bearer(new_token)).status_code == 200
    kids = {key["kid"] for key in api_client.get(JWKS_URL).json()["keys"]}
    assert kids == {old_kid, new_kid}


def test_retired_key_leaves_jwks_once_its_tokens_are_gone(client, geog_token):
    geog_token()
    old_kid = SigningKey.objects.get(is_active=True).kid
    _rotate()
    # Past the longest exchange lifetime, only the long-lived tokens keep the key published.
    SigningKey.objects.filter(kid=old_kid).update(retired_at="2000-01-01T00:00:00Z")
    assert old_kid in {key["kid"] for key in client.get(JWKS_URL).json()["keys"]}
    ApiToken.objects.update(revoked_at="2000-01-01T00:00:00Z")
    assert old_kid not in {key["kid"] for key in client.get(JWKS_URL).json()["keys"]}


def test_private_key_is_encrypted_at_rest(geog_token):
    geog_token()
    signing_key = SigningKey.objects.get()
    assert "PRIVATE KEY" not in signing_key.private_key_encrypted
    assert (
        b"BEGIN PRIVATE KEY"
        in secret_decrypt(signing_key.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE).encode()
    )


def test_create_api_token_prints_only_the_token_and_creates_the_organization():
    out = io.StringIO()
    call_command(
        "create_api_token",
        "--org",
        "newco",
        "--name",
        "backend",
        "--scopes",
        "tiles:read places:read",
        stdout=out,
    )
    token = out.getvalue().strip()
    assert "\n" not in token
    claims = jwt.decode(token, options={"verify_signature": False})
    organization = Organization.objects.get(slug="newco")
    assert claims["org_id"] == organization.pk
    assert claims["scope"] == "places:read tiles:read"
    assert ApiToken.objects.get(public_id=claims["sub"]).name == "backend"


@pytest.mark.parametrize(
    ("org", "scopes"), [("x", "root"), ("x", ""), ("not a slug", "tiles:read")]
)
def test_create_api_token_refuses_bad_input_without_creating_anything(org, scopes):
    with pytest.raises(CommandError):
        call_command("create_api_token", "--org", org, "--name", "n", "--scopes", scopes)
    assert not Organization.objects.exists()
    assert not ApiToken.objects.exists()
