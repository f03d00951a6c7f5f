"""Encryption keys rotate: fallback keys still decrypt, and one command moves everything over."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from accounts.key_encryption import private_key_decrypt
from accounts.models import SigningKey
from accounts.services import signing_key_active
from accounts.tokens import geog_token_encode
from connections.checks import encryption_key_check
from connections.models import Connection
from connections.token_cipher import token_decrypt, token_encrypt
from tests.connections.factories import ConnectionFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_a_token_stored_under_a_fallback_key_stays_readable(settings):
    settings.ENCRYPTION_KEY = OLD_KEY
    ciphertext = token_encrypt("a-token")
    settings.ENCRYPTION_KEY, settings.ENCRYPTION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert token_decrypt(ciphertext) == "a-token"
    settings.ENCRYPTION_KEY_FALLBACKS = []
    with pytest.raises(InvalidToken):
        token_decrypt(ciphertext)


def test_a_fallback_that_is_not_a_fernet_key_stops_the_service(settings):
    settings.ENCRYPTION_KEY_FALLBACKS = ["not-a-key"]
    [error] = encryption_key_check(None)
    assert "ENCRYPTION_KEY_FALLBACKS is not a Fernet key" in error.msg


@pytest.mark.django_db
def test_reencrypt_secrets_moves_tokens_and_signing_keys_to_the_current_key(settings):
    settings.ENCRYPTION_KEY = OLD_KEY
    settings.GEOG_KEY_ENCRYPTION_KEY = OLD_KEY
    ConnectionFactory(refresh_token_encrypted=token_encrypt("stored-refresh-token"))
    signing_key = signing_key_active()

    settings.ENCRYPTION_KEY, settings.ENCRYPTION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    settings.GEOG_KEY_ENCRYPTION_KEY = NEW_KEY
    settings.GEOG_KEY_ENCRYPTION_KEY_FALLBACKS = [OLD_KEY]
    call_command("reencrypt_secrets")

    # Readable with the current key alone: the old one can be dropped.
    settings.ENCRYPTION_KEY_FALLBACKS = settings.GEOG_KEY_ENCRYPTION_KEY_FALLBACKS = []
    row = Connection.objects.get()
    assert token_decrypt(row.access_token_encrypted) == "stored-access-token"
    assert token_decrypt(row.refresh_token_encrypted) == "stored-refresh-token"
    rotated = SigningKey.objects.get(pk=signing_key.pk)
    assert private_key_decrypt(rotated.private_key_encrypted).startswith(b"-----BEGIN")
    assert geog_token_encode(
        signing_key=rotated,
        sub="tok_x",
        organization_id=1,
        scope="tiles:read",
        issued_at=0,
        expires_at=1,
    )
