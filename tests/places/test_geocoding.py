"""Geocoding endpoints: autocomplete, forward search without a location, reverse."""

import h3
import pytest
from django.db import transaction

from places.models import Place, PlacePrefix
from places.name_runs import name_runs_get
from places.prefix_packs import prefixes_repack
from places.sample_places import sample_features
from places.services import names_prune
from tests.places.factories import PlaceFactory

pytestmark = pytest.mark.django_db

DALLAS = {"lat": 32.7767, "lon": -96.7970}
PARIS_FR = {"lat": 48.8534, "lon": 2.3488}


@pytest.fixture
def towns(place_rows):
    place_rows(
        [
            {"id": "paris-fr", "name": "Paris", "population": 2138551, **PARIS_FR},
            {
                "id": "paris-tx",
                "name": "Paris",
                "population": 24171,
                "lat": 33.6609,
                "lon": -95.5555,
            },
            {"id": "parigi", "name": "Parigné", "population": 800, "lat": 48.33, "lon": -0.06},
            {"id": "pamiers", "name": "Pamiers", "population": 15000, "lat": 43.12, "lon": 1.61},
            {"id": "lyon", "name": "Lyon", "population": 513275, "lat": 45.76, "lon": 4.83},
            {
                "id": "sao",
                "name": "São Paulo",
                "importance": 12325232,
                "lat": -23.55,
                "lon": -46.63,
            },
        ]
    )


@pytest.fixture
def complete(client, places_auth):
    def get(**params):
        return client.get("/v1/places/autocomplete", params, **places_auth)

    return get


@pytest.fixture
def reverse_geocode(client, places_auth):
    def get(**params):
        return client.get("/v1/places/reverse", params, **places_auth)

    return get


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [result["id"] for result in response.json()["results"]]


def test_autocomplete_ranks_prefix_matches_by_population(complete, towns):
    assert _ids(complete(q="pa")) == [
        "test:paris-fr",
        "test:paris-tx",
        "test:pamiers",
        "test:parigi",
    ]


def test_autocomplete_result_has_the_documented_fields(complete, towns):
    (result,) = complete(q="LYO").json()["results"]
    assert result == {
        "id": "test:lyon",
        "name": "Lyon",
        "category": "",
        "city": "",
        "country": "",
        "location": {"lat": 45.76, "lon": 4.83},
        "score": result["score"],
    }
    assert 0 < result["score"] <= 1


def test_autocomplete_ignores_accents_and_case(complete, towns):
    assert _ids(complete(q="PARIGNE")) == ["test:parigi"]
    assert _ids(complete(q="sao p")) == ["test:sao"]
    assert _ids(complete(q="São")) == ["test:sao"]


def test_autocomplete_tolerates_a_typo_after_exact_prefixes(complete, towns):
    assert _ids(complete(q="pqris")) == ["test:paris-fr", "test:paris-tx"]
    assert _ids(complete(q="lyno")) == ["test:lyon"]
    # Exact prefix matches come before any typo match, however important.
    assert _ids(complete(q="pari"))[:3] == ["test:paris-fr", "test:paris-tx", "test:parigi"]


def test_short_queries_are_not_typo_tolerant(complete, towns):
    assert _ids(complete(q="lyn")) == []


def test_focus_lets_a_near_place_outrank_a_bigger_far_one(complete, towns):
    assert _ids(complete(q="paris", **DALLAS))[:2] == ["test:paris-tx", "test:paris-fr"]
    assert _ids(complete(q="paris", **PARIS_FR))[:2] == ["test:paris-fr", "test:paris-tx"]


def test_autocomplete_limit(complete, towns):
    assert len(_ids(complete(q="pa", limit=2))) == 2


def test_long_queries_complete_and_tolerate_typos(complete, place_rows):
    place_rows(
        [
            {
                "id": "a",
                "name": "Saint-Germain-en-Laye",
                "population": 40000,
                "lat": 48.9,
                "lon": 2.09,
            },
            {
                "id": "b",
                "name": "Saint-Germain-des-Prés",
                "population": 500,
                "lat": 48.85,
                "lon": 2.33,
            },
            {"id": "c", "name": "Saint-Gervais", "population": 5000, "lat": 45.89, "lon": 6.71},
        ]
    )
    assert _ids(complete(q="saint germain")) == ["test:a", "test:b"]
    assert _ids(complete(q="saint germain des")) == ["test:b"]
    assert _ids(complete(q="saint gremain")) == ["test:a", "test:b"]


