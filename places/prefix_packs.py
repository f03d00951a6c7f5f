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

A large import would mark most packs stale one by one, batch after batch, only for the
repack to rebuild them all anyway. So once enough packs are stale for that
(`_REBUILD_ALL_STALE`), writers of many places mark every pack stale at once instead: the
stale pack of the empty prefix (`_EVERY_PACK`), one row, which every name starts with. While
it is there, readers take every prefix's top from `Place` rows, and the next repack rebuilds
all packs. That full rebuild reads the places once and ranks them with numpy (one sort per
prefix length), the same code on PostgreSQL and SQLite.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from places.geometry import H3_RESOLUTION_BITS, descendants_range, h3_digits_mask
from places.models import H3_FINE_RESOLUTION, PREFIX_MAX, Place, PlacePrefix
from places.sql_arrays import integer_array, text_array

AREA_RESOLUTION = 3
WORLD = 0
# Places kept per prefix and area: the largest page of completions.
PACK_SIZE = 20
# Beyond this many stale packs, rebuilding all of them from the places table in one pass
# costs less than one query per pack.
_REBUILD_ALL_STALE = 2_000
_PACKS_PER_TRANSACTION = 500
# The (prefix, area) whose stale pack marks every pack stale (see above).
_EVERY_PACK = ("", WORLD)
# The highest code point: every name starting with a prefix sorts below prefix + this.
_LAST_CHARACTER = "\U0010ffff"

# An area is its fine cells' parent: in H3's integer layout (places.geometry) a fine cell's
# area is a bit mask away, in SQL as in numpy, and an area's fine cells are one range.
_DIGITS_BELOW_AREA = h3_digits_mask(AREA_RESOLUTION + 1, 15)
_AREA_KEEP = ~(H3_RESOLUTION_BITS | _DIGITS_BELOW_AREA) & ((1 << 63) - 1)
_AREA_SET = (AREA_RESOLUTION << 52) | _DIGITS_BELOW_AREA

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


def prefixes_mark_stale_bulk(mark: Callable[[], None]) -> None:
    """Mark stale the packs a write of many places touches: by calling `mark`, which marks
    them one by one, until enough packs are stale for the next repack to rebuild them all;
    from then on by marking every pack stale at once (`_EVERY_PACK`)."""
    if _every_pack_stale(hold=True):
        return
    mark()
    if _stale_many():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_PREFIX_TABLE} (key, area, stale, ids, importances) "  # noqa: S608 - name from the model
                "VALUES (%s, %s, TRUE, '', '') ON CONFLICT (key, area) DO NOTHING",
                _EVERY_PACK,
            )


def _every_pack_stale(*, hold: bool = False) -> bool:
    """Whether every pack is marked stale at once. With `hold`, on PostgreSQL, the mark is
    kept until this transaction ends: a full rebuild (which locks the table) waits for the
    places written with it, instead of removing it before they are visible."""
    lock = " FOR SHARE" if hold and connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_PREFIX_TABLE} WHERE key = %s AND area = %s AND stale{lock}",  # noqa: S608 - name from the model
            _EVERY_PACK,
        )
        return cursor.fetchone() is not None


def _stale_many() -> bool:
    """Whether so many packs are stale that rebuilding them all at once costs less."""
    stale = PlacePrefix.objects.filter(stale=True)
    return stale[:_REBUILD_ALL_STALE].count() >= _REBUILD_ALL_STALE


def prefixes_repack(names: Iterable[tuple[str, int]] | None = None) -> int:
    """Rebuild the stale prefix packs (only those of these (search name, fine cell) pairs,
    when given); how many were rebuilt."""
    stale = PlacePrefix.objects.filter(stale=True).exclude(key=_EVERY_PACK[0])
    if names is None:
        if _every_pack_stale() or _stale_many():
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
                packs = _packs_read_rows(key, [area])
                if packs:
                    PlacePrefix.objects.filter(pk=pk).update(
                        stale=False,
                        ids=_joined(packs[0].pks),
                        importances=_joined(packs[0].importances),
                    )
                else:
                    gone.append(pk)
            PlacePrefix.objects.filter(pk__in=gone).delete()
            rebuilt += len(batch)


