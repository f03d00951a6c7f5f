"""Writing places: validating imported records and upserting them in batches."""

import json
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection, transaction
from h3.api import basic_int as h3_int

from places.cell_packs import cells_mark_stale, cells_repack
from places.import_formats import PlaceRecord
from places.models import (
    H3_COARSE_RESOLUTION,
    H3_FINE_RESOLUTION,
    PUBLIC_ID_SEPARATOR,
    Place,
    PlaceName,
)
from places.name_runs import names_changed
from places.prefix_packs import (
    prefixes_mark_stale,
    prefixes_mark_stale_bulk,
    prefixes_mark_stale_selected,
    prefixes_repack,
)
from places.text_match import text_normalize

BATCH_SIZE = 10_000
SOURCE_MAX_LENGTH = Place._meta.get_field("source").max_length
_TEXT_LIMITS = {
    name: Place._meta.get_field(name).max_length
    for name in ("external_id", "name", "category", "address", "city", "country")
}
# Column order of the rows that `place_row_build` returns and the writers insert.
COLUMNS = (
    "source",
    "external_id",
    "name",
    "search_name",
    "category",
    "categories",
    "lat",
    "lon",
    "h3_fine",
    "h3_coarse",
    "address",
    "city",
    "country",
    "importance",
    "import_run",
)
_KEY_COLUMNS = ("source", "external_id")
# Bound on the ids of one `IN (...)` query, under SQLite's parameter limit.
_KEYS_PER_QUERY = 900
# What the search packs hold of a place (places.cell_packs): a write that changes none of
# these leaves the packs as they are.
_PACKED_COLUMNS = ("h3_fine", "lat", "lon", "search_name")
_PACKED_CHANGE = " OR ".join(f"place.{name} <> row.{name}" for name in _PACKED_COLUMNS)
# What the completion packs hold of a place (places.prefix_packs).
_PREFIXED_COLUMNS = ("search_name", "h3_fine", "importance")
_PREFIXED_CHANGE = " OR ".join(f"place.{name} <> row.{name}" for name in _PREFIXED_COLUMNS)
# Properties read as a place's importance, first found wins.
IMPORTANCE_PROPERTIES = ("importance", "population")
_NAME_TABLE = PlaceName._meta.db_table


class InvalidPlaceError(ValueError):
    """A record that cannot be a place; the message says which field and why."""


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    removed: int = 0


def source_validate(source: str) -> str:
    """The source name, or InvalidPlaceError when it cannot be part of a public id."""
    if not source or PUBLIC_ID_SEPARATOR in source or len(source) > SOURCE_MAX_LENGTH:
        raise InvalidPlaceError(
            f"Source must be 1..{SOURCE_MAX_LENGTH} characters without {PUBLIC_ID_SEPARATOR!r}."
        )
    return source


def place_row_build(*, fields: dict, source: str, import_run: str) -> tuple:
    """The column values (`COLUMNS`) of a record's place; InvalidPlaceError names the bad field."""
    external_id = _text("external_id", fields.get("id"), required=True)
    name = _text("name", fields.get("name"), required=True)
    lat = _coordinate(fields.get("lat"), "lat", 90)
    lon = _coordinate(fields.get("lon"), "lon", 180)
    categories = _categories(fields.get("categories"))
    category = _text("category", fields.get("category"), required=False)
    if not category and categories:
        category = categories[0]
    if category and category not in categories:
        categories.insert(0, category)
    return (
        source,
        external_id,
        name,
        _search_name(name),
        category,
        json.dumps(categories, ensure_ascii=False),
        lat,
        lon,
        *_cells(lat, lon),
        _text("address", fields.get("address"), required=False),
        _text("city", fields.get("city"), required=False),
        _text("country", fields.get("country"), required=False),
        _importance(fields),
        import_run,
    )


def place_derived_fields_set(place: Place) -> None:
    """Set the columns computed from a place's name and position (for edits in the admin)."""
    place.search_name = _search_name(place.name)
    place.h3_fine, place.h3_coarse = _cells(place.lat, place.lon)


def place_changed(*, place: Place, cell_before: int | None, name_before: str | None = None) -> None:
    """Keep the search and completion packs right after `place` was saved or deleted (by
    the ORM)."""
    cells = {place.h3_fine} if cell_before is None else {place.h3_fine, cell_before}
    cells_mark_stale(cells)
    named = {(place.search_name, place.h3_fine)}
    if cell_before is not None and name_before is not None:
        named.add((name_before, cell_before))
    prefixes_mark_stale(named)
    names_add([place.search_name])
    # Rebuilt once the write is visible; until then readers take these cells' rows.
    transaction.on_commit(lambda: cells_repack(cells), robust=True)
    transaction.on_commit(lambda: prefixes_repack(names=named), robust=True)


