from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# H3 resolutions of the two cell columns. A search covers its circle with cells of the
# finer one while that takes few cells (small radii), and of the coarser one otherwise.
H3_FINE_RESOLUTION = 8
H3_COARSE_RESOLUTION = 6

# The public id of a place is "<source>:<external id>", so a source name has no colon.
PUBLIC_ID_SEPARATOR = ":"
# Name prefixes up to this many characters have completion packs (places.prefix_packs).
PREFIX_MAX = 7


class Place(models.Model):
    """A point of interest from one import source; (source, external_id) identifies it."""

    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    name = models.CharField(max_length=300)
    search_name = models.CharField(
        max_length=300, help_text="The name as text matching compares it (places.text_match)"
    )
    category = models.CharField(max_length=100, blank=True, help_text="Primary category")
    categories = models.JSONField(default=list, blank=True)
    lat = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])
    h3_fine = models.BigIntegerField(help_text=f"H3 cell at resolution {H3_FINE_RESOLUTION}")
    h3_coarse = models.BigIntegerField(help_text=f"H3 cell at resolution {H3_COARSE_RESOLUTION}")
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    importance = models.FloatField(
        default=0,
        validators=[MinValueValidator(0)],
        help_text="Population or another importance (0 when unknown): ranks completions",
    )
    import_run = models.CharField(
        max_length=32, help_text="The import that last wrote the place (for --replace)"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="place_source_id_unique")
        ]
        indexes = [
            models.Index(fields=["h3_fine"], name="place_h3_fine_idx"),
            models.Index(fields=["h3_coarse"], name="place_h3_coarse_idx"),
            models.Index(fields=["category"], name="place_category_idx"),
            # Prefix ranges of names (completions, forward geocoding); the operator class
            # lets PostgreSQL serve `LIKE 'pre%'` from it under any collation.
            models.Index(
                fields=["search_name"],
                name="place_search_name_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"

    @property
    def public_id(self) -> str:
        return f"{self.source}{PUBLIC_ID_SEPARATOR}{self.external_id}"


class CellPlaces(models.Model):
    """What one H3 cell holds, kept exact by a rebuild: `count` places, unless `stale` (being
    rebuilt), when readers take the cell's places from `Place` instead. A subclass names its
    `cell` (the primary key, at its resolution) and indexes its stale cells."""

    stale = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"cell {self.cell:x} ({self.count} places{', stale' if self.stale else ''})"


class PlaceCell(CellPlaces):
    """The search candidates of one fine H3 cell packed in one row (see places.cell_packs).

    `ids`, `lats` and `lons` are little-endian int64/float64 arrays and `search_names` the
    normalized names joined by newlines, in the same order. A `stale` pack is being rebuilt:
    readers take that cell's places from `Place` instead.
    """

    cell = models.BigIntegerField(
        primary_key=True, help_text=f"H3 cell at resolution {H3_FINE_RESOLUTION}"
    )
    ids = models.BinaryField(default=bytes)
    lats = models.BinaryField(default=bytes)
    lons = models.BinaryField(default=bytes)
    search_names = models.TextField(default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["cell"], condition=models.Q(stale=True), name="place_cell_stale_idx"
            )
        ]


class PlaceCoarseCount(CellPlaces):
    """How many places one coarse H3 cell holds: what a wide geo-only search counts its
    `total` from, one row a cell instead of one index entry a place (see places.cell_packs).
    A `stale` count is being rebuilt: readers count that cell's places from `Place`."""

    cell = models.BigIntegerField(
        primary_key=True, help_text=f"H3 cell at resolution {H3_COARSE_RESOLUTION}"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["cell"], condition=models.Q(stale=True), name="place_coarse_stale_idx"
            )
        ]


class PlacePrefix(models.Model):
    """The most important places whose name starts with `key`, in one area (see
    places.prefix_packs): `ids` and `importances` are comma-separated, best first.

    `area` is an H3 cell of `AREA_RESOLUTION`, or 0 for the whole world. A `stale` pack is
    being rebuilt: readers take its places from `Place` instead.
    """

    key = models.CharField(max_length=PREFIX_MAX)
    area = models.BigIntegerField(help_text="H3 cell, 0 for everywhere")
    stale = models.BooleanField(default=False)
    ids = models.TextField(default="")
    importances = models.TextField(default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "area"], name="place_prefix_key_area_unique")
        ]
        indexes = [
            models.Index(
                fields=["key"], condition=models.Q(stale=True), name="place_prefix_stale_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key!r} in {self.area:x}{' (stale)' if self.stale else ''}"


class PlaceName(models.Model):
    """One distinct normalized name of the places: what forward geocoding scores."""

    search_name = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.search_name


class PlaceNamesVersion(models.Model):
    """Which state the distinct names are in: one row, given a new random version in the
    transaction of every write that adds or removes a `PlaceName` (places.name_runs)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"names version {self.version}"
