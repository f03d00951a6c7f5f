"""The encryption key rotates: fallback keys still decrypt, and one command moves every secret."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from accounts.models import SIGNING_KEY_PURPOSE, SigningKey
from accounts.services import signing_key_active
from accounts.tokens import geog_token_encode
from authn.auth0_user import Auth0User
from connections.models import OAUTH_TOKEN_PURPOSE, Connection
from encryption.cipher import secret_decrypt
from notifications.models import WEBHOOK_SECRET_PURPOSE, WebhookEndpoint
from notifications.services import webhook_endpoint_create
from tests.connections.factories import ConnectionFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.mark.django_db
def test_reencrypt_secrets_moves_every_encrypted_column_to_the_current_key(settings, capsys):
    settings.ENCRYPTION_KEY = OLD_KEY
    settings.AUDIT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    ConnectionFactory(refresh_token="stored-refresh")
    signing_key = signing_key_active()
    _, webhook_secret = webhook_endpoint_create(
        user=Auth0User(sub="auth0|alice", email="alice@example.com"),
        url="http://127.0.0.1:9/hook",
        events=["audit.completed"],
    )

    settings.ENCRYPTION_KEY, settings.ENCRYPTION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    call_command("reencrypt_secrets")
    assert "connections.Connection: re-encrypted 1 row(s)." in capsys.readouterr().out

    # Readable with the current key alone: the old one can be dropped.
    settings.ENCRYPTION_KEY_FALLBACKS = []
    row = Connection.objects.get()
    assert secret_decrypt(row.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE) == (
        "stored-access-token"
    )
    assert secret_decrypt(row.refresh_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE) == (
        "stored-refresh"
    )
    endpoint = WebhookEndpoint.objects.get()
    assert secret_decrypt(endpoint.secret_encrypted, purpose=WEBHOOK_SECRET_PURPOSE) == (
        webhook_secret
    )
    rotated = SigningKey.objects.get(pk=signing_key.pk)
    pem = secret_decrypt(rotated.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE)
    assert pem.startswith("-----BEGIN")
    assert geog_token_encode(
        signing_key=rotated,
        sub="tok_x",
        organization_id=1,
        scope="tiles:read",
        issued_at=0,
        expires_at=1,
    )
