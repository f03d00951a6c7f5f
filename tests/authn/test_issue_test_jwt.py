"""`manage.py issue_test_jwt`: a development token the LatentGEO API accepts."""

from io import StringIO

import jwt
import pytest
from django.core.management import CommandError, call_command

from tests.authn.conftest import CALLER_URL

pytestmark = [pytest.mark.urls("tests.probe_urls")]


def _issued(*args: str) -> str:
    out = StringIO()
    call_command("issue_test_jwt", *args, stdout=out)
    return out.getvalue()


def test_printed_token_authenticates_its_subject(client, settings):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    printed = _issued("--sub", "auth0|dev", "--email", "Dev@Example.com", "--expires-in", "600")
    token = printed.strip()
    assert printed == f"{token}\n"
    response = client.get(CALLER_URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["sub"] == "auth0|dev"
    assert response.json()["email"] == "dev@example.com"


def test_token_lifetime_follows_expires_in(settings):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    token = _issued("--sub", "auth0|dev", "--expires-in", "90").strip()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 90


def test_refuses_a_lifetime_that_is_not_positive(settings):
    settings.ALLOW_INTERNAL_TEST_JWT = True
    with pytest.raises(CommandError, match="--expires-in must be a positive"):
        _issued("--sub", "auth0|dev", "--expires-in", "0")


def test_refuses_where_internal_tokens_are_not_accepted(settings):
    settings.ALLOW_INTERNAL_TEST_JWT = False
    with pytest.raises(CommandError, match="ALLOW_INTERNAL_TEST_JWT is off"):
        _issued("--sub", "auth0|dev")


def test_sub_is_required():
    with pytest.raises(CommandError):
        _issued("--email", "dev@example.com")
