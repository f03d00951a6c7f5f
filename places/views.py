"""Places search, geocoding and lookup of the Geog API."""

from rest_framework.response import Response

from accounts.geog_view import GeogView
from accounts.permissions import scope_required
from accounts.rate_limits import organization_rate_limit
from errors.validation import body_validate, query_validate
from places import schema
from places.completion import place_completion_list
from places.selectors import place_get, place_nearest_list, place_search
from places.serializers import (
    PlaceCompletionInputSerializer,
    PlaceReverseInputSerializer,
    PlaceSearchInputSerializer,
    place_completion_list_document,
    place_document,
    place_reverse_document,
    place_search_document,
)
from places.text_match import DEFAULT_GEO_WEIGHT, DEFAULT_TEXT_WEIGHT


class GeogPlacesView(GeogView):
    """Token with `places:read`, counted against the organization's places limit."""

    permission_classes = [scope_required("places:read")]
    throttle_classes = [organization_rate_limit("places")]


class PlaceSearchView(GeogPlacesView):
    @schema.place_search
    def post(self, request):
        data = body_validate(PlaceSearchInputSerializer, request)
        weights = data.get("weights", {"text": DEFAULT_TEXT_WEIGHT, "geo": DEFAULT_GEO_WEIGHT})
        location = data.get("location") or {"lat": None, "lon": None}
        page = place_search(
            lat=location["lat"],
            lon=location["lon"],
            radius=data["radius"],
            query=data.get("query") or None,
            categories=data.get("categories") or None,
            weight_text=weights["text"],
            weight_geo=weights["geo"],
            limit=data["limit"],
            offset=data["offset"],
        )
        return Response(
            place_search_document(page=page, limit=data["limit"], offset=data["offset"])
        )


class PlaceCompletionView(GeogPlacesView):
    @schema.place_completion_list
    def get(self, request):
        data = query_validate(PlaceCompletionInputSerializer, request)
        completions = place_completion_list(
            query=data["q"], lat=data.get("lat"), lon=data.get("lon"), limit=data["limit"]
        )
        return Response(place_completion_list_document(completions=completions))


class PlaceReverseView(GeogPlacesView):
    @schema.place_reverse
    def get(self, request):
        data = query_validate(PlaceReverseInputSerializer, request)
        hits = place_nearest_list(lat=data["lat"], lon=data["lon"], limit=data["limit"])
        return Response(place_reverse_document(hits=hits))


class PlaceDetailView(GeogPlacesView):
    @schema.place_get
    def get(self, request, place_id: str):
        return Response(place_document(place_get(public_id=place_id)))
