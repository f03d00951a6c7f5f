"""The distinct place names forward geocoding scores, kept in the process while unchanged.

A text search without a location scores the query against every distinct name (rapidfuzz,
in C): far fewer than places, since places share names. Reading them from `PlaceName` for
every search would cost more than scoring them, so each process keeps them with their runs
of words, and reads them again only when the table changed. `PlaceName` ids only grow and a
row is only inserted or deleted, so its row count and largest id change whenever it does.
That check runs on every search, as one plain statement: through a queryset, building its
SQL cost more than PostgreSQL took to answer it.
"""

import threading

from django.db import connection

from places.models import PlaceName
from places.text_match import NameRuns

_lock = threading.Lock()
_kept: tuple[tuple, NameRuns] | None = None


def name_runs_get() -> NameRuns:
    """Every distinct name of the places, with runs of words built as queries need them."""
    global _kept
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {PlaceName._meta.db_table}")  # noqa: S608 - name from the model
        version = cursor.fetchone()
    kept = _kept
    if kept is not None and kept[0] == version:
        return kept[1]
    with _lock:
        if _kept is not None and _kept[0] == version:
            return _kept[1]
        names = PlaceName.objects.order_by("id").values_list("search_name", flat=True)
        runs = NameRuns(list(names))
        _kept = (version, runs)
        return runs
