"""The LatentGEO bearer scheme as the OpenAPI schema documents it."""

from drf_spectacular.generators import SchemaGenerator

from tests.probe_urls import probe_patterns


def test_auth0_views_document_a_bearer_jwt_scheme():
    schema = SchemaGenerator(patterns=probe_patterns).get_schema(request=None, public=True)
    scheme = schema["components"]["securitySchemes"]["auth0"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert schema["paths"]["/probe/caller"]["get"]["security"] == [{"auth0": []}]
