"""Rebuild the packs an upgrade or an interrupted import left stale.

The Procfile's release step runs it, so a new version serves from fresh packs.
"""

from django.core.management.base import BaseCommand

from places.cell_packs import cells_repack
from places.prefix_packs import prefixes_repack


class Command(BaseCommand):
    help = "Rebuild the stale search and completion packs of places."

    def handle(self, *args, **options):
        rebuilt = cells_repack()
        self.stdout.write(f"{rebuilt} place cells packed.")
        prefixes = prefixes_repack()
        self.stdout.write(f"{prefixes} place name prefixes packed.")
