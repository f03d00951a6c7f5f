from django.core.management.base import BaseCommand

from encryption.rotation import secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret (OAuth tokens, signing keys, webhook secrets) under "
        "the current ENCRYPTION_KEY; run it after rotating, before dropping the old key from "
        "ENCRYPTION_KEY_FALLBACKS."
    )

    def handle(self, *args, **options):
        for label, count in secrets_reencrypt().items():
            self.stdout.write(f"{label}: re-encrypted {count} row(s).")
