import h3
import pytest

from tests.places.factories import PlaceFactory

pytestmark = pytest.mark.django_db

PARIS = {"lat": 48.8566, "lon": 2.3522}
METERS_PER_DEGREE_LAT = 111_195.0


def _north_of(centre: dict, meters: float) -> tuple[float, float]:
    return centre["lat"] + meters / METERS_PER_DEGREE_LAT, centre["lon"]


def _place(place_id: str, name: str, meters_north: float, **fields) -> dict:
    lat, lon = _north_of(PARIS, meters_north)
    return {"id": place_id, "name": name, "lat": lat, "lon": lon, **fields}


@pytest.fixture
def paris_places(place_rows):
    place_rows(
        [
            _place("louvre", "Musée du Louvre", 1200, category="museum", city="Paris"),
            _place("orsay", "Musée d'Orsay", 2500, categories=["museum", "landmark"]),
            _place("cafe-1", "Café de Flore", 300, category="cafe", address="172 Bd St-Germain"),
            _place("cafe-2", "Cafe Louvre", 4000, category="cafe", country="France"),
            _place("far", "Louvre Lens", 9000, category="museum"),
        ]
    )


def test_geo_only_search_returns_places_within_radius_nearest_first(search, paris_places):
    response = search({"location": PARIS, "radius": 5000})
    assert response.status_code == 200
    body = response.json()
    assert [place["id"] for place in body["results"]] == [
        "test:cafe-1",
        "test:louvre",
        "test:orsay",
        "test:cafe-2",
    ]
    assert body["total"] == 4
    assert body["limit"] == 20
    assert body["offset"] == 0
    scores = [place["score"] for place in body["results"]]
    assert scores == sorted(scores, reverse=True)
    first = body["results"][0]
    assert first["distance"] == pytest.approx(300, rel=0.003)
    assert first["score"] == pytest.approx(1 - first["distance"] / 5000, abs=1e-6)


def test_result_carries_every_field_of_a_place(search, paris_places):
    body = search({"location": PARIS, "radius": 1000}).json()
    (result,) = body["results"]
    lat, lon = _north_of(PARIS, 300)
    assert result == {
        "id": "test:cafe-1",
        "name": "Café de Flore",
        "category": "cafe",
        "categories": ["cafe"],
        "location": {"lat": lat, "lon": lon},
        "distance": result["distance"],
        "score": result["score"],
        "address": "172 Bd St-Germain",
        "city": "",
        "country": "",
    }


def test_distance_is_great_circle_meters_from_the_request_location(search):
    PlaceFactory(external_id="east", name="East", lat=60.0, lon=10.05)
    body = search({"location": {"lat": 60.0, "lon": 10.0}, "radius": 10000}).json()
    # 0.05 degrees of longitude at 60° north is about 2780 m along the great circle.
    expected = h3.great_circle_distance((60.0, 10.0), (60.0, 10.05), unit="m")
    assert body["results"][0]["distance"] == pytest.approx(expected, abs=0.01)
    assert 2770 < body["results"][0]["distance"] < 2790


def test_place_just_outside_radius_is_not_a_result(search, place_rows):
    place_rows([_place("in", "Inside", 999), _place("out", "Outside", 1001)])
    body = search({"location": PARIS, "radius": 1000}).json()
    assert [place["id"] for place in body["results"]] == ["test:in"]
    assert body["total"] == 1


def test_query_keeps_only_matching_names_and_tolerates_typos(search, paris_places):
    body = search({"location": PARIS, "radius": 5000, "query": "louvre"}).json()
    assert {place["id"] for place in body["results"]} == {"test:louvre", "test:cafe-2"}
    typo = search({"location": PARIS, "radius": 5000, "query": "lovre"}).json()
    assert {place["id"] for place in typo["results"]} == {"test:louvre", "test:cafe-2"}
    accents = search({"location": PARIS, "radius": 5000, "query": "MUSEE D ORSAY"}).json()
    assert [place["id"] for place in accents["results"]] == ["test:orsay"]


