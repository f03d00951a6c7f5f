"""Completion candidates packed per name prefix and area: the index behind autocomplete.

Completing "pa" over a million places cannot read every name starting with "pa". What a
completion needs of them is only the few that can rank first, and the ranking
(places.completion) is built so that those are known in advance: among places of the same
area whose names start with the same prefix, the more important one always ranks higher.
So one `PlacePrefix` row per (prefix, area) holding that prefix's `PACK_SIZE` most important
places of the area, and one per prefix for the whole world (area 0), hold every place that
can be on a page of at most `PACK_SIZE` results. Prefixes have 1..`PREFIX_MAX` characters;
areas are H3 cells of `AREA_RESOLUTION` (about 12,000 km²).

The rule that keeps packs right is the one of places.cell_packs: every (prefix, area) holding
a place has a row, and a row that is not `stale` holds exactly the top of its places.
Whatever writes places marks the prefixes of the names and areas it touches stale in the
same transaction; `prefixes_repack` rebuilds them afterwards, one by one when they are few,
all at once from the places table after a large import. Readers take a stale prefix's top
from `Place` rows, so a completion is right whether or not a repack has run yet.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from places.models import H3_FINE_RESOLUTION, PREFIX_MAX, Place, PlacePrefix

AREA_RESOLUTION = 3
WORLD = 0
# Places kept per prefix and area: the largest page of completions.
PACK_SIZE = 20
# Beyond this many stale packs, rebuilding all of them from the places table in one pass
# costs less than one query per pack.
_REBUILD_ALL_STALE = 2_000
_PACKS_PER_TRANSACTION = 500
# The highest code point: every name starting with a prefix sorts below prefix + this.
_LAST_CHARACTER = "\U0010ffff"

# H3 integer layout: resolution in bits 52..55, then 3 bits per resolution digit, digit 1
# at bits 42..44; digits finer than the cell's resolution are all ones (7). An area is
# its fine cells' parent, so a fine cell's area is a bit mask away, in SQL as in numpy, and
# an area's fine cells are one integer range.
_RESOLUTION_BITS = 0xF << 52
_DIGITS_BELOW_AREA = (1 << (3 * (15 - AREA_RESOLUTION))) - 1
_AREA_KEEP = ~(_RESOLUTION_BITS | _DIGITS_BELOW_AREA) & ((1 << 63) - 1)
_AREA_SET = (AREA_RESOLUTION << 52) | _DIGITS_BELOW_AREA
_FINE_LOW = (H3_FINE_RESOLUTION << 52) | ((1 << (3 * (15 - H3_FINE_RESOLUTION))) - 1)
_FINE_HIGH = _FINE_LOW | sum(
    6 << (3 * (15 - digit)) for digit in range(AREA_RESOLUTION + 1, H3_FINE_RESOLUTION + 1)
)

_PREFIX_TABLE = PlacePrefix._meta.db_table
_PLACE_TABLE = Place._meta.db_table


@dataclass(frozen=True)
class PrefixPack:
    key: str
    area: int
    pks: np.ndarray
    importances: np.ndarray


def area_sql(column: str) -> str:
    """SQL of the area of the fine cell in `column`."""
    return f"(({column} & {_AREA_KEEP}) | {_AREA_SET})"


def areas_of(cells: np.ndarray) -> np.ndarray:
    """The areas of fine cells."""
    return (cells & np.int64(_AREA_KEEP)) | np.int64(_AREA_SET)


def area_fine_range(area: int) -> tuple[int, int]:
    """The smallest and largest fine cell of an area (every fine cell between is in it)."""
    base = area & _AREA_KEEP
    return base | _FINE_LOW, base | _FINE_HIGH


def prefix_condition(key: str, column: str = "search_name") -> tuple[str, list]:
    """SQL (and parameters) true when `column` starts with `key`, served by its index."""
    if connection.vendor == "postgresql":
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{column} LIKE %s", [escaped + "%"]
    # SQLite's LIKE ignores the index (and case); a range on the binary order does not.
    return f"{column} >= %s AND {column} < %s", [key, key + _LAST_CHARACTER]


def prefix_keys(names: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (prefix, area) packs that places of these (search name, fine cell) pairs are in."""
    keys = set()
    for name, cell in names:
        area = int(areas_of(np.int64(cell)))
        for length in range(1, min(len(name), PREFIX_MAX) + 1):
            keys.add((name[:length], WORLD))
            keys.add((name[:length], area))
    return keys


