"""A database whose secrets were stored under the two old schemes migrates to one cipher.

OAuth tokens and webhook secrets were Fernet ciphertexts under ENCRYPTION_KEY itself, the
Geog signing keys under a key derived from SECRET_KEY (GEOG_KEY_ENCRYPTION_KEY unset). After
the migration every row is kept and reads under its purpose's key; a value no old key read
is kept as it was.
"""

import base64

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import SIGNING_KEY_PURPOSE
from connections.models import OAUTH_TOKEN_PURPOSE
from encryption.cipher import secret_decrypt
from notifications.models import WEBHOOK_SECRET_PURPOSE

BEFORE = [
    ("connections", "0002_connection_needs_reauth"),
    ("accounts", "0002_organization_places_per_window"),
    ("notifications", "0001_webhooks"),
]
PEM = "-----BEGIN PRIVATE KEY-----\nfield\n-----END PRIVATE KEY-----\n"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _old_signing_key_fernet(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"geog-signing-keys"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


@pytest.mark.django_db(transaction=True)
def test_migrate_moves_every_stored_secret_to_its_purpose_key_and_keeps_every_row(settings):
    settings.GEOG_KEY_ENCRYPTION_KEY = ""
    old_tokens = Fernet(settings.ENCRYPTION_KEY)
    old_signing = _old_signing_key_fernet(settings.SECRET_KEY)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    linked = old_apps.get_model("connections", "Connection").objects.create(
        provider="hubspot",
        account_id=77,
        owner_user_id="auth0|field",
        access_token_encrypted=old_tokens.encrypt(b"field-access").decode(),
        refresh_token_encrypted=old_tokens.encrypt(b"field-refresh").decode(),
    )
    unreadable = old_apps.get_model("connections", "Connection").objects.create(
        provider="github", account_id=78, access_token_encrypted="gAAAAA-unreadable"
    )
    signing_key = old_apps.get_model("accounts", "SigningKey").objects.create(
        kid="20260102-field",
        private_key_encrypted=old_signing.encrypt(PEM.encode()).decode(),
        public_jwk={"kty": "RSA", "kid": "20260102-field"},
    )
    endpoint = old_apps.get_model("notifications", "WebhookEndpoint").objects.create(
        owner_user_id="auth0|field",
        url="https://hooks.example.com/in",
        events=["audit.completed"],
        secret_encrypted=old_tokens.encrypt(b"whsec_field").decode(),
    )
    try:
        new_apps = _migrate(leaves).loader.project_state(leaves).apps
        connections = new_apps.get_model("connections", "Connection").objects
        moved = connections.get(pk=linked.pk)
        assert secret_decrypt(moved.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE) == (
            "field-access"
        )
        assert secret_decrypt(moved.refresh_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE) == (
            "field-refresh"
        )
        assert connections.get(pk=unreadable.pk).access_token_encrypted == "gAAAAA-unreadable"
        key = new_apps.get_model("accounts", "SigningKey").objects.get(pk=signing_key.pk)
        assert secret_decrypt(key.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE) == PEM
        hook = new_apps.get_model("notifications", "WebhookEndpoint").objects.get(pk=endpoint.pk)
        assert secret_decrypt(hook.secret_encrypted, purpose=WEBHOOK_SECRET_PURPOSE) == (
            "whsec_field"
        )

        # Back to the old schemes and forward again: the same secrets come out.
        old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        restored = old_apps.get_model("connections", "Connection").objects.get(pk=linked.pk)
        assert old_tokens.decrypt(restored.access_token_encrypted.encode()) == b"field-access"
        new_apps = _migrate(leaves).loader.project_state(leaves).apps
        again = new_apps.get_model("connections", "Connection").objects.get(pk=linked.pk)
        assert secret_decrypt(again.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE) == (
            "field-access"
        )
    finally:
        _migrate(leaves)
        for model in ("connections.Connection", "accounts.SigningKey"):
            app, name = model.split(".")
            MigrationExecutor(connection).loader.project_state(leaves).apps.get_model(
                app, name
            ).objects.all().delete()
