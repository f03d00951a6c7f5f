"""Deeply nested JSON bodies are malformed input in both APIs, never a 500."""

import pytest

from errors.json_parser import json_depth_exceeds

DEEP_BODY = "[" * 60_000 + "]" * 60_000


def _nested(levels: int) -> str:
    return '{"email": "a@example.com", "tags": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.django_db
def test_deep_body_on_latentgeo_is_malformed_json(client, latentgeo_auth):
    response = client.post(
        "/api/v1/audits", data=DEEP_BODY, content_type="application/json", **latentgeo_auth()
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Malformed JSON request body: Nesting deeper than 64 levels"
    }


@pytest.mark.django_db
def test_deep_body_on_geog_is_validation_error_on_body(client, geog_auth):
    response = client.post(
        "/v1/auth/token", data=DEEP_BODY, content_type="application/json", **geog_auth()
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert body["details"] == [{"field": "body", "message": "Malformed JSON request body"}]


@pytest.mark.urls("tests.errors.probe_urls")
def test_body_at_the_depth_limit_reaches_validation(client):
    # The object is level 1, so 63 nested arrays inside it make 64 levels.
    response = client.post("/v1/probe/echo", data=_nested(63), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["details"][0]["field"].startswith("tags")


@pytest.mark.urls("tests.errors.probe_urls")
def test_body_one_level_past_the_limit_is_malformed(client):
    response = client.post("/v1/probe/echo", data=_nested(64), content_type="application/json")
    assert response.json()["details"] == [
        {"field": "body", "message": "Malformed JSON request body"}
    ]


@pytest.mark.parametrize(
    ("text", "deeper_than_two"),
    [
        ("[[]]", False),
        ("[[[]]]", True),
        ('{"a": {"b": {"c": 1}}}', True),
        ('["[[[[", "{{{{"]', False),
        ('["\\"[[[[", {"k": "\\\\"}]', False),
        ('["unterminated [[[[', False),
    ],
)
def test_depth_counts_brackets_outside_strings(text, deeper_than_two):
    assert json_depth_exceeds(text, limit=2) is deeper_than_two
