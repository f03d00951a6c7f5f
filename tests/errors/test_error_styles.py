"""Whole error bodies in both styles, compared against the two contracts."""

import pytest

pytestmark = [pytest.mark.urls("tests.errors.probe_urls")]

LATENTGEO = "/api/v1"
GEOG = "/v1"


def _envelope(status_phrase: str, message: str, code: str, **extra) -> dict:
    return {"success": False, "error": status_phrase, "message": message, "code": code, **extra}


def test_unknown_latentgeo_route_is_not_found_detail(client):
    response = client.get(f"{LATENTGEO}/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert response["Content-Type"] == "application/json"


def test_unknown_geog_route_is_not_found_envelope(client):
    response = client.post(f"{GEOG}/does/not/exist", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == _envelope("Not Found", "Resource not found", "NOT_FOUND")
    assert response["Cache-Control"] == "no-store"


def test_unknown_route_at_bare_prefix_is_styled(client):
    assert client.get("/api/v1/").json() == {"detail": "Not Found"}
    assert client.get("/v1/").json()["code"] == "NOT_FOUND"


def test_paths_outside_the_apis_keep_django_404(client):
    response = client.get("/not-an-api/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_method_not_allowed_latentgeo(client):
    response = client.get(f"{LATENTGEO}/probe/echo")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


def test_method_not_allowed_geog(client):
    response = client.delete(f"{GEOG}/probe/echo")
    assert response.status_code == 405
    assert response.json() == _envelope(
        "Method Not Allowed", "Method not allowed", "METHOD_NOT_ALLOWED"
    )


def test_malformed_json_latentgeo_names_the_parse_position(client):
    response = client.post(
        f"{LATENTGEO}/probe/echo", data='{"email": ', content_type="application/json"
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Malformed JSON request body: ")
    assert "line 1 column" in detail
    assert list(response.json()) == ["detail"]


def test_malformed_json_geog_is_validation_error_on_body(client):
    response = client.post(f"{GEOG}/probe/echo", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == _envelope(
        "Bad Request",
        "Validation failed",
        "VALIDATION_ERROR",
        details=[{"field": "body", "message": "Malformed JSON request body"}],
    )


def test_latentgeo_validation_is_422_item_list(client):
    body = {
        "count": "many",
        "website": "not a url",
        "kind": "z",
        "location": {"lat": 1},
        "tags": ["ok", "toolong"],
    }
    response = client.post(f"{LATENTGEO}/probe/echo", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"loc": ["body", "email"], "msg": "field required", "type": "value_error.missing"},
            {
                "loc": ["body", "count"],
                "msg": "value is not a valid integer",
                "type": "type_error.integer",
            },
            {"loc": ["body", "website"], "msg": "Enter a valid URL.", "type": "value_error.url"},
            {
                "loc": ["body", "kind"],
                "msg": '"z" is not a valid choice.',
                "type": "value_error.choice",
            },
            {
                "loc": ["body", "location", "lon"],
                "msg": "field required",
                "type": "value_error.missing",
            },
            {
                "loc": ["body", "tags", 1],
                "msg": "Ensure this field has no more than 3 characters.",
                "type": "value_error.max_length",
            },
        ]
    }


def test_latentgeo_invalid_email_type(client):
    response = client.post(
        f"{LATENTGEO}/probe/echo", data={"email": "nope"}, content_type="application/json"
    )
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "email"],
                "msg": "Enter a valid email address.",
                "type": "value_error.email",
            }
        ]
    }


def test_geog_validation_details_use_dotted_fields(client):
    body = {"email": "nope", "location": {"lat": "x", "lon": 2}}
    response = client.post(f"{GEOG}/probe/echo", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == _envelope(
        "Bad Request",
        "Validation failed",
        "VALIDATION_ERROR",
        details=[
            {"field": "email", "message": "Must be a valid email address"},
            {"field": "location.lat", "message": "A valid number is required."},
        ],
    )


def test_non_integer_path_id_is_422_on_path(client):
    response = client.get(f"{LATENTGEO}/probe/items/abc")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["path", "item_id"],
                "msg": "value is not a valid integer",
                "type": "type_error.integer",
            }
        ]
    }


def test_non_integer_query_is_422_on_query(client):
    response = client.get(f"{LATENTGEO}/probe/items/7?limit=ten")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_valid_probe_request_passes(client):
    assert client.get(f"{LATENTGEO}/probe/items/7?limit=3").json() == {"id": 7, "limit": 3}


@pytest.mark.parametrize("path", ["probe/boom", "probe/plain-boom"])
def test_unexpected_exception_latentgeo_is_500_without_traceback(lenient_client, path):
    response = lenient_client.get(f"{LATENTGEO}/{path}")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert b"secret" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("path", ["probe/boom", "probe/plain-boom"])
def test_unexpected_exception_geog_is_500_envelope(lenient_client, path):
    response = lenient_client.get(f"{GEOG}/{path}")
    assert response.status_code == 500
    assert response.json() == _envelope(
        "Internal Server Error", "An unexpected error occurred", "INTERNAL_ERROR"
    )
    assert b"secret" not in response.content


def test_http404_outside_drf_is_styled(client):
    assert client.get(f"{GEOG}/probe/plain-missing").json()["code"] == "NOT_FOUND"
    assert client.get(f"{LATENTGEO}/probe/plain-missing").json() == {"detail": "Not Found"}


def test_exception_outside_the_apis_keeps_django_500(lenient_client):
    response = lenient_client.get("/probe/plain-boom")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_unsupported_media_type_is_styled(client):
    response = client.post(f"{GEOG}/probe/echo", data="a=b", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