def prefixes_mark_stale(names: Iterable[tuple[str, int]]) -> None:
    """Mark stale the prefixes of these (search name, fine cell) pairs, for both their area
    and the world (creating the packs new to places)."""
    ordered = sorted(prefix_keys(names))
    if not ordered:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {_PREFIX_TABLE} (key, area, stale, ids, importances) "  # noqa: S608 - names from the model
                "SELECT key, area, TRUE, '', '' FROM unnest(%s::text[], %s::bigint[]) "
                f"AS marked(key, area) {_ON_CONFLICT_STALE}",
                [[key for key, _ in ordered], [area for _, area in ordered]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {_PREFIX_TABLE} (key, area, stale, ids, importances) "  # noqa: S608 - names from the model
                f"VALUES (%s, %s, TRUE, '', '') {_ON_CONFLICT_STALE}",
                ordered,
            )


def prefixes_mark_stale_selected(select: str, params: list) -> None:
    """Mark stale the prefixes of the (search_name, h3_fine) rows of the SQL `select`."""
    lengths = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, PREFIX_MAX + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_PREFIX_TABLE} (key, area, stale, ids, importances) "  # noqa: S608 - names from the model
            "SELECT key, area, TRUE, '', '' FROM ("
            "SELECT DISTINCT substr(names.search_name, 1, lengths.n) AS key, "
            f"CASE WHEN levels.world = 1 THEN {WORLD} ELSE {area_sql('names.h3_fine')} END "
            "AS area "
            f"FROM ({select}) AS names "
            f"JOIN ({lengths}) AS lengths ON lengths.n <= length(names.search_name) "
            "CROSS JOIN (SELECT 0 AS world UNION ALL SELECT 1) AS levels"
            f") AS marked WHERE TRUE ORDER BY key, area {_ON_CONFLICT_STALE}",
            params,
        )


_ON_CONFLICT_STALE = (
    "ON CONFLICT (key, area) DO UPDATE SET stale = TRUE, ids = '', importances = '' "
    f"WHERE NOT {_PREFIX_TABLE}.stale"
)


def prefixes_repack(names: Iterable[tuple[str, int]] | None = None) -> int:
    """Rebuild the stale prefix packs (only those of these (search name, fine cell) pairs,
    when given); how many were rebuilt."""
    stale = PlacePrefix.objects.filter(stale=True)
    if names is None:
        if stale[:_REBUILD_ALL_STALE].count() >= _REBUILD_ALL_STALE:
            return _packs_rebuild_all()
        return _packs_rebuild(stale)
    keys = prefix_keys(names)
    query = Q()
    for key, area in keys:
        query |= Q(key=key, area=area)
    return _packs_rebuild(stale.filter(query)) if keys else 0


def _packs_rebuild(stale) -> int:
    """Rebuild the packs of the `stale` query one by one; how many."""
    rebuilt = 0
    while True:
        with transaction.atomic():
            batch = list(
                stale.order_by("key", "area")
                .select_for_update(skip_locked=True)
                .values_list("pk", "key", "area")[:_PACKS_PER_TRANSACTION]
            )
            if not batch:
                return rebuilt
            gone = []
            for pk, key, area in batch:
                pks, importances = _pack_read_rows(key, area)
                if pks.size:
                    PlacePrefix.objects.filter(pk=pk).update(
                        stale=False, ids=_joined(pks), importances=_joined(importances)
                    )
                else:
                    gone.append(pk)
            PlacePrefix.objects.filter(pk__in=gone).delete()
            rebuilt += len(batch)


def prefix_packs(keys: list[str], areas: list[int]) -> list[PrefixPack]:
    """The packs of these prefixes in these areas (those that hold places)."""
    if not keys or not areas:
        return []
    key_list = ", ".join(["%s"] * len(keys))
    area_list = ", ".join(str(int(area)) for area in areas)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT key, area, stale, ids, importances FROM {_PREFIX_TABLE} "  # noqa: S608 - names from the model, integers
            f"WHERE key IN ({key_list}) AND area IN ({area_list})",
            keys,
        )
        rows = cursor.fetchall()
    packs = []
    for key, area, stale, ids, importances in rows:
        if stale:
            pks, values = _pack_read_rows(key, area)
        else:
            pks = np.array(ids.split(","), dtype=np.int64)
            values = np.array(importances.split(","), dtype=np.float64)
        packs.append(PrefixPack(key=key, area=area, pks=pks, importances=values))
    return packs