def test_completions_follow_renames_and_new_importance(complete, towns, place_rows):
    place_rows([{"id": "lyon", "name": "Lugdunum", "importance": 1, "lat": 45.76, "lon": 4.83}])
    assert _ids(complete(q="lyon")) == []
    assert _ids(complete(q="lugd")) == ["test:lyon"]
    place_rows(
        [{"id": "paris-tx", "name": "Paris", "population": 9_000_000, "lat": 33.66, "lon": -95.55}]
    )
    assert _ids(complete(q="paris"))[0] == "test:paris-tx"


def test_stale_prefix_packs_are_read_from_rows_until_repacked(complete, towns):
    Place.objects.filter(external_id="lyon").update(importance=10_000_000)
    PlacePrefix.objects.filter(key__in=["l", "ly", "lyo"]).update(
        stale=True, ids="", importances=""
    )
    assert _ids(complete(q="ly")) == ["test:lyon"]
    assert prefixes_repack() > 0
    assert not PlacePrefix.objects.filter(stale=True).exists()
    assert _ids(complete(q="ly")) == ["test:lyon"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": " - "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "pa", "lat": 91, "lon": 0}, "lat"),
        ({"q": "pa", "lat": 0, "lon": 181}, "lon"),
        ({"q": "pa", "lat": "north", "lon": 0}, "lat"),
        ({"q": "pa", "lat": "NaN", "lon": 0}, "lat"),
        ({"q": "pa", "lat": 10}, "lon"),
        ({"q": "pa", "lon": 10}, "lat"),
        ({"q": "pa", "limit": 0}, "limit"),
        ({"q": "pa", "limit": 21}, "limit"),
        ({"q": "pa", "limit": "ten"}, "limit"),
    ],
)
def test_autocomplete_invalid_field_is_one_validation_detail(complete, params, field):
    response = complete(**params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert [detail["field"] for detail in body["details"]] == [field]


def test_geocoding_needs_places_read(client, geog_auth):
    headers = geog_auth(scopes="tiles:read")
    assert client.get("/v1/places/autocomplete", {"q": "pa"}, **headers).status_code == 403
    assert client.get("/v1/places/reverse", {"lat": 0, "lon": 0}, **headers).status_code == 403
    assert client.get("/v1/places/reverse", {"lat": 0, "lon": 0}).status_code == 401


def test_text_search_without_location_ranks_by_text_then_importance(search, towns):
    PlaceFactory(external_id="paris-cafe", name="Paris Cafe", lat=40.0, lon=-3.0)
    response = search({"query": "paris"})
    assert response.status_code == 200
    body = response.json()
    assert [result["id"] for result in body["results"]] == [
        "test:paris-fr",
        "test:paris-tx",
        "test:paris-cafe",
    ]
    assert body["total"] == 3
    assert all(result["distance"] is None for result in body["results"])
    assert body["results"][0]["score"] == 1.0
    assert body["results"][2]["score"] < 1.0


def test_text_search_without_location_tolerates_typos_and_pages(search, towns):
    assert [r["id"] for r in search({"query": "pariss"}).json()["results"]][:2] == [
        "test:paris-fr",
        "test:paris-tx",
    ]
    second = search({"query": "paris", "limit": 1, "offset": 1}).json()
    assert [result["id"] for result in second["results"]] == ["test:paris-tx"]
    assert second["total"] == 2
    assert search({"query": "paris", "offset": 5}).json() == {
        "results": [],
        "total": 2,
        "limit": 20,
        "offset": 5,
    }


def test_text_search_without_location_filters_categories(search, place_rows):
    place_rows(
        [
            {"id": "1", "name": "Blue Cafe", "category": "cafe", "lat": 1, "lon": 1},
            {"id": "2", "name": "Blue Cafe", "category": "bar", "lat": 2, "lon": 2},
        ]
    )
    body = search({"query": "blue cafe", "categories": ["bar"]}).json()
    assert [result["id"] for result in body["results"]] == ["test:2"]
    assert body["total"] == 1


def test_text_search_sees_names_imported_after_the_first_search(search, place_rows):
    place_rows([{"id": "1", "name": "Alpha", "lat": 1, "lon": 1}])
    assert search({"query": "alpha"}).json()["total"] == 1
    place_rows([{"id": "2", "name": "Beta", "lat": 1, "lon": 1}])
    assert search({"query": "beta"}).json()["total"] == 1
    place_rows([{"id": "3", "name": "Gamma", "lat": 1, "lon": 1}], source="other", replace=True)
    assert search({"query": "gamma"}).json()["total"] == 1


def test_distinct_names_are_read_again_only_when_a_write_changed_them(place_rows):
    place_rows([{"id": "1", "name": "Alpha", "lat": 1, "lon": 1}])
    kept = name_runs_get()
    assert kept.names == ["alpha"]
    # The same names again (an update that changes no name): nothing to read again.
    place_rows([{"id": "1", "name": "Alpha", "lat": 2, "lon": 2}])
    assert name_runs_get() is kept
    place_rows([{"id": "2", "name": "Beta", "lat": 1, "lon": 1}])
    assert sorted(name_runs_get().names) == ["alpha", "beta"]
    kept = name_runs_get()
    # A rolled-back write leaves the names, and their version, as they were.
    with pytest.raises(RuntimeError), transaction.atomic():
        place_rows([{"id": "3", "name": "Gamma", "lat": 1, "lon": 1}])
        raise RuntimeError
    assert name_runs_get() is kept
    # Names no place has any more are forgotten.
    Place.objects.filter(external_id="2").delete()
    names_prune()
    assert name_runs_get().names == ["alpha"]


def test_reverse_returns_the_nearest_places_nearest_first(reverse_geocode, place_rows):
    origin = (45.0, 5.0)
    place_rows(
        [
            {"id": "near", "name": "Near", "lat": 45.001, "lon": 5.0},
            {"id": "mid", "name": "Mid", "lat": 45.05, "lon": 5.0},
            {"id": "far", "name": "Far", "lat": 45.3, "lon": 5.0},
            {"id": "beyond", "name": "Beyond", "lat": 45.6, "lon": 5.0},
        ]
    )
    body = reverse_geocode(lat=origin[0], lon=origin[1]).json()
    (nearest,) = body["results"]
    assert nearest["id"] == "test:near"
    expected = h3.great_circle_distance(origin, (45.001, 5.0), unit="m")
    assert nearest["distance"] == pytest.approx(expected, abs=0.01)
    assert _ids(reverse_geocode(lat=origin[0], lon=origin[1], limit=20)) == [
        "test:near",
        "test:mid",
        "test:far",
    ]


def test_reverse_beyond_fifty_km_is_empty(reverse_geocode):
    PlaceFactory(external_id="far", name="Far", lat=46.0, lon=5.0)
    assert reverse_geocode(lat=45.0, lon=5.0).json() == {"results": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": 0}, "lat"),
        ({"lat": 0}, "lon"),
        ({"lat": 90.5, "lon": 0}, "lat"),
        ({"lat": 0, "lon": -181}, "lon"),
        ({"lat": "Infinity", "lon": 0}, "lat"),
        ({"lat": 0, "lon": 0, "limit": 0}, "limit"),
        ({"lat": 0, "lon": 0, "limit": 21}, "limit"),
    ],
)
def test_reverse_invalid_field_is_one_validation_detail(reverse_geocode, params, field):
    response = reverse_geocode(**params)
    assert response.status_code == 400
    assert [detail["field"] for detail in response.json()["details"]] == [field]


def test_import_reads_population_or_importance(place_rows):
    place_rows(
        [
            {"id": "p", "name": "P", "lat": 1, "lon": 1, "population": "1200"},
            {"id": "i", "name": "I", "lat": 1, "lon": 1, "importance": 0.25},
            {"id": "none", "name": "N", "lat": 1, "lon": 1},
            {"id": "bad", "name": "B", "lat": 1, "lon": 1, "population": -3},
            {"id": "worse", "name": "W", "lat": 1, "lon": 1, "importance": True},
        ]
    )
    importance = dict(Place.objects.values_list("external_id", "importance"))
    assert importance == {"p": 1200.0, "i": 0.25, "none": 0.0}


def test_the_sample_carries_each_city_population():
    feature = next(sample_features())
    assert isinstance(feature["properties"]["population"], int)
    assert feature["properties"]["population"] >= 0
