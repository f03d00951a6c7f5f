import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:places_place_changelist")


@pytest.fixture
def listed_places(place_rows):
    place_rows(
        [
            {"id": "1", "name": "Blue Door Cafe", "lat": 1, "lon": 1, "categories": ["cafe"]},
            {"id": "2", "name": "Harbor Museum", "lat": 1, "lon": 1, "category": "museum"},
            {"id": "3", "name": "Night Bar", "lat": 1, "lon": 1, "categories": ["bar", "cafe"]},
        ],
        source="city",
    )
    place_rows([{"id": "9", "name": "Other Cafe", "lat": 2, "lon": 2}], source="other")


def _names(response) -> set[str]:
    assert response.status_code == 200
    return {place.name for place in response.context["cl"].result_list}


def test_admin_lists_places(admin_client, listed_places):
    assert _names(admin_client.get(CHANGELIST)) == {
        "Blue Door Cafe",
        "Harbor Museum",
        "Night Bar",
        "Other Cafe",
    }


def test_admin_searches_places_by_name(admin_client, listed_places):
    assert _names(admin_client.get(CHANGELIST, {"q": "cafe"})) == {"Blue Door Cafe", "Other Cafe"}


def test_admin_filters_places_by_source(admin_client, listed_places):
    assert _names(admin_client.get(CHANGELIST, {"source": "other"})) == {"Other Cafe"}


def test_admin_category_filter_matches_any_category_of_a_place(admin_client, listed_places):
    response = admin_client.get(CHANGELIST, {"category": "cafe"})
    assert _names(response) == {"Blue Door Cafe", "Night Bar"}
    changelist = response.context["cl"]
    category_filter = changelist.filter_specs[1]
    assert {choice["display"] for choice in category_filter.choices(changelist)} == {
        "All",
        "bar",
        "cafe",
        "museum",
    }