def prefix_packs(
    keys: list[str], areas: list[int], *, variants: list[str] | None = None
) -> list[PrefixPack]:
    """The packs of these prefixes in these areas (those that hold places), and of those of
    the `variants` that start the name of some place (which `prefixes_present` tells).

    On PostgreSQL that is one statement: which variants are present is a subquery, and the
    prefixes go as array literals (psycopg would quote the hundreds of typo variants of a
    query one by one). SQLite asks which are present first.
    """
    if variants and connection.vendor != "postgresql":
        keys, variants = [*keys, *prefixes_present(variants)], None
    if not keys or not areas:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The present variants as an array, not a join: PostgreSQL then reads every
            # (prefix, area) pair from the unique index, where a join's estimate of the
            # variants found would have it scan the whole table.
            cursor.execute(
                f"SELECT key, area, stale, ids, importances FROM {_PREFIX_TABLE} "  # noqa: S608 - names from the model, integers
                "WHERE key = ANY(%s::text[] || ARRAY(SELECT key FROM "
                f"{_PREFIX_TABLE} WHERE area = {WORLD} AND key = ANY(%s::text[]))) "
                "AND area = ANY(%s::int8[]) OR key = %s AND area = %s",
                [
                    text_array(keys),
                    text_array(variants or []),
                    integer_array(areas),
                    *_EVERY_PACK,
                ],
            )
        else:
            key_list = ", ".join(["%s"] * len(keys))
            area_list = ", ".join(str(int(area)) for area in areas)
            cursor.execute(
                f"SELECT key, area, stale, ids, importances FROM {_PREFIX_TABLE} "  # noqa: S608 - names from the model, integers
                f"WHERE key IN ({key_list}) AND area IN ({area_list}) OR key = %s AND area = %s",
                [*keys, *_EVERY_PACK],
            )
        rows = cursor.fetchall()
    if any((key, area) == _EVERY_PACK for key, area, *_ in rows):
        if variants:
            keys = [*keys, *prefixes_present(variants)]
        return [pack for key in keys for pack in _packs_read_rows(key, areas)]
    packs = []
    stale: dict[str, list[int]] = {}
    for key, area, is_stale, ids, importances in rows:
        if is_stale:
            stale.setdefault(key, []).append(area)
            continue
        pks = np.array(ids.split(","), dtype=np.int64)
        values = np.array(importances.split(","), dtype=np.float64)
        packs.append(PrefixPack(key=key, area=area, pks=pks, importances=values))
    for key, stale_areas in stale.items():
        packs += _packs_read_rows(key, stale_areas)
    return packs


def prefixes_present(keys: list[str]) -> list[str]:
    """Which of these prefixes start the name of some place."""
    if not keys:
        return []
    # With the empty prefix, whose pack is only ever the mark that every pack is stale.
    wanted = [*keys, _EVERY_PACK[0]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array literal: an IN list of the ~500 typo variants of a query costs more
            # to send and plan than to look up, and a list parameter to quote.
            cursor.execute(
                f"SELECT key FROM {_PREFIX_TABLE} WHERE area = {WORLD} AND key = ANY(%s::text[])",  # noqa: S608 - names from the model
                [text_array(wanted)],
            )
        else:
            cursor.execute(
                f"SELECT key FROM {_PREFIX_TABLE} WHERE area = {WORLD} "  # noqa: S608 - names from the model
                f"AND key IN ({', '.join(['%s'] * len(wanted))})",
                wanted,
            )
        present = [row[0] for row in cursor.fetchall()]
    if _EVERY_PACK[0] in present:
        return [key for key in keys if _packs_read_rows(key, [WORLD])]
    return present


def _packs_read_rows(key: str, areas: list[int]) -> list[PrefixPack]:
    """The packs of the prefix in these areas, read from the places (those that hold any)."""
    condition, params = prefix_condition(key)
    ranges = [descendants_range(area, H3_FINE_RESOLUTION) for area in areas if area != WORLD]
    rows = []
    with connection.cursor() as cursor:
        if WORLD in areas:
            cursor.execute(
                f"SELECT {WORLD}, id, importance FROM {_PLACE_TABLE} WHERE {condition} "  # noqa: S608 - names from the model, integers
                f"ORDER BY importance DESC, id LIMIT {PACK_SIZE}",
                params,
            )
            rows += cursor.fetchall()
        if ranges:
            within = " OR ".join(["h3_fine BETWEEN %s AND %s"] * len(ranges))
            area = area_sql("h3_fine")
            ranked = (
                f"SELECT {area} AS area, id, importance, row_number() OVER "  # noqa: S608 - names from the model, integers
                f"(PARTITION BY {area} ORDER BY importance DESC, id) AS rank "
                f"FROM {_PLACE_TABLE} WHERE {condition} AND ({within})"
            )
            cursor.execute(
                f"SELECT area, id, importance FROM ({ranked}) AS ranked "  # noqa: S608 - names from the model, integers
                f"WHERE rank <= {PACK_SIZE} ORDER BY area, rank",
                params + [bound for pair in ranges for bound in pair],
            )
            rows += cursor.fetchall()
    packs = []
    for area, group in groupby(rows, key=itemgetter(0)):
        members = list(group)
        pks = np.array([member[1] for member in members], dtype=np.int64)
        importances = np.array([member[2] for member in members], dtype=np.float64)
        packs.append(PrefixPack(key=key, area=area, pks=pks, importances=importances))
    return packs


def _packs_rebuild_all() -> int:
    """Every pack again from the places table; how many."""
    table = connection.ops.quote_name(_PREFIX_TABLE)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait to mark packs until this commits, so none of their marks is lost.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT id, substr(search_name, 1, {PREFIX_MAX}), importance, h3_fine "  # noqa: S608 - names from the model, integers
            f"FROM {_PLACE_TABLE}"
        )
        # In key order, the unique index is written page by page rather than all over.
        packs = sorted(_packs_ranked(cursor.fetchall()))
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - name from the model
        columns = "key, area, stale, ids, importances"
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for pack in packs:
                    copy.write_row(pack)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608 - name from the model
                packs,
            )
    return len(packs)


