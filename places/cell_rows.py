"""Rows by H3 cell: the one query every cell-keyed (or id-keyed) read of places goes
through, the one statement that marks cell-keyed rows stale and the one claim of a batch to
rebuild."""

import psycopg
from django.db import connection
from django.db.models import QuerySet

from places.models import Place

# Bound on the cells of one `IN (...)` query on SQLite, well under its parameter limit.
CELLS_PER_QUERY = 900


def cell_rows(*, select: str, table: str, column: str, cells: list[int]) -> list[tuple]:
    """The rows of `SELECT <select> FROM <table>` whose integer `column` (a cell, or an id)
    is one of the cells.

    On PostgreSQL the cells go as one array literal (psycopg would check each element of a
    list against a regular expression, and a 100 km cover has thousands) and the rows come
    back in binary: a search moves thousands of values, and writing and parsing them as
    text cost both sides more than the query itself. SQLite gets the cells as integer
    literals (they are computed here, never client text), a bounded number per query.
    """
    table = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # Django's own checks still apply to the driver cursor: the connection is made and
        # health-checked as for any query, and an error marks it for closing at request end.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"SELECT {select} FROM {table} WHERE {column} = ANY(%s::int8[])",  # noqa: S608 - names from the models
                ["{" + ",".join(map(str, cells)) + "}"],
                binary=True,
            )
            return cursor.fetchall()
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(cells), CELLS_PER_QUERY):
            cell_list = ", ".join(str(int(cell)) for cell in cells[start : start + CELLS_PER_QUERY])
            cursor.execute(f"SELECT {select} FROM {table} WHERE {column} IN ({cell_list})")  # noqa: S608 - names from the models, integers
            rows.extend(cursor.fetchall())
    return rows


def cells_counted(*, table: str, place_column: str, cells: list[int]) -> int:
    """How many places the cells hold, from a table of per-cell counts (`cell`, `stale`,
    `count`): a stale cell's places are counted from `Place`'s `place_column` index."""
    counts = cell_rows(select="cell, stale, count", table=table, column="cell", cells=cells)
    total = sum(count for _, stale, count in counts if not stale)
    stale = [cell for cell, is_stale, _ in counts if is_stale]
    if stale:
        counted = cell_rows(
            select="COUNT(*)", table=Place._meta.db_table, column=place_column, cells=stale
        )
        total += sum(row[0] for row in counted)
    return total


def cell_rows_mark_stale(
    *, table: str, columns: str, stale: str, cells: list[int], on_conflict: str
) -> None:
    """Insert a row for each cell (`columns` starts with `cell`; `stale` is the SQL of the
    others' values), or update the cell's row as `on_conflict` says: one statement over an
    array on PostgreSQL, one row a statement on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the models
                f"SELECT cell, {stale} FROM unnest(%s::bigint[]) AS cell {on_conflict}",
                [cells],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, {stale}) {on_conflict}",  # noqa: S608 - names from the models
                [(cell,) for cell in cells],
            )


def stale_cells_claim(stale: QuerySet, *, size: int) -> list[int]:
    """Up to `size` cells of the `stale` query, in cell order, locked until the caller's
    transaction ends; cells another rebuild holds are skipped and left to it."""
    return list(
        stale.order_by("cell")
        .select_for_update(skip_locked=True)
        .values_list("cell", flat=True)[:size]
    )
