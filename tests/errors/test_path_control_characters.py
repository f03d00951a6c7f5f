"""Every route of both APIs with a path parameter: an id holding a control character is an
unknown id, answered with the route's own 404, never a 500.

The resolver is walked, so a route added later is swept too. For each parameter the answer to
`unknown<control character>` must equal the answer to a plain unknown value.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from accounts.models import SCOPE_ADMIN_ACCESS, SCOPE_PLACES_READ, SCOPE_TILES_READ

pytestmark = [pytest.mark.django_db]

API_PREFIXES = ("api/v1/", "v1/")
CONTROL_CHARACTERS = ["\x00", "\x01", "\n", "\x1b", "\x7f", "\x85"]
UNKNOWN = "unknown-id"
# Values that let a request reach the lookup of the parameter under test.
PLAUSIBLE = {"provider": "github", "z": "1", "x": "0", "y": "0", "ext": "mvt"}
_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _routes(resolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + _template(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _template(pattern.pattern), pattern.callback


def _template(pattern) -> str:
    """The pattern as a format string: `audits/{audit_id}`."""
    if isinstance(pattern, RegexPattern):
        return _REGEX_PARAMETER.sub(r"{\1}", pattern._regex).lstrip("^").rstrip("$")
    return _ROUTE_PARAMETER.sub(r"{\1}", str(pattern))


def api_routes_with_parameters() -> list[tuple[str, list[str], list[str]]]:
    """(path template, parameter names, HTTP methods) of every API route with a parameter."""
    routes = []
    for template, view in _routes(get_resolver()):
        names = re.findall(r"{(\w+)}", template)
        view_class = getattr(view, "view_class", None)
        if not names or not template.startswith(API_PREFIXES) or view_class is None:
            continue
        methods = [
            method
            for method in view_class.http_method_names
            if method not in ("options", "head") and hasattr(view_class, method)
        ]
        routes.append((template, names, methods))
    return routes


def test_the_sweep_finds_the_routes_of_both_apis():
    templates = {template for template, _names, _methods in api_routes_with_parameters()}
    assert "v1/places/{place_id}" in templates
    assert "v1/tokens/{token_id}" in templates
    assert "api/v1/audits/{audit_id}" in templates
    assert "api/v1/{provider}/connections/{connection_id}" in templates


@pytest.fixture
def sweep_headers(latentgeo_auth, geog_organization, geog_token):
    organization = geog_organization(slug="sweep", tier="unlimited")
    geog = geog_token(
        scopes=f"{SCOPE_TILES_READ} {SCOPE_PLACES_READ} {SCOPE_ADMIN_ACCESS}",
        organization=organization,
    )
    calls = iter(range(1_000_000))

    def headers(template: str) -> dict:
        if template.startswith("v1/"):
            return {"HTTP_AUTHORIZATION": f"Bearer {geog}"}
        # A caller per request: per-user rate limits never answer instead of the route.
        return latentgeo_auth(sub=f"auth0|sweep-{next(calls)}")

    return headers


def _answer(client, method: str, path: str, headers: dict) -> tuple[int, str]:
    """The status and what kind of error it is: the Geog code, or the LatentGEO detail."""
    response = client.generic(
        method.upper(), path, data="{}", content_type="application/json", **headers
    )
    if response.status_code >= 500 or not response.content:
        return response.status_code, ""
    body = response.json()
    if "code" in body:
        return response.status_code, body["code"]
    detail = body.get("detail")
    if isinstance(detail, list):
        return response.status_code, ",".join(item["type"] for item in detail)
    return response.status_code, str(detail)


@pytest.mark.parametrize("control", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_character_in_a_path_id_is_the_routes_not_found(
    lenient_client, sweep_headers, control
):
    differing = []
    for template, names, methods in api_routes_with_parameters():
        for name in names:
            for method in methods:
                values = {other: PLAUSIBLE.get(other, UNKNOWN) for other in names}
                plain = "/" + template.format(**{**values, name: UNKNOWN})
                # Digits first: integer ids must not read "12\n" as 12 either.
                hostile = "/" + template.format(**{**values, name: quote("12" + control)})
                expected = _answer(lenient_client, method, plain, sweep_headers(template))
                answer = _answer(lenient_client, method, hostile, sweep_headers(template))
                if answer != expected or answer[0] >= 500:
                    differing.append((method, hostile, expected, answer))
    assert differing == []


def test_nul_in_a_place_id_is_place_not_found(client, sweep_headers):
    response = client.get("/v1/places/geonames:1%00", **sweep_headers("v1/"))
    assert response.status_code == 404
    assert response.json()["code"] == "PLACE_NOT_FOUND"


def test_nul_in_a_token_id_is_not_found(client, sweep_headers):
    response = client.delete("/v1/tokens/tok_%00", **sweep_headers("v1/"))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_integer_id_with_a_control_character_is_not_an_integer(client, sweep_headers):
    response = client.get("/api/v1/audits/12%0A", **sweep_headers("api/v1/"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "audit_id"]
