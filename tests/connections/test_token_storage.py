"""OAuth tokens are stored encrypted, and the service refuses to run without a key."""

import pytest
from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import connection as db

from connections.checks import encryption_key_check
from connections.models import Connection
from connections.token_cipher import token_decrypt, token_encrypt
from tests.connections.fake_providers import HUBSPOT_CODE, HUBSPOT_REFRESH, HUBSPOT_TOKEN


@pytest.mark.django_db
def test_stored_token_columns_hold_no_plaintext(providers, callback, oauth_state):
    linked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot"))
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted "
            "FROM connections_connection WHERE id = %s",
            [linked.json()["connection_id"]],
        )
        access, refresh = cursor.fetchone()
    assert HUBSPOT_TOKEN not in access
    assert HUBSPOT_REFRESH not in refresh
    assert (token_decrypt(access), token_decrypt(refresh)) == (HUBSPOT_TOKEN, HUBSPOT_REFRESH)


@pytest.mark.django_db
def test_deleting_wipes_the_stored_tokens(
    providers, api_client, latentgeo_auth, callback, oauth_state
):
    linked = callback("hubspot", code=HUBSPOT_CODE, state=oauth_state("hubspot")).json()
    api_client.delete(f"/api/v1/hubspot/connections/{linked['connection_id']}", **latentgeo_auth())
    row = Connection.objects.values().get(pk=linked["connection_id"])
    assert row["access_token_encrypted"] == row["refresh_token_encrypted"] == ""
    assert row["token_expires_at"] is None


def test_each_encryption_of_a_token_differs():
    assert token_encrypt("same-token") != token_encrypt("same-token")


def test_without_key_and_debug_off_encryption_is_refused(settings):
    settings.DEBUG = False
    settings.ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEY must be set"):
        token_encrypt("a-token")
    [error] = encryption_key_check(None)
    assert error.id == "connections.E001"


def test_without_key_and_debug_on_a_key_is_derived_from_secret_key(settings):
    settings.DEBUG = True
    settings.ENCRYPTION_KEY = ""
    ciphertext = token_encrypt("a-token")
    assert token_decrypt(ciphertext) == "a-token"
    assert encryption_key_check(None) == []
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(InvalidToken):
        token_decrypt(ciphertext)


def test_a_key_that_is_not_a_fernet_key_fails_the_check(settings):
    settings.ENCRYPTION_KEY = "too-short"
    [error] = encryption_key_check(None)
    assert "not a Fernet key" in error.msg
