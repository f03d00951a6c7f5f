"""Bodies of the places API.

A search answers up to a thousand places, and rendering them through a serializer costs
about fifteen times building the same dicts (26 ms against 1.7 ms for 1,000 results). So
the output serializers document the bodies for the schema, and the `place…document`
builder beside each one builds them; tests/places/test_response_shapes.py proves on
generated places that every builder gives what its serializer declares.
"""

import math
from collections.abc import Iterable

from rest_framework import serializers

from places.completion import Completion
from places.models import Place
from places.selectors import PlaceHit, PlaceSearchPage
from places.text_match import DEFAULT_GEO_WEIGHT, DEFAULT_TEXT_WEIGHT, text_normalize

RADIUS_DEFAULT_M = 5000
RADIUS_MAX_M = 100_000
QUERY_MAX_LENGTH = 200
CATEGORIES_MAX = 20
LIMIT_DEFAULT = 20
LIMIT_MAX = 1000
OFFSET_MAX = 10_000
COMPLETION_QUERY_MAX_LENGTH = 100
COMPLETION_LIMIT_DEFAULT = 10
COMPLETION_LIMIT_MAX = 20
REVERSE_LIMIT_DEFAULT = 1
REVERSE_LIMIT_MAX = 20


class FiniteFloatField(serializers.FloatField):
    """A float that is a real number: "NaN", "Infinity" and booleans are invalid."""

    def to_internal_value(self, data):
        # Python counts `True` as 1: JSON `true` is no number.
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class StrictIntegerField(serializers.IntegerField):
    """An integer that is a JSON number or numeric string: booleans are invalid."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlaceOutputSerializer(serializers.Serializer):
    class LocationSerializer(serializers.Serializer):
        lat = serializers.FloatField()
        lon = serializers.FloatField()

        class Meta:
            ref_name = "GeogPlaceLocation"

    id = serializers.CharField(help_text='Stable: "<source>:<id in the source>"')
    name = serializers.CharField()
    category = serializers.CharField(help_text="Primary category")
    categories = serializers.ListField(child=serializers.CharField())
    location = LocationSerializer()
    address = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()

    class Meta:
        ref_name = "GeogPlace"


def place_document(place: Place) -> dict:
    """The body PlaceOutputSerializer documents."""
    return {
        "id": place.public_id,
        "name": place.name,
        "category": place.category,
        "categories": place.categories,
        "location": {"lat": place.lat, "lon": place.lon},
        "address": place.address,
        "city": place.city,
        "country": place.country,
    }


class PlaceHitOutputSerializer(PlaceOutputSerializer):
    score = serializers.FloatField(help_text="0..1, higher is better")
    distance = serializers.FloatField(
        allow_null=True,
        help_text="Meters from the search location, great-circle; null without a location",
    )

    class Meta:
        ref_name = "GeogPlaceSearchResult"


def place_hit_document(hit: PlaceHit) -> dict:
    """The body PlaceHitOutputSerializer documents."""
    document = place_document(hit.place)
    document["score"] = hit.score
    document["distance"] = hit.distance
    return document


class PlaceSearchInputSerializer(serializers.Serializer):
    class LocationSerializer(serializers.Serializer):
        lat = FiniteFloatField(min_value=-90, max_value=90)
        lon = FiniteFloatField(min_value=-180, max_value=180, required=False)
        lng = FiniteFloatField(
            min_value=-180, max_value=180, required=False, help_text="Accepted for `lon`"
        )

        class Meta:
            ref_name = "GeogPlaceSearchLocation"

        def validate(self, attrs: dict) -> dict:
            if "lon" not in attrs and "lng" not in attrs:
                raise serializers.ValidationError(
                    {"lon": serializers.ErrorDetail("This field is required.", "required")}
                )
            lon = attrs.get("lon", attrs.get("lng"))
            return {"lat": attrs["lat"], "lon": lon}

    class WeightsSerializer(serializers.Serializer):
        text = FiniteFloatField(min_value=0, max_value=1, default=DEFAULT_TEXT_WEIGHT)
        geo = FiniteFloatField(min_value=0, max_value=1, default=DEFAULT_GEO_WEIGHT)

        class Meta:
            ref_name = "GeogPlaceSearchWeights"

        def validate(self, attrs: dict) -> dict:
            if attrs["text"] == 0 and attrs["geo"] == 0:
                raise serializers.ValidationError("Weights text and geo must not both be 0.")
            return attrs

    location = LocationSerializer(
        required=False, help_text="Without it, `query` is required and searched everywhere"
    )
    radius = FiniteFloatField(
        min_value=1,
        max_value=RADIUS_MAX_M,
        default=RADIUS_DEFAULT_M,
        help_text="Meters; only with a location",
    )
    query = serializers.CharField(
        max_length=QUERY_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Typo-tolerant match on the name",
    )
    categories = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=CATEGORIES_MAX,
        required=False,
        help_text="A place matches when it has any of them",
    )
    limit = StrictIntegerField(
        min_value=1, default=LIMIT_DEFAULT, help_text=f"Values above {LIMIT_MAX} count as it"
    )
    offset = StrictIntegerField(min_value=0, max_value=OFFSET_MAX, default=0)
    weights = WeightsSerializer(required=False)

    class Meta:
        ref_name = "GeogPlaceSearchInput"

    def validate_limit(self, value: int) -> int:
        return min(value, LIMIT_MAX)

    def validate(self, attrs: dict) -> dict:
        if "location" not in attrs:
            errors = {}
            if not text_normalize(attrs.get("query") or ""):
                errors["query"] = serializers.ErrorDetail(
                    "A query is required without a location.", "required"
                )
            if "radius" in self.initial_data:
                errors["radius"] = serializers.ErrorDetail("A radius needs a location.", "invalid")
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def validate_query(self, value: str) -> str:
        # Emoji, punctuation or combining marks alone match nothing: no silent "no query".
        if value and not text_normalize(value):
            raise serializers.ValidationError("Must contain a letter or a digit")
        return value


class PlaceSearchOutputSerializer(serializers.Serializer):
    results = PlaceHitOutputSerializer(many=True)
    total = serializers.IntegerField(help_text="Every match, over all pages")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()

    class Meta:
        ref_name = "GeogPlaceSearch"


def place_search_document(*, page: PlaceSearchPage, limit: int, offset: int) -> dict:
    """The body PlaceSearchOutputSerializer documents."""
    return {
        "results": [place_hit_document(hit) for hit in page.hits],
        "total": page.total,
        "limit": limit,
        "offset": offset,
    }


class PlaceCompletionInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=COMPLETION_QUERY_MAX_LENGTH,
        help_text="What has been typed: the start of a name, a typo allowed",
    )
    lat = FiniteFloatField(min_value=-90, max_value=90, required=False, help_text="Focus")
    lon = FiniteFloatField(min_value=-180, max_value=180, required=False, help_text="Focus")
    limit = serializers.IntegerField(
        min_value=1, max_value=COMPLETION_LIMIT_MAX, default=COMPLETION_LIMIT_DEFAULT
    )

    class Meta:
        ref_name = "GeogPlaceCompletionInput"

    def validate_q(self, value: str) -> str:
        if not text_normalize(value):
            raise serializers.ValidationError("Must hold a letter or a digit.", "invalid")
        return value

    def validate(self, attrs: dict) -> dict:
        if ("lat" in attrs) != ("lon" in attrs):
            missing = "lon" if "lat" in attrs else "lat"
            raise serializers.ValidationError(
                {
                    missing: serializers.ErrorDetail(
                        "lat and lon go together: give both or neither.", "required"
                    )
                }
            )
        return attrs


class PlaceCompletionOutputSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='Stable: "<source>:<id in the source>"')
    name = serializers.CharField()
    category = serializers.CharField(help_text="Primary category")
    city = serializers.CharField()
    country = serializers.CharField()
    location = PlaceOutputSerializer.LocationSerializer()
    score = serializers.FloatField(help_text="0..1: importance, and nearness with a focus")

    class Meta:
        ref_name = "GeogPlaceCompletion"


class PlaceCompletionListOutputSerializer(serializers.Serializer):
    results = PlaceCompletionOutputSerializer(many=True)

    class Meta:
        ref_name = "GeogPlaceCompletions"


def place_completion_list_document(*, completions: Iterable[Completion]) -> dict:
    """The body PlaceCompletionListOutputSerializer documents."""
    return {"results": [_completion_document(completion) for completion in completions]}


def _completion_document(completion: Completion) -> dict:
    place = completion.place
    return {
        "id": place.public_id,
        "name": place.name,
        "category": place.category,
        "city": place.city,
        "country": place.country,
        "location": {"lat": place.lat, "lon": place.lon},
        "score": completion.score,
    }


class PlaceReverseInputSerializer(serializers.Serializer):
    lat = FiniteFloatField(min_value=-90, max_value=90)
    lon = FiniteFloatField(min_value=-180, max_value=180)
    limit = serializers.IntegerField(
        min_value=1, max_value=REVERSE_LIMIT_MAX, default=REVERSE_LIMIT_DEFAULT
    )

    class Meta:
        ref_name = "GeogPlaceReverseInput"


class PlaceReverseListOutputSerializer(serializers.Serializer):
    results = PlaceHitOutputSerializer(many=True, help_text="Nearest first; [] beyond 50 km")

    class Meta:
        ref_name = "GeogPlaceReverse"


def place_reverse_document(*, hits: Iterable[PlaceHit]) -> dict:
    """The body PlaceReverseListOutputSerializer documents."""
    return {"results": [place_hit_document(hit) for hit in hits]}
