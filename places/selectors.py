"""Reading places: hybrid text and geographic search, forward geocoding (text without a
location), reverse geocoding (nearest places), and lookup by public id."""

import json
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from errors import catalog
from errors.exceptions import ApiError
from errors.validation import text_storable
from places.cell_packs import cell_candidates, cell_count
from places.cell_rows import cell_rows
from places.coarse_counts import coarse_count
from places.geometry import FINE_COLUMN, CellCover, circle_cover, distances_m, fine_rings
from places.models import PUBLIC_ID_SEPARATOR, Place
from places.name_rows import name_counts, name_page, name_rows
from places.name_runs import name_runs_get
from places.place_rows import places_by_pk
from places.text_match import (
    DEFAULT_GEO_WEIGHT,
    DEFAULT_TEXT_WEIGHT,
    text_normalize,
    text_scores,
)

# Scores and distances are compared as sent, so equal-looking results order by id.
SCORE_DECIMALS = 6
DISTANCE_DECIMALS = 2
# Fine rings a geo-only search walks before reading whole cover cells (12 rings of
# resolution 8: about 6 km around the point, 469 cells).
NEAREST_FINE_RINGS = 12
# Rings of the first band a nearest-first search reads (0 to 2: 19 cells, about 1.5 km
# around the point), where a dense area's page lies.
FIRST_RING_BAND = 2
# How far reverse geocoding looks for places.
REVERSE_RADIUS_M = 50_000


@dataclass(frozen=True)
class PlaceHit:
    place: Place
    score: float
    distance: float | None


@dataclass(frozen=True)
class PlaceSearchPage:
    hits: list[PlaceHit]
    total: int


def place_search(
    *,
    lat: float | None,
    lon: float | None,
    radius: float,
    query: str | None = None,
    categories: list[str] | None = None,
    weight_text: float = DEFAULT_TEXT_WEIGHT,
    weight_geo: float = DEFAULT_GEO_WEIGHT,
    limit: int = 20,
    offset: int = 0,
) -> PlaceSearchPage:
    """Places within `radius` meters matching the query and categories, best first; without
    a location, places anywhere matching the query."""
    if query is not None and not text_normalize(query):
        query = None  # nothing to match: punctuation or spaces only
    if lat is None or lon is None:
        if not query:
            return PlaceSearchPage(hits=[], total=0)
        return _text_page(query=query, categories=categories, limit=limit, offset=offset)
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


def place_nearest_list(*, lat: float, lon: float, limit: int = 1) -> list[PlaceHit]:
    """The `limit` places nearest to the point within `REVERSE_RADIUS_M`, nearest first."""
    pks, distance = _nearest(cover=None, lat=lat, lon=lon, radius=REVERSE_RADIUS_M, wanted=limit)
    return _page(
        pks=pks,
        score=np.clip(1.0 - distance / REVERSE_RADIUS_M, 0.0, 1.0),
        distance=distance,
        total=int(pks.size),
        limit=limit,
        offset=0,
    ).hits


def place_get(*, public_id: str) -> Place:
    """The place with this public id ("<source>:<external id>"); 404 when there is none."""
    source, separator, external_id = public_id.partition(PUBLIC_ID_SEPARATOR)
    place = None
    if separator and text_storable(public_id):
        place = Place.objects.filter(source=source, external_id=external_id).first()
    if place is None:
        raise ApiError(catalog.GEOG_PLACE_NOT_FOUND, id=public_id)
    return place


def _nearest_page(
    *, cover: CellCover, lat: float, lon: float, radius: float, limit: int, offset: int
) -> PlaceSearchPage:
    """A geo-only page: score is distance, so only the nearest places need reading.

    Cells entirely inside the circle are counted from the cell index and the cells on the
    edge read to count exactly; the page comes from `_nearest`, which starts from the edge
    cells already read.
    """
    cells = np.array(cover.cells, dtype=np.int64)
    inside = cover.interior(radius)
    total = _count(column=cover.column, cells=cells[inside].tolist())
    edge = _rows(column=cover.column, cells=cells[~inside].tolist(), columns=["id", "lat", "lon"])
    edge_distance = distances_m(lat=lat, lon=lon, lats=edge["lat"], lons=edge["lon"])
    within = edge_distance <= radius
    total += int(within.sum())
    pks, distance = _nearest(
        cover=cover,
        lat=lat,
        lon=lon,
        radius=radius,
        wanted=offset + limit,
        known=(edge["pk"][within], edge_distance[within], ~inside),
    )
    return _page(
        pks=pks,
        score=np.clip(1.0 - distance / radius, 0.0, 1.0),
        distance=distance,
        total=total,
        limit=limit,
        offset=offset,
    )


