"""Reading rows by H3 cell: the one query every cell-keyed read of places goes through."""

import psycopg
from django.db import connection

from places.models import Place

# Bound on the cells of one `IN (...)` query on SQLite, well under its parameter limit.
CELLS_PER_QUERY = 900


def cell_rows(*, select: str, table: str, column: str, cells: list[int]) -> list[tuple]:
    """The rows of `SELECT <select> FROM <table>` whose `column` is one of the cells.

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
