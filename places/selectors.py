"""Reading places: hybrid text and geographic search, and lookup by public id."""

import json
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from errors import catalog
from errors.exceptions import ApiError
from places.cell_packs import cell_candidates, cell_count, cell_rows
from places.geometry import FINE_COLUMN, CellCover, circle_cover, distances_m, fine_rings
from places.models import PUBLIC_ID_SEPARATOR, Place
from places.text_match import text_normalize, text_scores

# Scores and distances are compared as sent, so equal-looking results order by id.
SCORE_DECIMALS = 6
DISTANCE_DECIMALS = 2
# Fine rings a geo-only search walks before reading whole cover cells (12 rings of
# resolution 8: about 6 km around the point, 469 cells).
NEAREST_FINE_RINGS = 12


@dataclass(frozen=True)
class PlaceHit:
    place: Place
    score: float
    distance: float


@dataclass(frozen=True)
class PlaceSearchPage:
    hits: list[PlaceHit]
    total: int


def place_search(
    *,
    lat: float,
    lon: float,
    radius: float,
    query: str | None = None,
    categories: list[str] | None = None,
    weight_text: float = 0.6,
    weight_geo: float = 0.4,
    limit: int = 20,
    offset: int = 0,
) -> PlaceSearchPage:
    """Places within `radius` meters matching the query and categories, best first."""
    if query is not None and not text_normalize(query):
        query = None  # nothing to match: punctuation or spaces only
    cover = circle_cover(lat=lat, lon=lon, radius_m=radius)
    if not query and not categories:
        return _nearest_page(
            cover=cover, lat=lat, lon=lon, radius=radius, limit=limit, offset=offset
        )
    columns = ["id", "lat", "lon"]
    if query:
        columns.append("search_name")
    if categories:
        columns.append("categories")
    candidates = _rows(column=cover.column, cells=cover.cells, columns=columns)
    if not candidates["pk"].size:
        return PlaceSearchPage(hits=[], total=0)

    distance = distances_m(lat=lat, lon=lon, lats=candidates["lat"], lons=candidates["lon"])
    keep = distance <= radius
    if categories:
        wanted = set(categories)
        keep &= np.fromiter(
            (not wanted.isdisjoint(json.loads(raw)) for raw in candidates["categories"]),
            dtype=bool,
            count=len(candidates["categories"]),
        )
    geo = np.clip(1.0 - distance / radius, 0.0, 1.0)
    if query:
        # Only names within the circle are scored: the cover's corners are not.
        text = np.zeros(keep.size)
        inside = np.flatnonzero(keep)
        names = candidates["search_name"]
        text[inside] = text_scores(
            query=query, search_names=list(map(names.__getitem__, inside.tolist()))
        )
        keep &= text > 0
        score = (text * weight_text + geo * weight_geo) / (weight_text + weight_geo)
    else:
        score = geo

    matched = np.flatnonzero(keep)
    return _page(
        pks=candidates["pk"][matched],
        score=score[matched],
        distance=distance[matched],
        total=int(matched.size),
        limit=limit,
        offset=offset,
    )


def place_get(*, public_id: str) -> Place:
    """The place with this public id ("<source>:<external id>"); 404 when there is none."""
    source, separator, external_id = public_id.partition(PUBLIC_ID_SEPARATOR)
    place = None
    if separator:
        place = Place.objects.filter(source=source, external_id=external_id).first()
    if place is None:
        raise ApiError(catalog.GEOG_PLACE_NOT_FOUND, id=public_id)
    return place


