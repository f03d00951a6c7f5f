"""The distinct place names forward geocoding scores, kept in the process while unchanged.

A text search without a location scores the query against every distinct name (rapidfuzz,
in C): far fewer than places, since places share names. Reading them from `PlaceName` for
every search would cost more than scoring them, so each process keeps them with their runs
of words, and reads them again only when the table changed. Every write that adds or removes
names gives `PlaceNamesVersion` a new random number in its own transaction (`names_changed`),
so a search checks one row; random, not counted up, so that a table rolled back or restored
never shows a number a process holds for other names. Counting the names instead cost as
much as the search on real data (about 15 ms a search for 200,000 names). The check is one
plain statement: through a queryset, building its SQL cost more than the database took to
answer it.
"""

import secrets
import threading

from django.db import connection

from places.models import PlaceName, PlaceNamesVersion
from places.text_match import NameRuns

_VERSION_TABLE = PlaceNamesVersion._meta.db_table
# The one row of `PlaceNamesVersion`.
_VERSION_ID = 1

_lock = threading.Lock()
_kept: tuple[int | None, NameRuns] | None = None


def name_runs_get() -> NameRuns:
    """Every distinct name of the places, with runs of words built as queries need them."""
    global _kept
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_VERSION_TABLE} WHERE id = {_VERSION_ID}")  # noqa: S608 - name from the model, integer
        row = cursor.fetchone()
    # Without the row (a table emptied behind the writers' back) nothing tells whether the
    # names changed: they are read again.
    version = row[0] if row is not None else None
    kept = _kept
    if kept is not None and version is not None and kept[0] == version:
        return kept[1]
    with _lock:
        if _kept is not None and version is not None and _kept[0] == version:
            return _kept[1]
        names = PlaceName.objects.order_by("id").values_list("search_name", flat=True)
        runs = NameRuns(list(names))
        _kept = (version, runs)
        return runs


def names_changed() -> None:
    """Give the names a new version, in the transaction of the write that changed them (the
    row is made again if it was removed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_VERSION_TABLE} (id, version) VALUES ({_VERSION_ID}, %s) "  # noqa: S608 - name from the model, integer
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            [secrets.randbits(62)],
        )
