"""Index every PMTiles tileset of TILESETS_DIR and TILESETS_URL before the web nodes start.

Existing indexes are kept; the indexes of replaced versions are deleted.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiles.tileset_registry import tileset_registry


class Command(BaseCommand):
    help = "Build the directory index of every PMTiles tileset into TILES_INDEX_DIR."

    def handle(self, *args, **options):
        registry = tileset_registry()
        registry.scan()
        if not registry.store_available:
            raise CommandError(
                f"TILESETS_URL {settings.TILESETS_URL} could not be listed (see the log)"
            )
        registry.index_builds_join()
        pmtiles = [archive for archive in registry.all() if archive.path.suffix == ".pmtiles"]
        missing = [archive.info.name for archive in pmtiles if not archive.indexed]
        if missing:
            raise CommandError(f"No index could be built for: {', '.join(missing)} (see the log)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(pmtiles)} PMTiles tileset(s) indexed in {settings.TILES_INDEX_DIR}."
            )
        )
