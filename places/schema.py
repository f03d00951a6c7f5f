"""OpenAPI declarations of the places endpoints, with request and response examples."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from errors import catalog
from errors.schema import answer, operation_group
from places import serializers

places_operation = operation_group(tags=["geog-places"])

_PARIS = {
    "id": "geonames:2988507",
    "name": "Paris",
    "category": "capital",
    "categories": ["capital", "city"],
    "location": {"lat": 48.85341, "lon": 2.3488},
    "address": "",
    "city": "Paris",
    "country": "France",
}

_SEARCH_EXAMPLES = [
    OpenApiExample(
        "Text and location",
        value={"location": {"lat": 48.8566, "lon": 2.3522}, "radius": 10000, "query": "pari"},
        request_only=True,
    ),
    OpenApiExample(
        "Nearest places of some categories, second page",
        value={
            "location": {"lat": 48.8566, "lng": 2.3522},
            "radius": 50000,
            "categories": ["city", "town"],
            "limit": 10,
            "offset": 10,
        },
        request_only=True,
    ),
    OpenApiExample(
        "Text weighs more than distance",
        value={
            "location": {"lat": 48.8566, "lon": 2.3522},
            "query": "versailles",
            "radius": 30000,
            "weights": {"text": 0.9, "geo": 0.1},
        },
        request_only=True,
    ),
    OpenApiExample(
        "Forward geocoding: text only, anywhere",
        value={"query": "versailes", "limit": 5},
        request_only=True,
    ),
    OpenApiExample(
        "Results",
        value={
            "results": [{**_PARIS, "score": 0.934512, "distance": 292.41}],
            "total": 1,
            "limit": 20,
            "offset": 0,
        },
        response_only=True,
        status_codes=["200"],
    ),
]


place_search = places_operation(
    operation_id="place_search",
    summary="Search places by text and distance",
    description=(
        "Places within `radius` meters (great-circle) of `location`. Without `query` the "
        "score is geographic (1 at the centre, 0 at the radius), so results come nearest "
        "first. With `query`, only places whose name matches (typo-tolerant) are results "
        "and the score is `text * weights.text + geo * weights.geo` with the weights "
        "normalized. Order: score, then distance, then id, so `offset` pages are stable. "
        "Without `location` (forward geocoding), `query` is required and matched against "
        "every place: results are ranked by text score, then importance (population where "
        "known), then id, and `distance` is null. `limit` values above 1000 count as 1000."
    ),
    request=serializers.PlaceSearchInputSerializer,
    examples=_SEARCH_EXAMPLES,
    responses=answer(serializers.PlaceSearchOutputSerializer, "One page of results"),
    validation=True,
)


place_get = places_operation(
    operation_id="place_get",
    summary="One place by id",
    parameters=[
        OpenApiParameter(
            "place_id",
            str,
            OpenApiParameter.PATH,
            description='The place\'s `id`: "<source>:<id in the source>"',
            examples=[OpenApiExample("Paris", value="geonames:2988507")],
        ),
    ],
    examples=[OpenApiExample("Paris", value=_PARIS, response_only=True, status_codes=["200"])],
    responses=answer(serializers.PlaceOutputSerializer, "The place"),
    errors=(catalog.GEOG_PLACE_NOT_FOUND,),
)


_COMPLETION = {
    "id": _PARIS["id"],
    "name": "Paris",
    "category": "capital",
    "city": "Paris",
    "country": "France",
    "location": _PARIS["location"],
    "score": 0.904334,
}

place_completion_list = places_operation(
    operation_id="place_autocomplete",
    summary="Complete a place name as it is typed",
    description=(
        "Places whose names start with `q` (accents and case ignored) come first; from 4 "
        "characters on, names that start with a string one typo away from `q` follow. Each "
        "group is ranked by importance (population where known) on a log scale; with a "
        "focus (`lat` and `lon`), nearness to it weighs as much: a place in the focus's H3 "
        "area (resolution 3, about 12,000 km²) or up to 3 areas away outranks a far bigger "
        "one of the same name. Served from an index of name prefixes, never a scan."
    ),
    parameters=[serializers.PlaceCompletionInputSerializer],
    examples=[
        OpenApiExample(
            "Completions of 'pari'",
            value={"results": [_COMPLETION]},
            response_only=True,
            status_codes=["200"],
        )
    ],
    responses=answer(serializers.PlaceCompletionListOutputSerializer, "Best first"),
    validation=True,
)


place_reverse = places_operation(
    operation_id="place_reverse",
    summary="The nearest places to a point (reverse geocoding)",
    description=(
        "The `limit` places nearest to (`lat`, `lon`), nearest first, within 50 km "
        "(great-circle); `results` is empty when none is that near. `score` is 1 at the "
        "point and 0 at 50 km."
    ),
    parameters=[serializers.PlaceReverseInputSerializer],
    examples=[
        OpenApiExample(
            "The nearest place",
            value={"results": [{**_PARIS, "score": 0.999877, "distance": 6.14}]},
            response_only=True,
            status_codes=["200"],
        )
    ],
    responses=answer(serializers.PlaceReverseListOutputSerializer, "Nearest first"),
    validation=True,
)
