from django.core.management.base import BaseCommand

from accounts.services import signing_keys_reencrypt
from connections.services import connection_tokens_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt stored OAuth tokens and Geog signing keys under the current keys "
        "(ENCRYPTION_KEY, GEOG_KEY_ENCRYPTION_KEY); run it after rotating, before dropping "
        "the old keys from the *_FALLBACKS settings."
    )

    def handle(self, *args, **options):
        connections = connection_tokens_reencrypt()
        signing_keys = signing_keys_reencrypt()
        self.stdout.write(
            f"Re-encrypted {connections} connection(s) and {signing_keys} signing key(s)."
        )
