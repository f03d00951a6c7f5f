"""Secrets at rest: a key per purpose from one master key, refused in production without it."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured

from encryption.checks import encryption_key_check
from encryption.cipher import secret_decrypt, secret_encrypt, secret_reencrypt

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_each_encryption_of_a_secret_differs():
    assert secret_encrypt("same", purpose="p") != secret_encrypt("same", purpose="p")


def test_an_empty_secret_stays_empty():
    assert secret_encrypt("", purpose="p") == secret_decrypt("", purpose="p") == ""


def test_a_secret_of_one_purpose_is_unreadable_under_another():
    ciphertext = secret_encrypt("a-token", purpose="connections.oauth-token")
    assert secret_decrypt(ciphertext, purpose="connections.oauth-token") == "a-token"
    with pytest.raises(InvalidToken):
        secret_decrypt(ciphertext, purpose="notifications.webhook-secret")


def test_the_master_key_itself_encrypts_nothing(settings):
    settings.ENCRYPTION_KEY = OLD_KEY
    ciphertext = secret_encrypt("a-token", purpose="p")
    with pytest.raises(InvalidToken):
        Fernet(OLD_KEY).decrypt(ciphertext.encode())


def test_a_secret_stored_under_a_fallback_key_stays_readable_and_moves_on_reencrypt(settings):
    settings.ENCRYPTION_KEY = OLD_KEY
    ciphertext = secret_encrypt("a-token", purpose="p")
    settings.ENCRYPTION_KEY, settings.ENCRYPTION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert secret_decrypt(ciphertext, purpose="p") == "a-token"
    moved = secret_reencrypt(ciphertext, purpose="p")
    settings.ENCRYPTION_KEY_FALLBACKS = []
    assert secret_decrypt(moved, purpose="p") == "a-token"
    with pytest.raises(InvalidToken):
        secret_decrypt(ciphertext, purpose="p")


def test_without_key_and_debug_off_encryption_is_refused(settings):
    settings.DEBUG = False
    settings.ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEY must be set"):
        secret_encrypt("a-token", purpose="p")
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEY must be set"):
        secret_decrypt("gAAAAA-stored", purpose="p")
    [error] = encryption_key_check(None)
    assert error.id == "encryption.E001"


def test_without_key_and_debug_on_a_key_is_derived_from_secret_key(settings):
    settings.DEBUG = True
    settings.ENCRYPTION_KEY = ""
    ciphertext = secret_encrypt("a-token", purpose="p")
    assert secret_decrypt(ciphertext, purpose="p") == "a-token"
    assert encryption_key_check(None) == []
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(InvalidToken):
        secret_decrypt(ciphertext, purpose="p")


@pytest.mark.parametrize(
    ("name", "value"),
    [("ENCRYPTION_KEY", "too-short"), ("ENCRYPTION_KEY_FALLBACKS", ["not-a-key"])],
)
def test_a_key_that_is_not_a_fernet_key_fails_the_check(settings, name, value):
    setattr(settings, name, value)
    [error] = encryption_key_check(None)
    assert f"{name} is not a Fernet key" in error.msg