def _packs_ranked(places: list[tuple]) -> list[tuple[str, int, bool, str, str]]:
    """The packs (key, area, stale, ids, importances) of places given as (id, first
    `PREFIX_MAX` characters of the name, importance, fine cell).

    The places are put best first once. Then for each prefix length, in the world and in
    the areas, a stable sort by pack keeps that order within each pack, whose first
    `PACK_SIZE` places are its top. Prefixes are numbered along the names sorted once, where
    the names sharing a prefix are neighbours.
    """
    if not places:
        return []
    count = len(places)
    id_column, name_column, importance_column, cell_column = zip(*places, strict=True)
    ids = np.array(id_column, dtype=np.int64)
    importances = np.array(importance_column, dtype=np.float64)
    best_first = np.lexsort((ids, -importances))
    ids, importances = ids[best_first], importances[best_first]
    names = np.array(name_column, dtype=f"<U{PREFIX_MAX}")[best_first]
    areas = areas_of(np.array(cell_column, dtype=np.int64))[best_first]
    area_list, area_numbers = np.unique(areas, return_inverse=True)
    id_texts = np.array(list(map(str, ids.tolist())), dtype=object)
    importance_texts = np.array(list(map(repr, importances.tolist())), dtype=object)
    by_name = np.argsort(names, kind="stable")
    name_lengths = np.char.str_len(names)
    packs = []
    for length in range(1, PREFIX_MAX + 1):
        keys = names.astype(f"<U{length}")
        key_numbers = np.empty(count, dtype=np.int64)
        key_numbers[by_name] = np.cumsum(_starts(keys[by_name]))
        members = np.flatnonzero(name_lengths >= length)
        for in_areas in (False, True):
            pack_numbers = key_numbers[members]
            if in_areas:
                pack_numbers = pack_numbers * area_list.size + area_numbers[members]
            top, bounds = _tops(members, pack_numbers)
            heads = top[bounds[:-1]]
            packs += zip(
                keys[heads].tolist(),
                areas[heads].tolist() if in_areas else [WORLD] * heads.size,
                [False] * heads.size,
                _texts_joined(id_texts[top], bounds),
                _texts_joined(importance_texts[top], bounds),
                strict=True,
            )
    return packs


def _tops(members: np.ndarray, pack_numbers: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The first `PACK_SIZE` members of each pack, pack by pack in their order, and where
    each pack starts among them (then their count)."""
    order = np.argsort(pack_numbers, kind="stable")
    first = np.flatnonzero(_starts(pack_numbers[order]))
    rank = np.arange(order.size) - np.repeat(first, np.diff(np.append(first, order.size)))
    kept = rank < PACK_SIZE
    return members[order[kept]], [*np.flatnonzero(rank[kept] == 0).tolist(), int(kept.sum())]


def _texts_joined(texts: np.ndarray, bounds: list[int]) -> list[str]:
    """The texts of each pack (the packs start at `bounds`) joined by commas, in one join."""
    separators = np.full(texts.size, ",", dtype=object)
    separators[np.array(bounds[1:], dtype=np.int64) - 1] = "\n"
    tokens = np.empty(2 * texts.size, dtype=object)
    tokens[0::2], tokens[1::2] = texts, separators
    return "".join(tokens.tolist()).split("\n")[:-1]


def _starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts."""
    starts = np.ones(values.size, dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def _joined(values: np.ndarray) -> str:
    return ",".join(map(repr, values.tolist()))