def test_query_score_mixes_text_and_geo_with_normalized_weights(search, place_rows):
    place_rows([_place("exact", "Louvre", 2500)])
    body = search(
        {
            "location": PARIS,
            "radius": 5000,
            "query": "louvre",
            "weights": {"text": 3 / 10, "geo": 1 / 10},
        }
    ).json()
    (result,) = body["results"]
    geo = 1 - result["distance"] / 5000
    assert result["score"] == pytest.approx(0.75 * 1.0 + 0.25 * geo, abs=1e-6)


def test_default_weights_are_text_point_six_and_geo_point_four(search, place_rows):
    place_rows([_place("exact", "Louvre", 2500)])
    (result,) = search({"location": PARIS, "radius": 5000, "query": "louvre"}).json()["results"]
    geo = 1 - result["distance"] / 5000
    assert result["score"] == pytest.approx(0.6 + 0.4 * geo, abs=1e-6)


def test_better_text_match_ranks_before_nearer_place(search, place_rows):
    place_rows([_place("near", "Louvre Cafe Annex", 100), _place("exact", "Louvre", 4000)])
    body = search(
        {"location": PARIS, "radius": 5000, "query": "louvre", "weights": {"text": 1, "geo": 0}}
    ).json()
    assert [place["id"] for place in body["results"]] == ["test:exact", "test:near"]


def test_equal_scores_order_by_distance_then_id(search, place_rows):
    place_rows(
        [
            _place("b", "Twin", 1000),
            _place("a", "Twin", 1000),
            _place("c", "Twin", 500),
        ]
    )
    body = search(
        {"location": PARIS, "radius": 5000, "query": "twin", "weights": {"text": 1, "geo": 0}}
    ).json()
    assert [place["id"] for place in body["results"]] == ["test:c", "test:a", "test:b"]
    assert len({place["score"] for place in body["results"]}) == 1


def test_unrelated_query_matches_nothing(search, paris_places):
    body = search({"location": PARIS, "radius": 5000, "query": "zzzz qqqq"}).json()
    assert body == {"results": [], "total": 0, "limit": 20, "offset": 0}


def test_categories_filter_keeps_places_with_any_of_them(search, paris_places):
    body = search({"location": PARIS, "radius": 5000, "categories": ["landmark", "cafe"]}).json()
    assert [place["id"] for place in body["results"]] == [
        "test:cafe-1",
        "test:orsay",
        "test:cafe-2",
    ]


def test_pages_by_offset_are_stable_and_total_counts_all(search, place_rows):
    place_rows([_place(f"p{i:02d}", f"Place {i}", 100 + (i % 7) * 10) for i in range(30)])
    pages = [
        search({"location": PARIS, "radius": 5000, "limit": 7, "offset": offset}).json()
        for offset in range(0, 35, 7)
    ]
    assert all(page["total"] == 30 for page in pages)
    ids = [place["id"] for page in pages for place in page["results"]]
    assert len(ids) == len(set(ids)) == 30
    whole = search({"location": PARIS, "radius": 5000, "limit": 100}).json()
    assert ids == [place["id"] for place in whole["results"]]


def test_limit_above_maximum_is_capped_not_refused(search, paris_places):
    body = search({"location": PARIS, "radius": 5000, "limit": 5000}).json()
    assert body["limit"] == 1000
    assert body["total"] == 4


def test_lng_is_accepted_for_lon(search, paris_places):
    body = search({"location": {"lat": PARIS["lat"], "lng": PARIS["lon"]}, "radius": 1000}).json()
    assert [place["id"] for place in body["results"]] == ["test:cafe-1"]


def test_search_with_nothing_in_range_is_an_empty_page(search, paris_places):
    body = search({"location": {"lat": -40, "lon": -70}}).json()
    assert body == {"results": [], "total": 0, "limit": 20, "offset": 0}