def _nearest(
    *,
    cover: CellCover | None,
    lat: float,
    lon: float,
    radius: float,
    wanted: int,
    known: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Places within `radius` of the point, as ids and distances: at least the `wanted`
    nearest (all of them when fewer), read outward only until no unread cell can hold one.

    In a dense area the page lies within a few hundred metres: fine cells are read outward
    in bands of rings, one query a band. Once a page's worth is found, the next band reaches
    just as far as a nearer place could be; until then, each band is as wide as all before
    it. Where the rings do not reach far enough, the cover's cells are read nearest first,
    in growing batches (the cover is only computed then, when not given). `known` are
    places already read from some of the cover's cells (ids, distances, and which cells).
    """
    rings = fine_rings(lat=lat, lon=lon, rings=NEAREST_FINE_RINGS)
    ring_pks: list[np.ndarray] = []
    ring_distances: list[np.ndarray] = []
    read, band_end = 0, FIRST_RING_BAND
    while read <= NEAREST_FINE_RINGS:
        band = [cell for cells, _ in rings[read : band_end + 1] for cell in cells]
        found = _rows(column=FINE_COLUMN, cells=band, columns=["id", "lat", "lon"])
        found_distance = distances_m(lat=lat, lon=lon, lats=found["lat"], lons=found["lon"])
        close = found_distance <= radius
        ring_pks.append(found["pk"][close])
        ring_distances.append(found_distance[close])
        so_far = np.concatenate(ring_distances)
        read, beyond = band_end + 1, rings[band_end][1]
        if beyond > radius:
            return np.concatenate(ring_pks), so_far
        if so_far.size >= wanted:
            farthest_needed = np.partition(so_far, wanted - 1)[wanted - 1]
            if farthest_needed < beyond:
                return np.concatenate(ring_pks), so_far
            # The rings up to the first whose far side is past the page's farthest place.
            band_end = next(
                (step for step in range(read, len(rings)) if rings[step][1] > farthest_needed),
                NEAREST_FINE_RINGS,
            )
        else:
            band_end = min(2 * read, NEAREST_FINE_RINGS)

    # Sparse area: the cover's cells nearest first.
    if cover is None:
        cover = circle_cover(lat=lat, lon=lon, radius_m=radius)
    cells = np.array(cover.cells, dtype=np.int64)
    unread = np.ones(cells.size, dtype=bool)
    pks: list[np.ndarray] = []
    distances: list[np.ndarray] = []
    if known is not None:
        pks.append(known[0])
        distances.append(known[1])
        unread &= ~known[2]
    nearest = cover.nearest_possible()
    by_nearest = np.flatnonzero(unread)[np.argsort(nearest[unread], kind="stable")]
    read, chunk = 0, 8
    while read < by_nearest.size:
        found = np.concatenate(distances) if distances else np.zeros(0)
        if found.size >= wanted:
            # The page is complete once no unread cell can hold a nearer place.
            farthest_needed = np.partition(found, wanted - 1)[wanted - 1]
            if farthest_needed < nearest[by_nearest[read]]:
                break
        batch = cells[by_nearest[read : read + chunk]].tolist()
        rows = _rows(column=cover.column, cells=batch, columns=["id", "lat", "lon"])
        row_distance = distances_m(lat=lat, lon=lon, lats=rows["lat"], lons=rows["lon"])
        close = row_distance <= radius
        pks.append(rows["pk"][close])
        distances.append(row_distance[close])
        read += chunk
        chunk *= 2
    if not pks:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(pks), np.concatenate(distances)


def _text_page(
    *, query: str, categories: list[str] | None, limit: int, offset: int
) -> PlaceSearchPage:
    """Forward geocoding: places anywhere whose name matches, by text score then importance.

    The query is scored against the distinct names (places.name_runs); the places of the
    matching names are counted from the names' index alone (`COUNT(*)`, no row visited),
    and only the page is read, group by group of names of equal score, unless categories
    filter them (then all are read).
    """
    names = name_runs_get()
    scores = names.scores(query)
    matched = np.flatnonzero(scores > 0)
    if not matched.size:
        return PlaceSearchPage(hits=[], total=0)
    by_score: dict[float, list[str]] = {}
    for index in matched.tolist():
        by_score.setdefault(round(float(scores[index]), SCORE_DECIMALS), []).append(
            names.names[index]
        )
    groups = sorted(by_score.items(), reverse=True)
    if categories:
        return _text_page_read(groups, categories=categories, limit=limit, offset=offset)
    counts = name_counts([name for _, group in groups for name in group])
    total = sum(counts.values())
    # Each score group ordered and sliced in SQL, only the groups the page reaches.
    pages: list[tuple[float, list[int]]] = []
    skip, take = offset, limit
    for score, group in groups:
        size = sum(counts.get(name, 0) for name in group)
        if skip >= size:
            skip -= size
            continue
        pks = name_page(group, skip=skip, take=take)
        pages.append((score, pks))
        skip, take = 0, take - len(pks)
        if not take:
            break
    places = places_by_pk([pk for _, pks in pages for pk in pks])
    hits = [
        PlaceHit(place=places[pk], score=score, distance=None)
        for score, pks in pages
        for pk in pks
        if pk in places
    ]
    return PlaceSearchPage(hits=hits, total=total)


def _text_page_read(
    groups: list[tuple[float, list[str]]], *, categories: list[str] | None, limit: int, offset: int
) -> PlaceSearchPage:
    """The page among the places of these names (score groups), read whole."""
    score_of = {name: score for score, group in groups for name in group}
    if not score_of:
        return PlaceSearchPage(hits=[], total=0)
    columns = ["id", "search_name", "importance"] + (["categories"] if categories else [])
    rows = name_rows(select=", ".join(columns), names=list(score_of))
    if categories:
        wanted = set(categories)
        rows = [row for row in rows if not wanted.isdisjoint(json.loads(row[3]))]
    count = len(rows)
    pks = np.fromiter((row[0] for row in rows), np.int64, count)
    score = np.fromiter((score_of[row[1]] for row in rows), np.float64, count)
    importance = np.fromiter((row[2] for row in rows), np.float64, count)
    # Importance orders where `_page_order` puts distance: ascending, so negated.
    page = _page_order(pks=pks, score=score, distance=-importance, limit=limit, offset=offset)
    places = places_by_pk([int(pks[i]) for i in page])
    hits = [
        PlaceHit(place=places[int(pks[i])], score=float(score[i]), distance=None)
        for i in page
        if int(pks[i]) in places
    ]
    return PlaceSearchPage(hits=hits, total=count)


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
    places = places_by_pk([int(pks[i]) for i in page])
    hits = [
        PlaceHit(place=places[int(pks[i])], score=float(score[i]), distance=float(distance[i]))
        for i in page
        if int(pks[i]) in places
    ]
    return PlaceSearchPage(hits=hits, total=total)


def _count(*, column: str, cells: list[int]) -> int:
    return cell_count(cells) if column == FINE_COLUMN else coarse_count(cells)


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
        tied_rows = cell_rows(
            select="id, source, external_id",
            table=Place._meta.db_table,
            column="id",
            cells=[int(pks[i]) for i in segment],
        )
        public_ids = {
            pk: f"{source}{PUBLIC_ID_SEPARATOR}{external_id}"
            for pk, source, external_id in tied_rows
        }
        segment.sort(key=lambda i: (-score[i], distance[i], public_ids.get(int(pks[i]), "")))
    first = min(offset, count) - start
    return segment[first : first + limit]
