"""On PostgreSQL the cell indexes also carry what a search reads of each candidate.

A search reads (id, lat, lon, search_name) of every place in its cells; with those in the
index, PostgreSQL answers from the index alone instead of visiting a heap page per place.
SQLite has no INCLUDE: there the plain indexes of 0001 stay.
"""

from django.db import migrations

COVERED = "lat, lon, search_name"


def covering_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("h3_fine", "h3_coarse"):
        index = f"place_{column}_idx"
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON places_place ({column}) INCLUDE ({COVERED})"
        )


def covering_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("h3_fine", "h3_coarse"):
        index = f"place_{column}_idx"
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"CREATE INDEX {index} ON places_place ({column})")


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(covering_create, covering_drop)]
