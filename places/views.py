"""Places search and lookup of the Geog API."""

import math

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.geog_authentication import GeogTokenAuthentication
from authn.geog_permissions import scope_required
from errors.validation import body_validate
from places.models import Place
from places.schema import place_detail_schema, place_search_schema
from places.selectors import PlaceHit, place_get, place_search
from tiles.rate_limits import RateLimitedMixin

RADIUS_DEFAULT_M = 5000
RADIUS_MAX_M = 100_000
QUERY_MAX_LENGTH = 200
CATEGORIES_MAX = 20
LIMIT_DEFAULT = 20
LIMIT_MAX = 1000
OFFSET_MAX = 10_000


class FiniteFloatField(serializers.FloatField):
    """A float that is a real number: "NaN" and "Infinity" strings are invalid."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


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


class PlaceHitOutputSerializer(PlaceOutputSerializer):
    score = serializers.FloatField(help_text="0..1, higher is better")
    distance = serializers.FloatField(help_text="Meters from the search location, great-circle")

    class Meta:
        ref_name = "GeogPlaceSearchResult"


class GeogPlacesView(RateLimitedMixin, APIView):
    """Token with `places:read`, counted against the organization's places limit."""

    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [scope_required("places:read")]
    rate_limit_family = "places"


class PlaceSearchView(GeogPlacesView):
    class InputSerializer(serializers.Serializer):
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
            text = FiniteFloatField(min_value=0, max_value=1, default=0.6)
            geo = FiniteFloatField(min_value=0, max_value=1, default=0.4)

            class Meta:
                ref_name = "GeogPlaceSearchWeights"

            def validate(self, attrs: dict) -> dict:
                if attrs["text"] == 0 and attrs["geo"] == 0:
                    raise serializers.ValidationError("Weights text and geo must not both be 0.")
                return attrs

        location = LocationSerializer()
        radius = FiniteFloatField(
            min_value=1, max_value=RADIUS_MAX_M, default=RADIUS_DEFAULT_M, help_text="Meters"
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
        limit = serializers.IntegerField(
            min_value=1, default=LIMIT_DEFAULT, help_text=f"Values above {LIMIT_MAX} count as it"
        )
        offset = serializers.IntegerField(min_value=0, max_value=OFFSET_MAX, default=0)
        weights = WeightsSerializer(required=False)

        class Meta:
            ref_name = "GeogPlaceSearchInput"

        def validate_limit(self, value: int) -> int:
            return min(value, LIMIT_MAX)

    class OutputSerializer(serializers.Serializer):
        results = PlaceHitOutputSerializer(many=True)
        total = serializers.IntegerField(help_text="Every match, over all pages")
        limit = serializers.IntegerField()
        offset = serializers.IntegerField()

        class Meta:
            ref_name = "GeogPlaceSearch"

    @place_search_schema(input_serializer=InputSerializer, output_serializer=OutputSerializer)
    def post(self, request):
        data = body_validate(self.InputSerializer, request)
        weights = data.get("weights", {"text": 0.6, "geo": 0.4})
        page = place_search(
            lat=data["location"]["lat"],
            lon=data["location"]["lon"],
            radius=data["radius"],
            query=data.get("query") or None,
            categories=data.get("categories") or None,
            weight_text=weights["text"],
            weight_geo=weights["geo"],
            limit=data["limit"],
            offset=data["offset"],
        )
        # The documents already have the output shape; a serializer pass over a thousand
        # results would cost more than the search.
        return Response(
            {
                "results": [_hit_document(hit) for hit in page.hits],
                "total": page.total,
                "limit": data["limit"],
                "offset": data["offset"],
            }
        )


class PlaceDetailView(GeogPlacesView):
    @place_detail_schema(output_serializer=PlaceOutputSerializer)
    def get(self, request, place_id: str):
        return Response(_place_document(place_get(public_id=place_id)))


def _place_document(place: Place) -> dict:
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


def _hit_document(hit: PlaceHit) -> dict:
    document = _place_document(hit.place)
    document["score"] = hit.score
    document["distance"] = hit.distance
    return document
