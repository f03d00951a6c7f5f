from django.core.management.base import BaseCommand

from accounts.usage_flush import usage_flush


class Command(BaseCommand):
    help = "Write the Geog usage counted so far to the database (what the periodic task does)."

    def handle(self, *args, **options) -> None:
        written = usage_flush()
        self.stdout.write(f"{written} batch(es) of usage written.")
