"""Search candidates packed per fine H3 cell: one row read per cell, not one per place.

A text search in a city reads thousands of candidate places. Read row by row that is
thousands of index and heap visits in the database and of rows decoded here; read as one
`PlaceCell` per cell (ids and coordinates as arrays, names joined by newlines, which a
normalized name never holds) it is about a hundred of each.

The rule that keeps packs right: every cell holding a place has a `PlaceCell`, and a pack
that is not `stale` holds exactly its cell's places. Whatever writes places marks the cells
it touches stale in the same transaction (`cells_mark_stale`); `cells_repack` rebuilds
stale packs afterwards. Readers take fresh packs and read the places of stale cells row by
row, so a search is right whether or not a repack has run yet: an import that dies half-way
leaves slow cells, never wrong ones.
"""

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

import numpy as np
from django.db import connection, transaction

from places.cell_rows import (
    CELLS_PER_QUERY,
    cell_rows,
    cell_rows_mark_stale,
    cells_counted,
    stale_cells_claim,
)
from places.coarse_counts import coarse_counts_mark_stale, coarse_counts_rebuild
from places.geometry import FINE_COLUMN
from places.models import Place, PlaceCell

# Network byte order, as PostgreSQL's int8send and float8send write them.
_IDS = np.dtype(">i8")
_COORDINATES = np.dtype(">f8")
NAME_SEPARATOR = "\n"
_PACK_COLUMNS = "cell, stale, count, ids, lats, lons, search_names"
# Packs rebuilt per transaction on PostgreSQL, where the database packs them (on SQLite,
# as many as one query may name).
_REPACK_CELLS = 20_000


def cells_mark_stale(cells: Iterable[int]) -> None:
    """Mark the packs of these cells stale (creating them for cells new to places), and the
    counts of the coarse cells they lie in (places.coarse_counts)."""
    # In cell order, so that concurrent writers lock packs in the same order.
    cells = sorted(set(cells))
    coarse_counts_mark_stale(cells)
    table = connection.ops.quote_name(PlaceCell._meta.db_table)
    empty = "''" if connection.vendor == "postgresql" else "X''"
    stale = f"TRUE, 0, {empty}, {empty}, {empty}, ''"
    # A stale pack is never read: it is emptied too, so that marking writes a small row, and
    # a pack already stale is left as it is.
    on_conflict = (
        f"ON CONFLICT (cell) DO UPDATE SET stale = TRUE, count = 0, ids = {empty}, "
        f"lats = {empty}, lons = {empty}, search_names = '' WHERE NOT {table}.stale"
    )
    cell_rows_mark_stale(
        table=table, columns=_PACK_COLUMNS, stale=stale, cells=cells, on_conflict=on_conflict
    )


def cells_repack(cells: Iterable[int] | None = None) -> int:
    """Rebuild the stale packs (of `cells` only, when given); how many were rebuilt.

    Packs another repack holds are left to it; a cell whose places are all gone loses its
    pack.
    """
    stale = PlaceCell.objects.filter(stale=True)
    if cells is None:
        rebuilt = 0
        while batch := _repack_batch(stale):
            rebuilt += batch
        coarse_counts_rebuild()
        return rebuilt
    wanted = sorted(set(cells))
    rebuilt = sum(
        _repack_batch(stale.filter(cell__in=wanted[start : start + CELLS_PER_QUERY]))
        for start in range(0, len(wanted), CELLS_PER_QUERY)
    )
    coarse_counts_rebuild(wanted)
    return rebuilt


