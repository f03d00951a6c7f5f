"""The published schema documents, for every operation, its auth and its error bodies."""

import copy
import re

import pytest
from django.urls import resolve

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
LATENTGEO_ERRORS = {
    "#/components/schemas/LatentgeoError",
    "#/components/schemas/LatentgeoValidationError",
    # create-auto-fix-pr's 422: the validation list, or a `detail` object naming the missing
    # fix inputs (the web app's contract).
    "#/components/schemas/LatentgeoFixInputsUnprocessable",
}
GEOG_ERRORS = {
    "#/components/schemas/GeogError",
    "#/components/schemas/GeogValidationError",
    "#/components/schemas/GeogRateLimitError",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict, prefix: str) -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation whose path starts with `prefix`."""
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith(prefix)
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def view_requires_authentication(path: str, method: str, operation: dict) -> bool:
    """Whether the Django view serving this operation authenticates its caller."""
    samples = {
        parameter["name"]: str(parameter.get("schema", {}).get("enum", ["1"])[0])
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }
    concrete = re.sub(r"{([^}]+)}", lambda match: samples.get(match[1], "1"), path)
    view_class = getattr(resolve(concrete).func, "cls", None)
    assert view_class is not None, f"{method.upper()} {path} is not served by a DRF view"
    return bool(view_class.authentication_classes)


def error_references(operation: dict) -> dict[str, set[str]]:
    """Status -> schema references of the documented 4xx/5xx responses."""
    return {
        status: {
            media.get("schema", {}).get("$ref", "<inline schema>")
            for media in response.get("content", {}).values()
        }
        or {"<no body>"}
        for status, response in operation["responses"].items()
        if status[0] in "45"
    }


def latentgeo_offences(path: str, method: str, operation: dict, authenticated: bool) -> list[str]:
    """What this LatentGEO operation fails to document, as readable lines."""
    label = f"{method.upper()} {path}"
    errors = error_references(operation)
    offences = []
    if authenticated and {"auth0": []} not in operation.get("security", []):
        offences.append(f"{label}: no auth0 security requirement")
    if authenticated and "401" not in errors:
        offences.append(f"{label}: authenticated but 401 is not documented")
    if not errors:
        offences.append(f"{label}: documents no error response")
    for status, references in errors.items():
        if not references <= LATENTGEO_ERRORS:
            offences.append(f"{label}: {status} is {sorted(references)}, not a LatentGEO error")
    integer_path_ids = [
        parameter["name"]
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and parameter.get("schema", {}).get("type") == "integer"
    ]
    if integer_path_ids and "#/components/schemas/LatentgeoValidationError" not in errors.get(
        "422", set()
    ):
        offences.append(f"{label}: integer path ids {integer_path_ids} but no 422 list")
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    if query and "#/components/schemas/LatentgeoValidationError" not in errors.get("422", set()):
        offences.append(f"{label}: query parameters {query} but no 422 list")
    if "requestBody" in operation and "400" not in errors:
        offences.append(f"{label}: takes a JSON body but documents no 400 (malformed JSON)")
    return offences


def geog_offences(path: str, method: str, operation: dict, authenticated: bool) -> list[str]:
    """What this Geog operation fails to document, as readable lines."""
    label = f"{method.upper()} {path}"
    errors = error_references(operation)
    offences = []
    if authenticated and not operation.get("security"):
        offences.append(f"{label}: no security requirement")
    if authenticated and "401" not in errors:
        offences.append(f"{label}: authenticated but 401 is not documented")
    if not errors:
        offences.append(f"{label}: documents no error response")
    for status, references in errors.items():
        if not references <= GEOG_ERRORS:
            offences.append(f"{label}: {status} is {sorted(references)}, not a Geog envelope")
    if "requestBody" in operation and "#/components/schemas/GeogValidationError" not in errors.get(
        "400", set()
    ):
        offences.append(f"{label}: takes a body but documents no 400 VALIDATION_ERROR")
    return offences


def general_offences(path: str, method: str, operation: dict) -> list[str]:
    """Missing operationId, tag, or described success response."""
    label = f"{method.upper()} {path}"
    offences = []
    if not operation.get("operationId"):
        offences.append(f"{label}: no operationId")
    if not operation.get("tags"):
        offences.append(f"{label}: no tag")
    successes = {
        status: response for status, response in operation["responses"].items() if status[0] in "23"
    }
    if not successes:
        offences.append(f"{label}: no 2xx/3xx response")
    for status, response in successes.items():
        if not response.get("description", "").strip():
            offences.append(f"{label}: {status} has no description")
    return offences


def test_every_latentgeo_operation_documents_auth_and_latentgeo_errors(schema):
    checked = operations(schema, "/api/v1/")
    assert checked, "the schema lists no LatentGEO operation under /api/v1/"
    offences = [
        offence
        for path, method, operation in checked
        for offence in latentgeo_offences(
            path, method, operation, view_requires_authentication(path, method, operation)
        )
    ]
    assert not offences, "\n".join(offences)


def test_every_geog_operation_documents_errors_in_the_envelope(schema):
    checked = operations(schema, "/v1/")
    assert checked, "the schema lists no Geog operation under /v1/"
    offences = [
        offence
        for path, method, operation in checked
        for offence in geog_offences(
            path, method, operation, view_requires_authentication(path, method, operation)
        )
    ]
    assert not offences, "\n".join(offences)


def test_every_operation_has_an_id_a_tag_and_a_described_success(schema):
    checked = operations(schema, "/")
    assert checked
    offences = [
        offence
        for path, method, operation in checked
        for offence in general_offences(path, method, operation)
    ]
    assert not offences, "\n".join(offences)


def test_a_latentgeo_operation_that_forgets_its_errors_is_reported(schema):
    path, method, operation = next(
        (path, method, operation)
        for path, method, operation in operations(schema, "/api/v1/")
        if "{audit_id}" in path
    )
    forgetful = copy.deepcopy(operation)
    forgetful["responses"] = {
        status: response for status, response in forgetful["responses"].items() if status < "400"
    }
    forgetful.pop("security", None)

    offences = latentgeo_offences(path, method, forgetful, authenticated=True)

    label = f"{method.upper()} {path}"
    assert offences == [
        f"{label}: no auth0 security requirement",
        f"{label}: authenticated but 401 is not documented",
        f"{label}: documents no error response",
        f"{label}: integer path ids ['audit_id'] but no 422 list",
    ]


def test_a_latentgeo_error_in_another_style_is_reported(schema):
    path, method, operation = operations(schema, "/api/v1/")[0]
    wrong = copy.deepcopy(operation)
    wrong["responses"]["401"] = {
        "description": "Unauthorized",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GeogError"}}},
    }

    offences = latentgeo_offences(path, method, wrong, authenticated=True)

    assert f"{method.upper()} {path}: 401 is ['#/components/schemas/GeogError'], " in (
        "\n".join(offences)
    )


def test_a_geog_operation_without_the_envelope_is_reported():
    operation = {
        "operationId": "tiles_catalog",
        "tags": ["geog-tiles"],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {
            "200": {"description": "Catalog"},
            "401": {
                "description": "Unauthorized",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/LatentgeoError"}}
                },
            },
        },
    }

    offences = geog_offences("/v1/tiles", "get", operation, authenticated=True)

    assert offences == [
        "GET /v1/tiles: no security requirement",
        "GET /v1/tiles: 401 is ['#/components/schemas/LatentgeoError'], not a Geog envelope",
        "GET /v1/tiles: takes a body but documents no 400 VALIDATION_ERROR",
    ]


def test_an_undescribed_success_is_reported():
    operation = {"responses": {"200": {"description": ""}}}

    assert general_offences("/api/v1/audits", "get", operation) == [
        "GET /api/v1/audits: no operationId",
        "GET /api/v1/audits: no tag",
        "GET /api/v1/audits: 200 has no description",
    ]
