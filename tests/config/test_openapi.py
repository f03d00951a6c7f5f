import re

import pytest
from django.core.management import call_command


def test_schema_validates_against_openapi_3(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.0.3")


def test_schema_lists_health_routes(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/health", "/health/ready", "/health/live", "/metrics"):
        assert path in schema["paths"], path


@pytest.mark.django_db
def test_docs_page_is_served_offline(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Every script and stylesheet comes from this service (a random nonce may spell "cdn").
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