def names_add(names: Iterable[str]) -> None:
    """Record the distinct names forward geocoding scores (those already known are kept)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_NAME_TABLE} (search_name) VALUES (%s) "  # noqa: S608 - name from the model
            "ON CONFLICT (search_name) DO NOTHING",
            [(name,) for name in sorted(set(names))],
        )
        # executemany's rowcount is the sum over the rows, on both databases' drivers.
        if cursor.rowcount > 0:
            names_changed()


def names_prune() -> int:
    """Forget the names no place has any more; how many."""
    table = connection.ops.quote_name(Place._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_NAME_TABLE} WHERE NOT EXISTS (SELECT 1 FROM {table} AS place "  # noqa: S608 - names from the models
            f"WHERE place.search_name = {_NAME_TABLE}.search_name)"
        )
        if cursor.rowcount > 0:
            names_changed()
        return cursor.rowcount


def places_import(
    *,
    records: Iterable[PlaceRecord],
    source: str,
    replace: bool = False,
    on_bad_record: Callable[[PlaceRecord, str], None] | None = None,
) -> ImportSummary:
    """Upsert the records' places by (source, id); with `replace`, drop the source's others."""
    source_validate(source)
    import_run = uuid.uuid4().hex
    summary = ImportSummary()
    existing_before = Place.objects.filter(source=source).count()
    batch: dict[str, tuple] = {}
    for record in records:
        summary.read += 1
        try:
            if record.error is not None:
                raise InvalidPlaceError(record.error)
            row = place_row_build(fields=record.fields, source=source, import_run=import_run)
        except InvalidPlaceError as exc:
            summary.skipped += 1
            if on_bad_record is not None:
                on_bad_record(record, str(exc))
            continue
        # A repeated id in one batch would make the upsert touch a row twice: last one wins.
        batch.pop(row[1], None)
        batch[row[1]] = row
        if len(batch) >= BATCH_SIZE:
            summary.imported += _upsert(source, list(batch.values()))
            batch.clear()
    if batch:
        summary.imported += _upsert(source, list(batch.values()))
    summary.created = Place.objects.filter(source=source).count() - existing_before
    summary.updated = summary.imported - summary.created
    if replace:
        summary.removed = _others_delete(source, import_run)
    names_prune()
    cells_repack()
    prefixes_repack()
    return summary


def _upsert(source: str, rows: list[tuple]) -> int:
    """Insert or update the rows, marking the cells they leave or enter; how many were written."""
    table = connection.ops.quote_name(Place._meta.db_table)
    columns = ", ".join(COLUMNS)
    updates = ", ".join(
        f"{column} = excluded.{column}" for column in COLUMNS if column not in _KEY_COLUMNS
    )
    conflict = f"ON CONFLICT ({', '.join(_KEY_COLUMNS)}) DO UPDATE SET {updates}"
    # Rows of one cell written together share heap pages: a search visits fewer of them.
    rows.sort(key=itemgetter(COLUMNS.index("h3_fine")))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a scratch table then one INSERT ... SELECT: an order of magnitude
            # faster than row inserts for the million-place imports this serves.
            scratch = f"SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - model names
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS place_import ON COMMIT DELETE ROWS AS "
                + scratch
            )
            # Commit empties it, but a caller's enclosing transaction may not have committed.
            cursor.execute("TRUNCATE place_import")
            with cursor.cursor.copy(f"COPY place_import ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # New places and those whose packed fields change, with the cells they leave.
            cursor.execute(
                f"SELECT row.h3_fine, place.h3_fine FROM place_import AS row LEFT JOIN {table} "  # noqa: S608 - names from the model
                "AS place ON place.source = row.source AND place.external_id = row.external_id "
                f"WHERE place.id IS NULL OR {_PACKED_CHANGE}"
            )
            cells_mark_stale(
                cell for pair in cursor.fetchall() for cell in pair if cell is not None
            )
            # The names and areas of new places and of those whose ranked fields change,
            # as they will be and as they were.
            changed = (
                f"FROM place_import AS row LEFT JOIN {table} AS place ON place.source = "
                "row.source AND place.external_id = row.external_id "
                f"WHERE (place.id IS NULL OR {_PREFIXED_CHANGE})"
            )
            prefixes_mark_stale_bulk(
                lambda: prefixes_mark_stale_selected(
                    f"SELECT row.search_name, row.h3_fine {changed} UNION ALL "
                    f"SELECT place.search_name, place.h3_fine {changed} AND place.id IS NOT NULL",
                    [],
                )
            )
            cursor.execute(
                f"INSERT INTO {_NAME_TABLE} (search_name) SELECT DISTINCT search_name "  # noqa: S608 - names from the models
                "FROM place_import ON CONFLICT (search_name) DO NOTHING"
            )
            if cursor.rowcount > 0:
                names_changed()
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM place_import {conflict}"  # noqa: S608 - names from the model
            )
            return cursor.rowcount
        else:
            cells, named = _cells_changing(source, rows)
            cells_mark_stale(cells)
            prefixes_mark_stale_bulk(lambda: prefixes_mark_stale(named))
            names_add(row[COLUMNS.index("search_name")] for row in rows)
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) {conflict}",  # noqa: S608 - names from the model
                rows,
            )
            return cursor.rowcount


def _others_delete(source: str, import_run: str) -> int:
    """Delete the source's places another import wrote, marking their cells; how many."""
    gone = Place.objects.filter(source=source).exclude(import_run=import_run)
    table = connection.ops.quote_name(Place._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cells_mark_stale(gone.values_list("h3_fine", flat=True).distinct())
        prefixes_mark_stale_bulk(
            lambda: prefixes_mark_stale_selected(
                f"SELECT search_name, h3_fine FROM {table} "  # noqa: S608 - names from the model
                "WHERE source = %s AND import_run <> %s",
                [source, import_run],
            )
        )
        # One statement, not the ORM's per-object delete with its signals (hundreds of
        # thousands of places on a replace): the cells are marked above.
        cursor.execute(
            f"DELETE FROM {table} WHERE source = %s AND import_run <> %s",  # noqa: S608 - names from the model
            [source, import_run],
        )
        return cursor.rowcount


def _cells_changing(source: str, rows: list[tuple]) -> tuple[set[int], set[tuple[str, int]]]:
    """The cells of new places and of places whose packed fields change, before and after;
    the (name, cell) pairs of those whose ranked fields change, before and after."""
    packed = [COLUMNS.index(name) for name in _PACKED_COLUMNS]
    prefixed = [COLUMNS.index(name) for name in _PREFIXED_COLUMNS]
    wanted = tuple(dict.fromkeys(_PACKED_COLUMNS + _PREFIXED_COLUMNS))
    before: dict[str, dict] = {}
    external_ids = [row[1] for row in rows]
    for start in range(0, len(external_ids), _KEYS_PER_QUERY):
        present = Place.objects.filter(
            source=source, external_id__in=external_ids[start : start + _KEYS_PER_QUERY]
        )
        before.update(
            (external_id, dict(zip(wanted, fields, strict=True)))
            for external_id, *fields in present.values_list("external_id", *wanted)
        )
    cells: set[int] = set()
    named: set[tuple[str, int]] = set()
    for row in rows:
        then = before.get(row[1])
        now = tuple(row[position] for position in packed)
        if then is None or tuple(then[name] for name in _PACKED_COLUMNS) != now:
            cells.add(now[0])
            if then is not None:
                cells.add(then["h3_fine"])
        ranked = tuple(row[position] for position in prefixed)
        if then is None or tuple(then[name] for name in _PREFIXED_COLUMNS) != ranked:
            named.add((ranked[0], ranked[1]))
            if then is not None:
                named.add((then["search_name"], then["h3_fine"]))
    return cells, named


def _search_name(name: str) -> str:
    return text_normalize(name)[: _TEXT_LIMITS["name"]]


def _cells(lat: float, lon: float) -> tuple[int, int]:
    fine = h3_int.latlng_to_cell(lat, lon, H3_FINE_RESOLUTION)
    return fine, h3_int.cell_to_parent(fine, H3_COARSE_RESOLUTION)


def _text(name: str, value, *, required: bool) -> str:
    label = "id" if name == "external_id" else name
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidPlaceError(f"{label} must be a string")
    text = str(value).strip()
    if required and not text:
        raise InvalidPlaceError(f"{label} is required")
    if len(text) > _TEXT_LIMITS[name]:
        raise InvalidPlaceError(f"{label} is longer than {_TEXT_LIMITS[name]} characters")
    return text


def _coordinate(value, label: str, bound: float) -> float:
    number = _float(value, label)
    if not math.isfinite(number) or not -bound <= number <= bound:
        raise InvalidPlaceError(f"{label} must be between -{bound} and {bound}")
    return number


def _categories(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidPlaceError("categories must be a list of strings or ';'-separated")
    categories: list[str] = []
    for item in value:
        item = item.strip()
        if len(item) > _TEXT_LIMITS["category"]:
            raise InvalidPlaceError(
                f"a category is longer than {_TEXT_LIMITS['category']} characters"
            )
        if item and item not in categories:
            categories.append(item)
    return categories


def _importance(fields: dict) -> float:
    for name in IMPORTANCE_PROPERTIES:
        value = fields.get(name)
        if value is None or value == "":
            continue
        number = _number(value, name)
        if number < 0:
            raise InvalidPlaceError(f"{name} must not be negative")
        return number
    return 0.0


def _float(value, label: str) -> float:
    """`value` as a float: a number or its text, never a boolean (JSON's true is no 1)."""
    if isinstance(value, bool):
        raise InvalidPlaceError(f"{label} must be a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidPlaceError(f"{label} must be a number") from None


def _number(value, label: str) -> float:
    number = _float(value, label)
    if not math.isfinite(number):
        raise InvalidPlaceError(f"{label} must be a finite number")
    return number
