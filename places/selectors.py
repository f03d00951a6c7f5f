"""Reading places: hybrid text and geographic search, and lookup by public id."""

from dataclasses import dataclass

import numpy as np

from errors import catalog
from errors.exceptions import ApiError
from places.geometry import circle_cover, distances_m
from places.models import PUBLIC_ID_SEPARATOR, Place
from places.text_match import text_normalize, text_scores

# Bound on the parameters of one `IN (...)` query, well under SQLite's limit.
_CELLS_PER_QUERY = 900
# Scores and distances are compared as sent, so equal-looking results order by id.
SCORE_DECIMALS = 6
DISTANCE_DECIMALS = 2


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
    fields = ["pk", "lat", "lon", "source", "external_id"]
    if query:
        fields.append("search_name")
    if categories:
        fields.append("categories")
    rows = []
    for start in range(0, len(cover.cells), _CELLS_PER_QUERY):
        cells = cover.cells[start : start + _CELLS_PER_QUERY]
        rows.extend(Place.objects.filter(**{f"{cover.column}__in": cells}).values_list(*fields))
    if not rows:
        return PlaceSearchPage(hits=[], total=0)

    columns = list(zip(*rows, strict=True))
    distance = distances_m(lat=lat, lon=lon, lats=np.array(columns[1]), lons=np.array(columns[2]))
    keep = distance <= radius
    if categories:
        wanted = set(categories)
        keep &= np.fromiter(
            (not wanted.isdisjoint(place_categories) for place_categories in columns[-1]),
            dtype=bool,
            count=len(rows),
        )
    geo = np.clip(1.0 - distance / radius, 0.0, 1.0)
    if query:
        text = text_scores(query=query, search_names=columns[5])
        keep &= text > 0
        total_weight = weight_text + weight_geo
        score = (text * weight_text + geo * weight_geo) / total_weight
    else:
        score = geo

    matched = np.flatnonzero(keep)
    score = np.round(score[matched], SCORE_DECIMALS)
    distance = np.round(distance[matched], DISTANCE_DECIMALS)
    public_ids = np.array(
        [f"{columns[3][i]}{PUBLIC_ID_SEPARATOR}{columns[4][i]}" for i in matched], dtype=str
    )
    order = np.lexsort((public_ids, distance, -score))[offset : offset + limit]
    page_pks = [columns[0][matched[i]] for i in order]
    places = Place.objects.in_bulk(page_pks)
    hits = [
        PlaceHit(place=places[pk], score=float(score[i]), distance=float(distance[i]))
        for pk, i in zip(page_pks, order, strict=True)
    ]
    return PlaceSearchPage(hits=hits, total=len(matched))


def place_get(*, public_id: str) -> Place:
    """The place with this public id ("<source>:<external id>"); 404 when there is none."""
    source, separator, external_id = public_id.partition(PUBLIC_ID_SEPARATOR)
    place = None
    if separator:
        place = Place.objects.filter(source=source, external_id=external_id).first()
    if place is None:
        raise ApiError(catalog.GEOG_PLACE_NOT_FOUND, id=public_id)
    return place