def prefixes_present(keys: list[str]) -> list[str]:
    """Which of these prefixes start the name of some place."""
    if not keys:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: an IN list of the ~500 typo variants of a query costs more
            # to send and plan than to look up.
            cursor.execute(
                f"SELECT key FROM {_PREFIX_TABLE} WHERE area = {WORLD} AND key = ANY(%s)",  # noqa: S608 - names from the model
                [keys],
            )
        else:
            cursor.execute(
                f"SELECT key FROM {_PREFIX_TABLE} WHERE area = {WORLD} "  # noqa: S608 - names from the model
                f"AND key IN ({', '.join(['%s'] * len(keys))})",
                keys,
            )
        return [row[0] for row in cursor.fetchall()]


def _pack_read_rows(key: str, area: int) -> tuple[np.ndarray, np.ndarray]:
    """The top of the prefix in the area, read from the places."""
    condition, params = prefix_condition(key)
    if area != WORLD:
        condition += " AND h3_fine BETWEEN %s AND %s"
        params += list(area_fine_range(area))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, importance FROM {_PLACE_TABLE} WHERE {condition} "  # noqa: S608 - names from the model
            f"ORDER BY importance DESC, id LIMIT {PACK_SIZE}",
            params,
        )
        rows = cursor.fetchall()
    return (
        np.array([row[0] for row in rows], dtype=np.int64),
        np.array([row[1] for row in rows], dtype=np.float64),
    )


def _packs_rebuild_all() -> int:
    """Every pack again from the places table, one prefix length at a time; how many."""
    table = connection.ops.quote_name(_PREFIX_TABLE)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait to mark packs until this commits, so none of their marks is lost.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - name from the model
        for length in range(1, PREFIX_MAX + 1):
            ranked = _ranked_sql(length)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} (key, area, stale, ids, importances) "  # noqa: S608 - names from the models
                    "SELECT key, area, FALSE, string_agg(id::text, ',' ORDER BY rank), "
                    "string_agg(importance::text, ',' ORDER BY rank) "
                    f"FROM ({ranked}) AS top WHERE rank <= {PACK_SIZE} GROUP BY key, area"
                )
                written += cursor.rowcount
                continue
            cursor.execute(
                f"SELECT key, area, id, importance FROM ({ranked}) AS top "  # noqa: S608 - names from the models
                f"WHERE rank <= {PACK_SIZE} ORDER BY key, area, rank"
            )
            packs = []
            for (key, area), group in groupby(cursor.fetchall(), key=itemgetter(0, 1)):
                members = list(group)
                packs.append(
                    (
                        key,
                        area,
                        ",".join(str(member[2]) for member in members),
                        ",".join(repr(float(member[3])) for member in members),
                    )
                )
            cursor.executemany(
                f"INSERT INTO {table} (key, area, stale, ids, importances) "  # noqa: S608 - name from the model
                "VALUES (%s, %s, FALSE, %s, %s)",
                packs,
            )
            written += len(packs)
    return written


def _ranked_sql(length: int) -> str:
    """SQL of every place's rank in the packs of its name's prefix of `length` characters."""
    expanded = " UNION ALL ".join(
        f"SELECT substr(search_name, 1, {length}) AS key, {area} AS area, id, importance "  # noqa: S608 - names from the models, integers
        f"FROM {_PLACE_TABLE} WHERE length(search_name) >= {length}"
        for area in (str(WORLD), area_sql("h3_fine"))
    )
    rank = "row_number() OVER (PARTITION BY key, area ORDER BY importance DESC, id) AS rank"
    return f"SELECT key, area, id, importance, {rank} FROM ({expanded}) AS expanded"  # noqa: S608 - names from the models, integers


def _joined(values: np.ndarray) -> str:
    return ",".join(map(repr, values.tolist()))
