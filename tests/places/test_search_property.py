"""A geo-only search finds exactly what a brute-force great-circle filter finds.

Run on the suite's database (PostgreSQL) and, through a child pytest, on SQLite: the
embedded default and production must give the same results for the same data.
"""

import math
from pathlib import Path

import h3
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from places.models import Place
from places.selectors import place_search
from tests.places.conftest import skip_on_sqlite, sqlite_run
from tests.places.factories import places_load

pytestmark = pytest.mark.django_db

# Places this close to the circle (relative to the radius) may fall either side.
BOUNDARY_TOLERANCE = 0.003
EARTH_RADIUS_M = 6_371_008.8


def _destination(lat: float, lon: float, bearing_deg: float, meters: float) -> tuple:
    """The point `meters` from (lat, lon) along the initial bearing, on the sphere."""
    phi, lam, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = meters / EARTH_RADIUS_M
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    lon2 = (math.degrees(lam2) + 540) % 360 - 180
    return max(-90.0, min(90.0, math.degrees(phi2))), lon2


centres = st.tuples(
    st.floats(min_value=-89.5, max_value=89.5), st.floats(min_value=-180, max_value=180)
)
# Places around the centre, as (bearing, distance in radii): inside, outside and on the edge.
offsets = st.lists(
    st.tuples(st.floats(min_value=0, max_value=360), st.floats(min_value=0, max_value=1.6)),
    max_size=40,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    centre=centres,
    radius=st.floats(min_value=1, max_value=100_000),
    offsets=offsets,
    strangers=st.lists(centres, max_size=5),
    limit=st.integers(min_value=1, max_value=8),
    offset=st.integers(min_value=0, max_value=12),
)
def test_geo_only_search_returns_exactly_the_brute_force_great_circle_set(
    centre, radius, offsets, strangers, limit, offset
):
    Place.objects.all().delete()
    lat, lon = centre
    points = [_destination(lat, lon, bearing, share * radius) for bearing, share in offsets]
    points += strangers
    places_load(
        [
            {"id": f"p{i}", "name": f"Place {i}", "lat": y, "lon": x}
            for i, (y, x) in enumerate(points)
        ],
        source="prop",
    )

    page = place_search(lat=lat, lon=lon, radius=radius, limit=1000)

    truth = {
        f"prop:p{i}": h3.great_circle_distance((lat, lon), point, unit="m")
        for i, point in enumerate(points)
    }
    found = {hit.place.public_id: hit.distance for hit in page.hits}
    assert page.total == len(page.hits)
    surely_in = {pid for pid, d in truth.items() if d <= radius * (1 - BOUNDARY_TOLERANCE)}
    maybe_in = {pid for pid, d in truth.items() if d <= radius * (1 + BOUNDARY_TOLERANCE)}
    assert surely_in <= set(found) <= maybe_in
    for pid, distance in found.items():
        assert distance == pytest.approx(truth[pid], rel=BOUNDARY_TOLERANCE, abs=0.01)
    distances = [hit.distance for hit in page.hits]
    assert distances == sorted(distances)

    # Any page is the matching slice of the whole ordered result.
    window = place_search(lat=lat, lon=lon, radius=radius, limit=limit, offset=offset)
    assert window.total == page.total
    expected = [hit.place.public_id for hit in page.hits[offset : offset + limit]]
    assert [hit.place.public_id for hit in window.hits] == expected


@skip_on_sqlite
def test_geo_only_search_property_holds_on_sqlite_too(tmp_path: Path):
    assert connection.vendor == "postgresql"
    target = f"{__file__}::test_geo_only_search_returns_exactly_the_brute_force_great_circle_set"
    child = sqlite_run(target, tmp_path)
    assert child.returncode == 0, child.stdout[-3000:] + child.stderr[-3000:]
    assert "1 passed" in child.stdout
