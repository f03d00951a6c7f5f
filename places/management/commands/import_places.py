import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from places.import_formats import PlaceFileError, PlaceRecord, place_records_read
from places.services import InvalidPlaceError, places_import, source_validate

DEFAULT_SOURCE = "default"


class Command(BaseCommand):
    help = (
        "Import places from GeoJSON (.geojson, .json), GeoJSON lines (.geojsonl, .ndjson, "
        ".jsonl) or CSV, upserting by (source, id). Bad rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            help=f"Source name, the prefix of the places' ids (default: {DEFAULT_SOURCE}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the source's places that are not in this file.",
        )

    def handle(self, *args, path: Path, source: str, replace: bool, **options):
        try:
            source_validate(source)
        except InvalidPlaceError as exc:
            raise CommandError(str(exc)) from exc
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.monotonic()
        try:
            records = place_records_read(path)
            with tqdm(
                records,
                unit=" rows",
                desc=path.name,
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            ) as progress:
                summary = places_import(
                    records=progress, source=source, replace=replace, on_bad_record=self._report
                )
        except PlaceFileError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        lines = [
            f"{summary.read} rows read in {seconds:.1f} s: {summary.imported} places imported "
            f"into source {source!r} ({summary.created} new, {summary.updated} updated), "
            f"{summary.skipped} bad rows skipped"
        ]
        if replace:
            lines.append(f"{summary.removed} places no longer in the file removed")
        self.stdout.write(self.style.SUCCESS("; ".join(lines) + "."))

    def _report(self, record: PlaceRecord, message: str) -> None:
        self.stderr.write(f"{record.position}: {message}; skipped")
