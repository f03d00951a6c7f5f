from django.core.management.base import BaseCommand

from accounts.services import signing_key_rotate


class Command(BaseCommand):
    help = "Add a new active Geog signing key; older public keys stay published in the JWKS."

    def handle(self, *args, **options):
        signing_key = signing_key_rotate()
        self.stdout.write(signing_key.kid)
