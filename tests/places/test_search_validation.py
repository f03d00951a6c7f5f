"""Search bodies that used to slip through: an empty-once-normalised query, booleans as numbers."""

import pytest

PARIS = {"lat": 48.8566, "lon": 2.3522}


def _fields(response) -> list[str]:
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == ("VALIDATION_ERROR", "Validation failed")
    return [detail["field"] for detail in body["details"]]


@pytest.mark.parametrize(
    "query",
    ["\u0301\u0308", "😀", "😀 🎉", "!!!", "\u0301 - \u0308", "\u200d"],
    ids=["combining-marks", "emoji", "emojis", "punctuation", "marks-and-dash", "zero-width"],
)
def test_query_that_normalises_to_nothing_is_a_validation_error_on_query(search, query):
    response = search({"location": PARIS, "query": query})
    assert _fields(response) == ["query"]
    assert response.json()["details"][0]["message"] == "Must contain a letter or a digit"


@pytest.mark.parametrize("query", ["", "   ", "Café", "7"])
def test_blank_query_or_one_with_letters_or_digits_is_accepted(search, query):
    assert search({"location": PARIS, "query": query}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"location": {"lat": True, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 0, "lon": False}}, "location.lon"),
        ({"location": {"lat": 0, "lng": True}}, "location.lng"),
        ({"location": PARIS, "radius": True}, "radius"),
        ({"location": PARIS, "limit": True}, "limit"),
        ({"location": PARIS, "offset": False}, "offset"),
        ({"location": PARIS, "weights": {"text": True, "geo": 0.4}}, "weights.text"),
        ({"location": PARIS, "weights": {"text": 0.6, "geo": True}}, "weights.geo"),
    ],
)
def test_boolean_where_a_number_is_expected_is_a_validation_error(search, body, field):
    assert _fields(search(body)) == [field]
