"""Great-circle distances, the H3 cells that cover a search circle, and the integer ranges
that hold a cell's descendants or a set of cells."""

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import h3
import numpy as np
from h3.api import basic_int as h3_int

from places.models import H3_COARSE_RESOLUTION, H3_FINE_RESOLUTION

# Mean Earth radius (IUGG), the one h3 uses for its great-circle distances.
EARTH_RADIUS_M = 6_371_008.8

# Measured over random cells at both resolutions: a cell's farthest vertex is at most 1.10
# average edges from its centre, and neighbouring centres are at least 1.21 average edges
# apart. The bounds below keep a margin over both.
_CIRCUMRADIUS_PER_EDGE = 1.25
_RING_SPACING_PER_EDGE = 1.0

# H3's 64-bit cell layout: the resolution in bits 52..55, then one 3-bit digit per
# resolution, digit d at bits 3 * (15 - d); the digits finer than the cell's resolution are
# all 7, a value no digit of a cell's own resolutions takes. So a cell's descendants at a
# finer resolution share its bits but the resolution and the digits in between, and lie
# between those digits all 0 and all 6.
H3_RESOLUTION_BITS = 0xF << 52
_ALL_SIXES = 0o666666666666666

# The columns of the two resolutions' cells.
FINE_COLUMN = "h3_fine"
COARSE_COLUMN = "h3_coarse"
# The fine column is used while the circle needs at most this many fine cells.
FINE_CELL_BUDGET = 500
# Disks of cells with their centres kept per process: finding them costs most of a 100 km
# cover (about 3,000 cells), and searches return to the same areas. At most about 70 KB
# each.
DISKS_KEPT = 256


@dataclass(frozen=True)
class CellCover:
    """Cells of one resolution whose union contains every point of a circle.

    `centre_distances` are the meters from the circle's centre to each cell's centre;
    no point of a cell is farther than `circumradius` from the cell's centre.
    """

    column: str
    cells: list[int]
    centre_distances: np.ndarray
    circumradius: float

    def interior(self, radius_m: float) -> np.ndarray:
        """Which cells lie entirely within the circle."""
        return self.centre_distances + self.circumradius <= radius_m

    def nearest_possible(self) -> np.ndarray:
        """A lower bound of the distance from the circle's centre to any point of each cell."""
        return np.maximum(self.centre_distances - self.circumradius, 0.0)


def distances_m(*, lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Haversine distances in meters from one point to many."""
    phi1 = math.radians(lat)
    phi2 = np.radians(lats)
    dphi = phi2 - phi1
    dlambda = np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def circle_cover(*, lat: float, lon: float, radius_m: float) -> CellCover:
    """The cells that may hold a point within `radius_m` of (lat, lon), pruned by distance."""
    fine_edge = h3_int.average_hexagon_edge_length(H3_FINE_RESOLUTION, unit="m")
    fine_area = h3_int.average_hexagon_area(H3_FINE_RESOLUTION, unit="m^2")
    reach = radius_m + _CIRCUMRADIUS_PER_EDGE * fine_edge
    if math.pi * reach * reach / fine_area <= FINE_CELL_BUDGET:
        return _cells_within(lat, lon, radius_m, H3_FINE_RESOLUTION, FINE_COLUMN)
    return _cells_within(lat, lon, radius_m, H3_COARSE_RESOLUTION, COARSE_COLUMN)


def _cells_within(
    lat: float, lon: float, radius_m: float, resolution: int, column: str
) -> CellCover:
    edge = h3_int.average_hexagon_edge_length(resolution, unit="m")
    circumradius = _CIRCUMRADIUS_PER_EDGE * edge
    # The centre cell's own centre may be up to one circumradius away from the point.
    rings = math.ceil((radius_m + 2 * circumradius) / (_RING_SPACING_PER_EDGE * edge)) + 1
    origin = h3_int.latlng_to_cell(lat, lon, resolution)
    cells, centres = _disk(origin, rings)
    reach = distances_m(lat=lat, lon=lon, lats=centres[:, 0], lons=centres[:, 1])
    keep = reach <= radius_m + circumradius
    return CellCover(
        column=column,
        cells=cells[keep].tolist(),
        centre_distances=reach[keep],
        circumradius=circumradius,
    )


@lru_cache(maxsize=DISKS_KEPT)
def _disk(origin: int, rings: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells within `rings` steps of `origin`, and their centres (latitude, longitude)."""
    cells = h3_int.grid_disk(origin, rings)
    centres = np.fromiter(
        chain.from_iterable(map(h3_int.cell_to_latlng, cells)),
        dtype=np.float64,
        count=2 * len(cells),
    ).reshape(-1, 2)
    return np.array(cells, dtype=np.int64), centres


def fine_rings(*, lat: float, lon: float, rings: int) -> list[tuple[list[int], float]]:
    """Fine cells ring by ring outward from the point's cell, up to `rings` steps away.

    With each ring comes a lower bound of the distance from the point to any point of the
    cells farther out, so a nearest-first reader knows when it may stop.
    """
    edge = h3_int.average_hexagon_edge_length(H3_FINE_RESOLUTION, unit="m")
    circumradius = _CIRCUMRADIUS_PER_EDGE * edge
    origin = h3_int.latlng_to_cell(lat, lon, H3_FINE_RESOLUTION)
    found = []
    for step in range(rings + 1):
        try:
            ring = h3_int.grid_ring(origin, step)
        except h3.H3BaseException:
            # Rings crossing a pentagon's distortion: the disk less the disk inside it.
            inside = set(h3_int.grid_disk(origin, step - 1))
            ring = [cell for cell in h3_int.grid_disk(origin, step) if cell not in inside]
        # Cells more steps away have centres at least that many spacings from the origin
        # cell's centre, which is itself within one circumradius of the point.
        beyond = (step + 1) * _RING_SPACING_PER_EDGE * edge - 2 * circumradius
        found.append((ring, max(beyond, 0.0)))
    return found


def h3_digits_mask(first: int, last: int) -> int:
    """The bits of the digits `first` to `last` (resolutions) of an H3 cell."""
    return ((1 << 3 * (last - first + 1)) - 1) << 3 * (15 - last)


def descendants_range(cell: int, resolution: int) -> tuple[int, int]:
    """The smallest and largest descendant of `cell` at the finer `resolution`.

    Every cell of that resolution between the two is a descendant: the integers between
    share the cell's bits above its own digits, and those that are not descendants have a
    digit 7 or the branch a pentagon lacks, which no cell has.
    """
    digits = h3_digits_mask(h3_int.get_resolution(cell) + 1, resolution)
    low = (cell & ~(H3_RESOLUTION_BITS | digits)) | (resolution << 52)
    return low, low | (digits & _ALL_SIXES)


def cell_ranges(cells: list[int]) -> list[tuple[int, int]]:
    """Integer ranges, as (smallest, largest), that together hold exactly these cells of one
    resolution among all the cells of that resolution: one per cell of their compaction
    (the coarsest cells whose children are all there, and the rest)."""
    if not cells:
        return []
    resolution = h3_int.get_resolution(cells[0])
    return [descendants_range(cell, resolution) for cell in h3_int.compact_cells(cells)]
