from django.core.management.base import BaseCommand

from accounts.services import signing_keys_reencrypt
from connections.services import connection_tokens_reencrypt
from notifications.services import webhook_secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt stored OAuth tokens, webhook secrets and Geog signing keys under the "
        "current keys "
        "(ENCRYPTION_KEY, GEOG_KEY_ENCRYPTION_KEY); run it after rotating, before dropping "
        "the old keys from the *_FALLBACKS settings."
    )

    def handle(self, *args, **options):
        connections = connection_tokens_reencrypt()
        webhooks = webhook_secrets_reencrypt()
        signing_keys = signing_keys_reencrypt()
        self.stdout.write(
            f"Re-encrypted {connections} connection(s), {webhooks} webhook secret(s) and "
            f"{signing_keys} signing key(s)."
        )
