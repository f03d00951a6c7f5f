"""Rows by H3 cell: the one query every cell-keyed (or id-keyed) read of places goes
through, the one count of places over per-cell counts, the one statement that marks
cell-keyed rows stale and the one claim of a batch to rebuild."""

import psycopg
from django.db import connection
from django.db.models import QuerySet

from places.geometry import cell_ranges
from places.models import Place
from places.sql_arrays import integer_array

# Bound on the cells of one `IN (...)` query on SQLite, well under its parameter limit.
CELLS_PER_QUERY = 900
# Bound on the ranges of one query on SQLite: their OR is a tree as deep as they are many,
# and SQLite refuses expressions 1,000 deep.
_RANGES_PER_QUERY = 500


def cell_rows(*, select: str, table: str, column: str, cells: list[int]) -> list[tuple]:
    """The rows of `SELECT <select> FROM <table>` whose integer `column` (a cell, or an id)
    is one of the cells.

    On PostgreSQL the cells go as one array literal (`_driver_rows`: a 100 km cover has
    thousands). SQLite gets the cells as integer literals (they are computed here, never
    client text), a bounded number per query.
    """
    table = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        return _driver_rows(
            f"SELECT {select} FROM {table} WHERE {column} = ANY(%s::int8[])",  # noqa: S608 - names from the models
            [integer_array(cells)],
        )
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(cells), CELLS_PER_QUERY):
            cell_list = ", ".join(str(int(cell)) for cell in cells[start : start + CELLS_PER_QUERY])
            cursor.execute(f"SELECT {select} FROM {table} WHERE {column} IN ({cell_list})")  # noqa: S608 - names from the models, integers
            rows.extend(cursor.fetchall())
    return rows


def cells_counted(*, table: str, place_column: str, cells: list[int]) -> int:
    """How many places the cells (of one resolution) hold, from a table of per-cell counts
    (`cell`, `stale`, `count`): a stale cell's places are counted from `Place`'s
    `place_column` index.

    The cells are read as ranges of the table's key (places.geometry.cell_ranges): a 100 km
    circle's thousand coarse cells are about 140 range scans of its index, where a list of
    a thousand cells has PostgreSQL scan the whole table. There one statement sums the
    counts and names the stale cells, and one row comes back.
    """
    ranges = cell_ranges(cells)
    if not ranges:
        return 0
    table = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # The ranges find at most one row a cell. Said as a LIMIT it changes no result, and
        # keeps the planner from guessing a ninth of the table a range: on a table of a few
        # hundred thousand cells that guess has it compile the query (JIT) for milliseconds.
        ((total, stale),) = _driver_rows(
            "SELECT COALESCE(SUM(count) FILTER (WHERE NOT stale), 0), "  # noqa: S608 - names from the models
            "array_agg(cell) FILTER (WHERE stale) "
            f"FROM (SELECT cell, stale, count FROM {table} "
            "JOIN unnest(%s::int8[], %s::int8[]) AS ranges(low, high) "
            "ON cell BETWEEN ranges.low AND ranges.high LIMIT %s) AS found",
            [
                integer_array(low for low, _ in ranges),
                integer_array(high for _, high in ranges),
                len(cells),
            ],
        )
        stale = stale or []
    else:
        counts = _sqlite_counts_in_ranges(table=table, ranges=ranges)
        total = sum(count for _, is_stale, count in counts if not is_stale)
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


def _driver_rows(sql: str, params: list) -> list[tuple]:
    """The rows of one PostgreSQL query, through psycopg's own cursor and in binary.

    Arrays go as array literals (places.sql_arrays), and rows come back in binary: a search
    moves thousands of values, and writing and parsing them as text cost both sides more
    than the query itself.
    """
    # Django's own checks still apply to the driver cursor: the connection is made and
    # health-checked as for any query, and an error marks it for closing at request end.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def _sqlite_counts_in_ranges(*, table: str, ranges: list[tuple[int, int]]) -> list[tuple]:
    """The (cell, stale, count) rows of the table whose cell is in one of the ranges, on
    SQLite: an OR of ranges a query, each served by the key's index."""
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ranges), _RANGES_PER_QUERY):
            within = " OR ".join(
                f"cell BETWEEN {int(low)} AND {int(high)}"
                for low, high in ranges[start : start + _RANGES_PER_QUERY]
            )
            cursor.execute(f"SELECT cell, stale, count FROM {table} WHERE {within}")  # noqa: S608 - names from the models, integers
            rows.extend(cursor.fetchall())
    return rows
