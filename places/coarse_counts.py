"""Place counts per coarse H3 cell: what a wide geo-only search counts its total from.

A 100 km search in a dense region holds tens of thousands of places; counting them from the
places' cell index visits one index entry each. One `PlaceCoarseCount` row per coarse cell
turns that into a sum over the cells inside the circle, about a thousand, of which only
those holding places have a row. They are read as about 140 ranges of the table's key (the
cells compacted into their coarsest whole ancestors, each ancestor's cells one range:
places.cell_rows), summed by PostgreSQL in one statement.

The rule is the one of places.cell_packs, which calls this module: every coarse cell holding
a place has a row, and a row that is not `stale` holds the exact count. Marking the fine
cells a write touches stale marks their coarse cells too, in the same transaction, and
repacking them recounts those; readers count stale cells from `Place`.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count
from h3.api import basic_int as h3_int

from places.cell_rows import CELLS_PER_QUERY, cell_rows_mark_stale, cells_counted, stale_cells_claim
from places.geometry import COARSE_COLUMN
from places.models import H3_COARSE_RESOLUTION, Place, PlaceCoarseCount

_TABLE = PlaceCoarseCount._meta.db_table


def coarse_cells_of(fine_cells: Iterable[int]) -> list[int]:
    """The coarse cells the fine cells lie in, in cell order (the order writers lock in)."""
    return sorted({h3_int.cell_to_parent(cell, H3_COARSE_RESOLUTION) for cell in fine_cells})


def coarse_counts_mark_stale(fine_cells: Iterable[int]) -> None:
    """Mark stale the counts of the coarse cells these fine cells lie in (creating them)."""
    cells = coarse_cells_of(fine_cells)
    if not cells:
        return
    table = connection.ops.quote_name(_TABLE)
    on_conflict = f"ON CONFLICT (cell) DO UPDATE SET stale = TRUE WHERE NOT {table}.stale"
    cell_rows_mark_stale(
        table=table,
        columns="cell, stale, count",
        stale="TRUE, 0",
        cells=cells,
        on_conflict=on_conflict,
    )


def coarse_counts_rebuild(fine_cells: Iterable[int] | None = None) -> int:
    """Recount the stale coarse cells (those the fine cells lie in, when given); how many.

    Counts another rebuild holds are left to it; a cell whose places are all gone loses its
    row.
    """
    stale = PlaceCoarseCount.objects.filter(stale=True)
    if fine_cells is None:
        return _rebuild(stale)
    wanted = coarse_cells_of(fine_cells)
    return sum(
        _rebuild(stale.filter(cell__in=wanted[start : start + CELLS_PER_QUERY]))
        for start in range(0, len(wanted), CELLS_PER_QUERY)
    )


def coarse_count(cells: list[int]) -> int:
    """How many places the coarse cells hold."""
    return cells_counted(table=_TABLE, place_column=COARSE_COLUMN, cells=cells)


def _rebuild(stale) -> int:
    """Recount the cells of the `stale` query, a batch per transaction; how many."""
    rebuilt = 0
    while True:
        with transaction.atomic():
            batch = stale_cells_claim(stale, size=CELLS_PER_QUERY)
            if not batch:
                return rebuilt
            counts = dict(
                Place.objects.filter(h3_coarse__in=batch)
                .values_list(COARSE_COLUMN)
                .annotate(count=Count("*"))
                .values_list(COARSE_COLUMN, "count")
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {connection.ops.quote_name(_TABLE)} SET stale = %s, count = %s "  # noqa: S608 - name from the model
                    "WHERE cell = %s",
                    [(False, count, cell) for cell, count in counts.items()],
                )
            PlaceCoarseCount.objects.filter(cell__in=batch, stale=True).delete()
            rebuilt += len(batch)
