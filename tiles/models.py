from django.db import models


class Tileset(models.Model):  # noqa: DJ008 - no rows, so none is ever shown
    """No table: the admin's handle for the tileset preview page (tilesets are files)."""

    class Meta:
        managed = False
        verbose_name = "tileset"
        verbose_name_plural = "tilesets"
        default_permissions = ()
