"""The integer ranges of H3 cells: a cell's range holds exactly its descendants, and the
ranges of a set of cells exactly that set, pentagons and the antimeridian included."""

import numpy as np
import pytest
from h3.api import basic_int as h3_int
from hypothesis import given, settings
from hypothesis import strategies as st

from places.geometry import cell_ranges, descendants_range
from places.models import H3_COARSE_RESOLUTION

latitudes = st.floats(min_value=-89.9, max_value=89.9)
longitudes = st.floats(min_value=-180, max_value=180)


def _assert_range_holds_exactly_the_descendants(cell: int, elsewhere: list[int]) -> None:
    """`cell`'s range at the coarse resolution holds its descendants and no other cell: none
    of the cells beside it in integer order, nor any of the cells `elsewhere`."""
    low, high = descendants_range(cell, H3_COARSE_RESOLUTION)
    children = h3_int.cell_to_children(cell, H3_COARSE_RESOLUTION)
    assert (low, high) == (min(children), max(children))
    for relative in _beside(cell):
        theirs = np.array(h3_int.cell_to_children(relative, H3_COARSE_RESOLUTION))
        assert not ((low <= theirs) & (theirs <= high)).any()
    resolution = h3_int.get_resolution(cell)
    for other in elsewhere:
        descends = h3_int.cell_to_parent(other, resolution) == cell
        assert (low <= other <= high) is descends


def _beside(cell: int) -> list[int]:
    """The cells whose descendants are nearest to the cell's in integer order: its siblings,
    or for a base cell the base cells numbered next to it."""
    resolution = h3_int.get_resolution(cell)
    if resolution:
        family = h3_int.cell_to_children(h3_int.cell_to_parent(cell, resolution - 1), resolution)
    else:
        number = h3_int.get_base_cell_number(cell)
        family = [
            base
            for base in h3_int.get_res0_cells()
            if abs(h3_int.get_base_cell_number(base) - number) == 1
        ]
    return [relative for relative in family if relative != cell]


coarse_cells = st.builds(
    lambda lat, lon: h3_int.latlng_to_cell(lat, lon, H3_COARSE_RESOLUTION), latitudes, longitudes
)


@settings(max_examples=60, deadline=None)
@given(
    lat=latitudes,
    lon=longitudes,
    resolution=st.integers(min_value=0, max_value=H3_COARSE_RESOLUTION),
    elsewhere=st.lists(coarse_cells, max_size=20),
)
def test_a_cells_range_holds_exactly_its_descendants(lat, lon, resolution, elsewhere):
    cell = h3_int.latlng_to_cell(lat, lon, resolution)
    # Some of the cells near it in the grid: its descendants' neighbours.
    centre_child = h3_int.cell_to_center_child(cell, H3_COARSE_RESOLUTION)
    elsewhere += h3_int.grid_disk(centre_child, 2)
    _assert_range_holds_exactly_the_descendants(cell, elsewhere)


@pytest.mark.parametrize("resolution", range(H3_COARSE_RESOLUTION + 1))
def test_a_pentagons_range_holds_exactly_its_descendants(resolution):
    # A pentagon's children skip one branch of digits: the range still holds only cells.
    for pentagon in h3_int.get_pentagons(resolution)[:3]:
        centre_child = h3_int.cell_to_center_child(pentagon, H3_COARSE_RESOLUTION)
        _assert_range_holds_exactly_the_descendants(pentagon, h3_int.grid_disk(centre_child, 3))


# Centres anywhere, beside the antimeridian, and on a pentagon.
_PENTAGON_CENTRES = [h3_int.cell_to_latlng(cell) for cell in h3_int.get_pentagons(0)]
centres = st.one_of(
    st.tuples(latitudes, longitudes),
    st.tuples(latitudes, st.sampled_from([-179.95, 179.95])),
    st.sampled_from(_PENTAGON_CENTRES),
)


@settings(max_examples=60, deadline=None)
@given(
    centre=centres,
    rings=st.integers(min_value=0, max_value=20),
    resolution=st.integers(min_value=2, max_value=8),
    dropped=st.sets(st.integers(min_value=0, max_value=2000), max_size=30),
)
def test_the_ranges_of_cells_hold_exactly_those_cells(centre, rings, resolution, dropped):
    origin = h3_int.latlng_to_cell(*centre, resolution)
    disk = h3_int.grid_disk(origin, rings)
    cells = [cell for position, cell in enumerate(disk) if position not in dropped]
    ranges = cell_ranges(cells)
    assert len(ranges) <= len(cells)
    # Every cell of the disk and the ring around it, and their neighbours in integer order.
    near = set(h3_int.grid_disk(origin, rings + 1))
    near |= {relative for cell in list(near) for relative in _siblings(cell)}
    inside = {cell for cell in near if any(low <= cell <= high for low, high in ranges)}
    assert inside == set(cells)


def _siblings(cell: int) -> list[int]:
    resolution = h3_int.get_resolution(cell)
    return h3_int.cell_to_children(h3_int.cell_to_parent(cell, resolution - 1), resolution)


def test_no_cells_have_no_ranges():
    assert cell_ranges([]) == []