def _details(response) -> list[dict]:
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["message"] == "Validation failed"
    assert body["success"] is False
    assert body["error"] == "Bad Request"
    return body["details"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "query"),
        ({"query": " ,; "}, "query"),
        ({"query": "paris", "radius": 1000}, "radius"),
        ({"query": "paris", "location": {"lon": 2}}, "location.lat"),
        ({"location": {"lat": 91, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 0, "lon": -180.5}}, "location.lon"),
        ({"location": {"lat": 0, "lng": 181}}, "location.lng"),
        ({"location": {"lat": 0}}, "location.lon"),
        ({"location": {"lat": "north", "lon": 0}}, "location.lat"),
        ({"location": {"lat": "NaN", "lon": 0}}, "location.lat"),
        ({"location": PARIS, "radius": 0}, "radius"),
        ({"location": PARIS, "radius": 100_001}, "radius"),
        ({"location": PARIS, "query": "x" * 201}, "query"),
        ({"location": PARIS, "categories": ["a"] * 21}, "categories"),
        ({"location": PARIS, "categories": "cafe"}, "categories"),
        ({"location": PARIS, "limit": 0}, "limit"),
        ({"location": PARIS, "offset": -1}, "offset"),
        ({"location": PARIS, "offset": 10_001}, "offset"),
        ({"location": PARIS, "weights": {"text": 1.5, "geo": 0}}, "weights.text"),
        ({"location": PARIS, "weights": {"text": 0.5, "geo": -1}}, "weights.geo"),
        ({"location": PARIS, "weights": {"text": 0, "geo": 0}}, "weights"),
    ],
)
def test_invalid_field_is_one_validation_detail_naming_it(search, body, field):
    details = _details(search(body))
    assert [detail["field"] for detail in details] == [field]
    assert details[0]["message"]


def test_each_invalid_field_gets_its_own_detail(search):
    details = _details(
        search({"location": {"lat": 100, "lon": 0}, "radius": -5, "limit": 0, "offset": -1})
    )
    assert sorted(detail["field"] for detail in details) == [
        "limit",
        "location.lat",
        "offset",
        "radius",
    ]


def test_malformed_json_body_is_a_validation_error_on_body(client, places_auth):
    response = client.post(
        "/v1/places/search", "{not json", content_type="application/json", **places_auth
    )
    assert [detail["field"] for detail in _details(response)] == ["body"]


def test_place_by_id_has_no_score_or_distance(client, places_auth, paris_places):
    response = client.get("/v1/places/test:louvre", **places_auth)
    assert response.status_code == 200
    lat, lon = _north_of(PARIS, 1200)
    assert response.json() == {
        "id": "test:louvre",
        "name": "Musée du Louvre",
        "category": "museum",
        "categories": ["museum"],
        "location": {"lat": lat, "lon": lon},
        "address": "",
        "city": "Paris",
        "country": "",
    }


@pytest.mark.parametrize("place_id", ["test:nowhere", "nosuchsource:louvre", "louvre"])
def test_unknown_place_id_is_place_not_found(client, places_auth, paris_places, place_id):
    response = client.get(f"/v1/places/{place_id}", **places_auth)
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": "Not Found",
        "message": f"Place '{place_id}' not found",
        "code": "PLACE_NOT_FOUND",
    }


def test_search_without_token_is_auth_required(client):
    response = client.post(
        "/v1/places/search", {"location": PARIS}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "AUTH_REQUIRED"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_tiles_token_cannot_search_places(search, geog_auth):
    response = search({"location": PARIS}, **geog_auth(scopes="tiles:read"))
    assert response.status_code == 403
    assert response.json()["message"] == "Token does not have required scope: places:read"
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"


def test_tiles_token_cannot_read_a_place(client, geog_auth, paris_places):
    response = client.get("/v1/places/test:louvre", **geog_auth(scopes="tiles:read"))
    assert response.status_code == 403


def test_get_on_search_is_method_not_allowed(client, places_auth):
    response = client.get("/v1/places/search", **places_auth)
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
