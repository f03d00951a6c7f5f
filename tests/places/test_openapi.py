import pytest


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def test_search_is_documented_with_examples_errors_and_rate_limit_headers(schema):
    operation = schema["paths"]["/v1/places/search"]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/GeogPlaceSearchInputRequest")
    assert len(body["examples"]) >= 2
    ok = operation["responses"]["200"]
    assert ok["content"]["application/json"]["examples"]
    assert set(ok["headers"]) >= {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "429"}
    validation = operation["responses"]["400"]["content"]["application/json"]
    assert validation["schema"]["$ref"].endswith("/GeogValidationError")
    assert operation["security"]


def test_place_lookup_documents_place_not_found(schema):
    operation = schema["paths"]["/v1/places/{place_id}"]["get"]
    examples = operation["responses"]["404"]["content"]["application/json"]["examples"]
    messages = [example["value"]["message"] for example in examples.values()]
    assert "Place 'geonames:2988507' not found" in messages
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]


@pytest.mark.parametrize("path", ["/v1/places/autocomplete", "/v1/places/reverse"])
def test_geocoding_is_documented_with_parameters_examples_and_errors(schema, path):
    operation = schema["paths"][path]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters >= ({"q", "limit"} if "autocomplete" in path else {"lat", "lon", "limit"})
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "429"}
    assert operation["security"]


def test_search_documents_the_search_without_location(schema):
    operation = schema["paths"]["/v1/places/search"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert any("location" not in example["value"] for example in examples.values())
    assert "Without `location`" in operation["description"]
