"""Rows by name: the reads of the places whose search name is one of some names (the names
a forward geocoding query matched), served by the names' index.

A text search without a location runs them on every request. Built as querysets, compiling
their SQL cost the process more than the database took to answer them; here they are plain
SQL. On PostgreSQL the names go as one array literal (places.sql_arrays), on SQLite as an
`IN` list.
"""

from django.db import connection

from places.models import PUBLIC_ID_SEPARATOR, Place
from places.sql_arrays import text_array

_PLACE_TABLE = Place._meta.db_table


def name_counts(names: list[str]) -> dict[str, int]:
    """How many places each of these names has (those that have any), from the index alone."""
    return dict(
        name_rows(select="search_name, COUNT(*)", names=names, clauses="GROUP BY search_name")
    )


def name_page(names: list[str], *, skip: int, take: int) -> list[int]:
    """The ids of the places of these names by importance (highest first) then public id,
    `take` of them after the first `skip`. Only ids: a page's places are read by id
    (places.place_rows), as every page's are."""
    rows = name_rows(
        select="id",
        names=names,
        clauses=f"ORDER BY importance DESC, {_public_id_order()} LIMIT %s OFFSET %s",
        params=[take, skip],
    )
    return [pk for (pk,) in rows]


def name_rows(
    *, select: str, names: list[str], clauses: str = "", params: list | None = None
) -> list[tuple]:
    """The rows of `SELECT <select> FROM <places>` whose search name is one of the names,
    followed by `clauses` (grouping, order, limits) with their `params`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {select} FROM {_PLACE_TABLE} "  # noqa: S608 - names from the model
                f"WHERE search_name = ANY(%s::text[]) {clauses}",
                [text_array(names), *(params or [])],
            )
        else:
            cursor.execute(
                f"SELECT {select} FROM {_PLACE_TABLE} "  # noqa: S608 - names from the model
                f"WHERE search_name IN ({', '.join(['%s'] * len(names))}) {clauses}",
                [*names, *(params or [])],
            )
        return cursor.fetchall()


def _public_id_order() -> str:
    """SQL of the public id ("<source>:<external id>") ordered as Python orders the strings,
    by code points: binary on SQLite, the C collation on PostgreSQL."""
    public_id = f"source || '{PUBLIC_ID_SEPARATOR}' || external_id"
    if connection.vendor == "postgresql":
        return f'({public_id}) COLLATE "C"'
    return public_id