def cell_candidates(cells: list[int], *, names: bool) -> dict:
    """Every place in the fine cells, in no particular order: arrays `pk`, `lat`, `lon` and,
    with `names`, the list `search_name`."""
    select = "cell, stale, ids, lats, lons" + (", search_names" if names else "")
    packs = cell_rows(select=select, table=PlaceCell._meta.db_table, column="cell", cells=cells)
    fresh = [pack for pack in packs if not pack[1]]
    found = {
        "pk": _joined(fresh, 2, _IDS),
        "lat": _joined(fresh, 3, _COORDINATES),
        "lon": _joined(fresh, 4, _COORDINATES),
    }
    if names:
        found["search_name"] = (
            NAME_SEPARATOR.join(pack[5] for pack in fresh).split(NAME_SEPARATOR) if fresh else []
        )
    stale = [pack[0] for pack in packs if pack[1]]
    if stale:
        columns = ["id", "lat", "lon", "search_name"] if names else ["id", "lat", "lon"]
        rows = cell_rows(
            select=", ".join(columns), table=Place._meta.db_table, column=FINE_COLUMN, cells=stale
        )
        for position, name in enumerate(("pk", "lat", "lon")):
            column = np.array([row[position] for row in rows], dtype=found[name].dtype)
            found[name] = np.concatenate([found[name], column])
        if names:
            found["search_name"] += [row[3] for row in rows]
    return found


def cell_count(cells: list[int]) -> int:
    """How many places the fine cells hold."""
    return cells_counted(table=PlaceCell._meta.db_table, place_column=FINE_COLUMN, cells=cells)


def _repack_batch(stale) -> int:
    """Rebuild a batch of the packs of the `stale` query in one transaction; how many."""
    size = _REPACK_CELLS if connection.vendor == "postgresql" else CELLS_PER_QUERY
    with transaction.atomic():
        batch = stale_cells_claim(stale, size=size)
        if not batch:
            return 0
        if connection.vendor == "postgresql":
            _packs_build_in_database(batch)
        else:
            _packs_build(batch)
        # What is still stale has no place left.
        PlaceCell.objects.filter(cell__in=batch, stale=True).delete()
    return len(batch)


def _packs_build_in_database(cells: list[int]) -> None:
    """Pack the cells' places in PostgreSQL: nothing crosses the connection but the cells."""
    places = connection.ops.quote_name(Place._meta.db_table)
    packs = connection.ops.quote_name(PlaceCell._meta.db_table)
    updates = ", ".join(f"{column} = excluded.{column}" for column in _PACK_COLUMNS.split(", ")[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {packs} ({_PACK_COLUMNS}) "  # noqa: S608 - names from the models
            f"SELECT {FINE_COLUMN}, FALSE, COUNT(*), "
            "string_agg(int8send(id), '' ORDER BY id), "
            "string_agg(float8send(lat), '' ORDER BY id), "
            "string_agg(float8send(lon), '' ORDER BY id), "
            "string_agg(search_name, %s ORDER BY id) "
            f"FROM {places} WHERE {FINE_COLUMN} = ANY(%s) GROUP BY {FINE_COLUMN} "
            f"ON CONFLICT (cell) DO UPDATE SET {updates}",
            [NAME_SEPARATOR, cells],
        )


def _packs_build(cells: list[int]) -> None:
    """Pack the cells' places here (SQLite), as `_packs_build_in_database` does."""
    rows = cell_rows(
        select=f"{FINE_COLUMN}, id, lat, lon, search_name",
        table=Place._meta.db_table,
        column=FINE_COLUMN,
        cells=cells,
    )
    rows.sort(key=itemgetter(0, 1))
    packs = []
    for cell, group in groupby(rows, key=itemgetter(0)):
        places = list(group)
        packs.append(
            (
                cell,
                False,
                len(places),
                np.array([place[1] for place in places], dtype=_IDS).tobytes(),
                np.array([place[2] for place in places], dtype=_COORDINATES).tobytes(),
                np.array([place[3] for place in places], dtype=_COORDINATES).tobytes(),
                NAME_SEPARATOR.join(place[4] for place in places),
            )
        )
    table = connection.ops.quote_name(PlaceCell._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"REPLACE INTO {table} ({_PACK_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608 - names from the model
            packs,
        )


def _joined(packs: list[tuple], position: int, dtype: np.dtype) -> np.ndarray:
    return np.frombuffer(b"".join(bytes(pack[position]) for pack in packs), dtype=dtype)
