"""Streaming readers of place files: GeoJSON, GeoJSON lines and CSV, one record at a time."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson

CSV_COLUMNS = (
    "id",
    "name",
    "lat",
    "lon",
    "category",
    "categories",
    "address",
    "city",
    "country",
    "importance",
    "population",
)
GEOJSON_SUFFIXES = (".geojson", ".json")
GEOJSON_LINES_SUFFIXES = (".geojsonl", ".ndjson", ".jsonl")
CSV_SUFFIXES = (".csv",)


class PlaceFileError(Exception):
    """The file cannot be read any further (unknown format, broken JSON structure)."""


@dataclass(frozen=True)
class PlaceRecord:
    """One row of a file: its position (`line 12`, `feature 3`), and fields or an error."""

    position: str
    fields: dict | None = None
    error: str | None = None


def place_records_read(path: Path) -> Iterator[PlaceRecord]:
    """The records of a place file, read as they come; the format follows the suffix."""
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return _feature_collection_records(path)
    if suffix in GEOJSON_LINES_SUFFIXES:
        return _feature_lines_records(path)
    if suffix in CSV_SUFFIXES:
        return _csv_records(path)
    known = ", ".join(GEOJSON_SUFFIXES + GEOJSON_LINES_SUFFIXES + CSV_SUFFIXES)
    raise PlaceFileError(f"Unknown place file type {suffix!r}; use one of {known}.")


def _feature_collection_records(path: Path) -> Iterator[PlaceRecord]:
    # ijson does not tell lines, so a bad feature is named by its number in `features`.
    with path.open("rb") as stream:
        features = ijson.items(stream, "features.item", use_float=True)
        number = 0
        try:
            for number, feature in enumerate(features, start=1):
                yield _feature_record(f"feature {number}", feature)
        except ijson.JSONError as exc:
            raise PlaceFileError(f"Invalid JSON after feature {number}: {exc}") from exc


def _feature_lines_records(path: Path) -> Iterator[PlaceRecord]:
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                feature = json.loads(line)
            except ValueError as exc:
                yield PlaceRecord(f"line {number}", error=f"invalid JSON ({exc})")
                continue
            yield _feature_record(f"line {number}", feature)


def _feature_record(position: str, feature) -> PlaceRecord:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return PlaceRecord(position, error="not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return PlaceRecord(position, error="geometry is not a Point")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return PlaceRecord(position, error="Point coordinates are not [lon, lat]")
    properties = feature.get("properties")
    fields = dict(properties) if isinstance(properties, dict) else {}
    if fields.get("id") in (None, "") and feature.get("id") is not None:
        fields["id"] = feature["id"]
    fields["lon"], fields["lat"] = coordinates[0], coordinates[1]
    return PlaceRecord(position, fields=fields)


def _csv_records(path: Path) -> Iterator[PlaceRecord]:
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(stream)
        missing = [
            column
            for column in ("id", "name", "lat", "lon")
            if column not in (reader.fieldnames or [])
        ]
        if missing:
            raise PlaceFileError(
                f"CSV header lacks {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}."
            )
        for row in reader:
            fields = {key: value for key, value in row.items() if key in CSV_COLUMNS}
            if isinstance(fields.get("categories"), str):
                fields["categories"] = [
                    part.strip() for part in fields["categories"].split(";") if part.strip()
                ]
            yield PlaceRecord(f"line {reader.line_num}", fields=fields)
