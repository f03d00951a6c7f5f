"""Counting places over per-cell counts equals counting the places themselves.

A circle's interior cells are counted through ranges of cells (places.cell_rows); here that
count is checked against the places whose cell is one of those cells, for random circles
(anywhere, across the antimeridian, around a pentagon) with some counts stale and wrong.
Run on the suite's database (PostgreSQL) and, through a child pytest, on SQLite.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from django.db import connection
from django.db.models import F
from h3.api import basic_int as h3_int
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from places.cell_packs import cell_count
from places.coarse_counts import coarse_count
from places.geometry import FINE_COLUMN, circle_cover
from places.models import Place, PlaceCell, PlaceCoarseCount
from tests.places.conftest import skip_on_sqlite, sqlite_run
from tests.places.factories import places_load

pytestmark = pytest.mark.django_db

METERS_PER_DEGREE = 111_195
# Pentagon centres, where compacted cells lack a branch of children.
PENTAGON_CENTRES = [h3_int.cell_to_latlng(cell) for cell in h3_int.get_pentagons(0)]

centres = st.one_of(
    st.tuples(st.floats(min_value=-80, max_value=80), st.floats(min_value=-180, max_value=180)),
    st.tuples(st.floats(min_value=-80, max_value=80), st.sampled_from([-179.9, 179.9])),
    st.sampled_from(PENTAGON_CENTRES),
)
# Places around the centre as (north, east) offsets in radii.
offsets = st.lists(
    st.tuples(st.floats(min_value=-1.2, max_value=1.2), st.floats(min_value=-1.2, max_value=1.2)),
    min_size=1,
    max_size=40,
)


def _interior(lat: float, lon: float, radius: float) -> tuple[str, list[int]]:
    """The column of the circle's cover and its cells lying wholly inside the circle."""
    cover = circle_cover(lat=lat, lon=lon, radius_m=radius)
    cells = np.array(cover.cells, dtype=np.int64)
    return cover.column, cells[cover.interior(radius)].tolist()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    centre=centres,
    radius=st.floats(min_value=2_000, max_value=100_000),
    offsets=offsets,
    stale=st.sets(st.integers(min_value=0, max_value=39), max_size=10),
)
def test_the_count_of_a_circles_inner_cells_is_the_count_of_their_places(
    centre, radius, offsets, stale
):
    Place.objects.all().delete()
    PlaceCell.objects.all().delete()
    PlaceCoarseCount.objects.all().delete()
    lat, lon = centre
    degrees = radius / METERS_PER_DEGREE
    points = [
        (
            max(-89.9, min(89.9, lat + north * degrees)),
            (lon + east * degrees / math.cos(math.radians(lat)) + 540) % 360 - 180,
        )
        for north, east in offsets
    ]
    places_load(
        [
            {"id": f"p{i}", "name": f"Place {i}", "lat": y, "lon": x}
            for i, (y, x) in enumerate(points)
        ],
        source="prop",
    )
    column, cells = _interior(lat, lon, radius)
    counts, count = (
        (PlaceCell, cell_count) if column == FINE_COLUMN else (PlaceCoarseCount, coarse_count)
    )
    # Some cells (inside the circle or not) stale, their counts wrong: counted from places.
    placed = sorted(Place.objects.values_list(column, flat=True).distinct())
    marked = [placed[i] for i in stale if i < len(placed)]
    counts.objects.filter(cell__in=marked).update(stale=True, count=F("count") + 1000)

    wanted = set(cells)
    truth = sum(cell in wanted for cell in Place.objects.values_list(column, flat=True))
    assert count(cells) == truth


def test_a_circle_around_a_pentagon_counts_the_places_beside_it_once():
    lat, lon = PENTAGON_CENTRES[0]
    pentagon = h3_int.latlng_to_cell(lat, lon, 6)
    # A place in each cell around the pentagon, three rings out.
    around = h3_int.grid_disk(pentagon, 3)
    places_load(
        [
            {"id": f"p{i}", "name": f"Place {i}", "lat": y, "lon": x}
            for i, (y, x) in enumerate(map(h3_int.cell_to_latlng, around))
        ]
    )
    column, cells = _interior(lat, lon, 40_000)
    assert column == "h3_coarse"
    compacted = h3_int.compact_cells(cells)
    assert any(h3_int.is_pentagon(cell) and h3_int.get_resolution(cell) < 6 for cell in compacted)
    assert coarse_count(cells) == len(set(around) & set(cells))


def test_no_cells_count_no_places(place_rows):
    place_rows([{"id": "p", "name": "Place", "lat": 48.8606, "lon": 2.3376}])
    assert coarse_count([]) == 0
    assert cell_count([]) == 0


@skip_on_sqlite
def test_cell_counts_hold_on_sqlite_too(tmp_path: Path):
    assert connection.vendor == "postgresql"
    child = sqlite_run(__file__, tmp_path)
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
    assert "3 passed, 1 skipped" in child.stdout
