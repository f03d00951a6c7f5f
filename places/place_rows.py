"""The places of a page by id, with their document's fields: one query, no queryset.

Every search and completion reads its page's places by id. Through a queryset (`in_bulk`)
building the SQL and the model rows cost more CPU than the read itself; here the ids go
through the one integer-keyed read of places.cell_rows and the rows become `Place`
instances directly, holding only the fields a place's document shows.
"""

import json

from django.db import connection

from places.cell_rows import cell_rows
from places.models import Place

# What places.serializers shows of a place (its public id is source and external id).
DOCUMENT_FIELDS = (
    "id",
    "source",
    "external_id",
    "name",
    "category",
    "categories",
    "lat",
    "lon",
    "address",
    "city",
    "country",
)
_CATEGORIES = DOCUMENT_FIELDS.index("categories")


def places_by_pk(pks: list[int]) -> dict[int, Place]:
    """The places with these ids, by id: those that still exist, since a search reads its
    candidates and then its page, and a writer may delete a place in between (callers leave
    such a place out of the page rather than fail)."""
    if not pks:
        return {}
    rows = cell_rows(
        select=", ".join(DOCUMENT_FIELDS), table=Place._meta.db_table, column="id", cells=pks
    )
    places = {}
    for row in rows:
        values = list(row)
        if isinstance(values[_CATEGORIES], str):
            # SQLite gives the JSON text; PostgreSQL's binary rows come decoded.
            values[_CATEGORIES] = json.loads(values[_CATEGORIES])
        places[values[0]] = Place.from_db(connection.alias, DOCUMENT_FIELDS, values)
    return places
