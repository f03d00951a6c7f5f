from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiles.sample_builder import PLACES_NAME, TilesetBuildError, places_tileset_build


class Command(BaseCommand):
    help = "Build the sample tileset `places` (world populated places, zooms 0-14) in TILESETS_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the tileset exists."
        )
        parser.add_argument(
            "--directory", default=None, help="Where to write it (default: TILESETS_DIR)."
        )

    def handle(self, *args, if_missing: bool, directory: str | None, **options):
        target_dir = Path(directory or settings.TILESETS_DIR)
        target = target_dir / f"{PLACES_NAME}.pmtiles"
        if if_missing and target.exists():
            self.stdout.write(f"{target} exists, not rebuilt.")
            return
        self.stdout.write(f"Building {target} with tippecanoe (about half a minute)...")
        try:
            built = places_tileset_build(directory=target_dir)
        except TilesetBuildError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Built {built} ({built.stat().st_size} bytes)."))
