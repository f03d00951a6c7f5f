"""Re-encrypt OAuth tokens, signing keys and webhook secrets under the current key.

Run it after rotating ENCRYPTION_KEY, before dropping the old key from
ENCRYPTION_KEY_FALLBACKS: a row still sealed by a dropped key could no longer be read.
"""

from django.core.management.base import BaseCommand

from encryption.rotation import secrets_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every stored secret under the current ENCRYPTION_KEY (after a rotation)."

    def handle(self, *args, **options):
        for label, count in secrets_reencrypt().items():
            self.stdout.write(f"{label}: re-encrypted {count} row(s).")