def _nearest_page(
    *, cover: CellCover, lat: float, lon: float, radius: float, limit: int, offset: int
) -> PlaceSearchPage:
    """A geo-only page: score is distance, so only the nearest places need reading.

    Cells entirely inside the circle are counted in SQL and the cells on the edge read to
    count exactly. The page comes from fine cells read ring by ring outward, or where those
    rings do not reach far enough, from the cover's inner cells read nearest first, each
    only until no unread cell can hold a place of the page.
    """
    cells = np.array(cover.cells, dtype=np.int64)
    inside = cover.interior(radius)
    total = _count(column=cover.column, cells=cells[inside].tolist())
    edge = _rows(column=cover.column, cells=cells[~inside].tolist(), columns=["id", "lat", "lon"])
    edge_distance = distances_m(lat=lat, lon=lon, lats=edge["lat"], lons=edge["lon"])
    within = edge_distance <= radius
    total += int(within.sum())
    wanted = offset + limit

    # In a dense area the page lies within a few hundred metres: walk fine cells outward.
    ring_pks: list[np.ndarray] = []
    ring_distances: list[np.ndarray] = []
    for ring, beyond in fine_rings(lat=lat, lon=lon, rings=NEAREST_FINE_RINGS):
        found = _rows(column=FINE_COLUMN, cells=ring, columns=["id", "lat", "lon"])
        found_distance = distances_m(lat=lat, lon=lon, lats=found["lat"], lons=found["lon"])
        close = found_distance <= radius
        ring_pks.append(found["pk"][close])
        ring_distances.append(found_distance[close])
        so_far = np.concatenate(ring_distances)
        if beyond > radius or (
            so_far.size >= wanted and np.partition(so_far, wanted - 1)[wanted - 1] < beyond
        ):
            return _page(
                pks=np.concatenate(ring_pks),
                score=np.clip(1.0 - so_far / radius, 0.0, 1.0),
                distance=so_far,
                total=total,
                limit=limit,
                offset=offset,
            )

    # Sparse area: read the cover's inner cells nearest first.
    pks, distances = [edge["pk"][within]], [edge_distance[within]]
    inner_cells = cells[inside]
    nearest = cover.nearest_possible()[inside]
    by_nearest = np.argsort(nearest, kind="stable")
    read, chunk = 0, 8
    while read < by_nearest.size:
        found = np.concatenate(distances)
        if found.size >= wanted:
            # The page is complete once no unread cell can hold a nearer place.
            farthest_needed = np.partition(found, wanted - 1)[wanted - 1]
            if farthest_needed < nearest[by_nearest[read]]:
                break
        batch = inner_cells[by_nearest[read : read + chunk]].tolist()
        inner = _rows(column=cover.column, cells=batch, columns=["id", "lat", "lon"])
        inner_distance = distances_m(lat=lat, lon=lon, lats=inner["lat"], lons=inner["lon"])
        pks.append(inner["pk"])
        distances.append(inner_distance)
        read += chunk
        chunk *= 2

    distance = np.concatenate(distances)
    return _page(
        pks=np.concatenate(pks),
        score=np.clip(1.0 - distance / radius, 0.0, 1.0),
        distance=distance,
        total=total,
        limit=limit,
        offset=offset,
    )


def _page(
    *,
    pks: np.ndarray,
    score: np.ndarray,
    distance: np.ndarray,
    total: int,
    limit: int,
    offset: int,
) -> PlaceSearchPage:
    score = np.round(score, SCORE_DECIMALS)
    distance = np.round(distance, DISTANCE_DECIMALS)
    page = _page_order(pks=pks, score=score, distance=distance, limit=limit, offset=offset)
    places = Place.objects.in_bulk([int(pks[i]) for i in page])
    hits = [
        PlaceHit(place=places[int(pks[i])], score=float(score[i]), distance=float(distance[i]))
        for i in page
    ]
    return PlaceSearchPage(hits=hits, total=total)


def _count(*, column: str, cells: list[int]) -> int:
    if column == FINE_COLUMN:
        return cell_count(cells)
    counted = cell_rows(select="COUNT(*)", table=Place._meta.db_table, column=column, cells=cells)
    return sum(row[0] for row in counted)


def _rows(*, column: str, cells: list[int], columns: list[str]) -> dict:
    """The given columns of every place in the cells, as arrays (`pk`, `lat`, `lon`) and lists.

    Fine cells come from their packs (places.cell_packs) unless categories are wanted.
    Otherwise a plain SQL read, without building a model row per candidate (a 100 km search
    reads tens of thousands); the arrays are filled straight from the rows.
    """
    if column == FINE_COLUMN and "categories" not in columns:
        return cell_candidates(cells, names="search_name" in columns)
    rows = cell_rows(
        select=", ".join(columns), table=Place._meta.db_table, column=column, cells=cells
    )
    count = len(rows)
    found = {
        "pk": np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=count),
        "lat": np.fromiter(map(itemgetter(1), rows), dtype=np.float64, count=count),
        "lon": np.fromiter(map(itemgetter(2), rows), dtype=np.float64, count=count),
    }
    for position, name in enumerate(columns[3:], start=3):
        values = list(map(itemgetter(position), rows))
        if name == "categories":
            # PostgreSQL hands jsonb back decoded; SQLite gives the JSON text.
            values = [raw if isinstance(raw, str) else json.dumps(raw) for raw in values]
        found[name] = values
    return found


def _page_order(
    *, pks: np.ndarray, score: np.ndarray, distance: np.ndarray, limit: int, offset: int
) -> list[int]:
    """Indexes of the page's matches by score, distance, then public id.

    Ties on score and distance are rare, so public ids are read only for the tie groups
    that reach into the page, not for every match.
    """
    order = np.lexsort((distance, -score))
    count = order.size
    start, end = min(offset, count), min(offset + limit, count)
    if start == end:
        return []

    def tied(a: int, b: int) -> bool:
        return score[order[a]] == score[order[b]] and distance[order[a]] == distance[order[b]]

    while start > 0 and tied(start - 1, start):
        start -= 1
    while end < count and tied(end - 1, end):
        end += 1
    segment = [int(i) for i in order[start:end]]
    if any(tied(i, i + 1) for i in range(start, end - 1)):
        public_ids = {
            pk: f"{source}{PUBLIC_ID_SEPARATOR}{external_id}"
            for pk, source, external_id in Place.objects.filter(
                pk__in=[int(pks[i]) for i in segment]
            ).values_list("pk", "source", "external_id")
        }
        segment.sort(key=lambda i: (-score[i], distance[i], public_ids[int(pks[i])]))
    first = min(offset, count) - start
    return segment[first : first + limit]
