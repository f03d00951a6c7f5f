"""The places bodies are built without serializers: each builder gives what its serializer
documents in the schema, for any place."""

from hypothesis import given, settings
from hypothesis import strategies as st

from places.completion import Completion
from places.models import Place
from places.selectors import PlaceHit, PlaceSearchPage
from places.serializers import (
    PlaceCompletionListOutputSerializer,
    PlaceOutputSerializer,
    PlaceReverseListOutputSerializer,
    PlaceSearchOutputSerializer,
    place_completion_list_document,
    place_document,
    place_reverse_document,
    place_search_document,
)
from tests.response_shapes import shape_mismatches

texts = st.text(max_size=30)
places = st.builds(
    Place,
    source=st.sampled_from(["osm", "geonames", "overture"]),
    external_id=st.text(min_size=1, max_size=20),
    name=st.text(min_size=1, max_size=30),
    category=texts,
    categories=st.lists(texts, max_size=4),
    lat=st.floats(min_value=-90, max_value=90),
    lon=st.floats(min_value=-180, max_value=180),
    address=texts,
    city=texts,
    country=texts,
)
scores = st.floats(min_value=0, max_value=1)
hits = st.builds(
    PlaceHit,
    place=places,
    score=scores,
    distance=st.none() | st.floats(min_value=0, max_value=100_000),
)
hit_lists = st.lists(hits, max_size=5)


@settings(deadline=None)  # the shape is checked, not the speed
@given(place=places)
def test_a_place_has_the_documented_shape(place):
    assert shape_mismatches(place_document(place), PlaceOutputSerializer()) == []


@settings(deadline=None)  # the shape is checked, not the speed
@given(
    found=hit_lists,
    total=st.integers(min_value=0, max_value=10**6),
    limit=st.integers(min_value=1, max_value=1000),
    offset=st.integers(min_value=0, max_value=10_000),
)
def test_a_search_has_the_documented_shape(found, total, limit, offset):
    page = PlaceSearchPage(hits=found, total=total)
    document = place_search_document(page=page, limit=limit, offset=offset)
    assert shape_mismatches(document, PlaceSearchOutputSerializer()) == []


@settings(deadline=None)  # the shape is checked, not the speed
@given(found=hit_lists)
def test_a_reverse_geocoding_has_the_documented_shape(found):
    document = place_reverse_document(hits=found)
    assert shape_mismatches(document, PlaceReverseListOutputSerializer()) == []


@settings(deadline=None)  # the shape is checked, not the speed
@given(completions=st.lists(st.builds(Completion, place=places, score=scores), max_size=5))
def test_completions_have_the_documented_shape(completions):
    document = place_completion_list_document(completions=completions)
    assert shape_mismatches(document, PlaceCompletionListOutputSerializer()) == []
