"""Every LatentGEO route answers with and without a trailing slash: a sweep over the URL conf."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from config.urls import latentgeo_patterns
from errors.views import route_not_found

# Tried in order for each path parameter: the first its converter accepts is used.
SAMPLE_VALUES = ("1", "github", "hubspot", "pending", "example.com", "a")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
METHODS = ("get", "post", "put", "patch", "delete")


def _latentgeo_resolver() -> URLResolver:
    return next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "latentgeo"
    )


def _endpoints(patterns, prefix: str = "", converters: dict | None = None):
    """(route, converters, callback) of every endpoint under `patterns`, aliases included."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        found = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            yield from _endpoints(pattern.url_patterns, route, found)
        elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern):
            yield route, found, pattern.callback


def _sample_path(route: str, converters: dict) -> str:
    def sample(match: re.Match) -> str:
        regex = converters[match["name"]].regex
        return next(value for value in SAMPLE_VALUES if re.fullmatch(regex, value))

    return "/api/v1/" + PARAMETER.sub(sample, route)


def _canonical_routes() -> list[tuple[str, object]]:
    """(sample path without trailing slash, callback) of every LatentGEO endpoint."""
    seen: dict[str, object] = {}
    for route, converters, callback in _endpoints(_latentgeo_resolver().url_patterns):
        seen.setdefault(_sample_path(route, converters).removesuffix("/"), callback)
    return sorted(seen.items())


ROUTES = _canonical_routes()


def test_the_sweep_finds_the_latentgeo_routes():
    paths = [path for path, _ in ROUTES]
    assert "/api/v1/audits" in paths
    assert "/api/v1/github/connections" in paths
    assert "/api/v1/github/create-auto-fix-pr/1/1" in paths
    assert "/api/v1/github/webhook" in paths
    assert "/api/v1/hubspot/apply-recommendations" in paths
    assert "/api/v1/hubspot/rollback/1" in paths


@pytest.mark.parametrize(("path", "callback"), ROUTES, ids=[path for path, _ in ROUTES])
def test_every_latentgeo_route_resolves_to_its_view_with_and_without_slash(path, callback):
    bare, slashed = resolve(path), resolve(f"{path}/")
    assert bare.func is callback
    assert slashed.func is callback
    assert bare.kwargs == slashed.kwargs
    assert bare.namespace == slashed.namespace == "latentgeo"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "callback"), ROUTES, ids=[path for path, _ in ROUTES])
def test_every_method_of_every_route_answers_alike_with_and_without_slash(
    client, latentgeo_auth, path, callback
):
    view_class = getattr(callback, "cls", None)
    methods = [m for m in METHODS if view_class is None or hasattr(view_class, m)]
    headers = latentgeo_auth(sub="auth0|sweep", email="sweep@example.com")
    for method in methods:
        request = getattr(client, method)
        bare = request(path, data={}, content_type="application/json", **headers)
        slashed = request(f"{path}/", data={}, content_type="application/json", **headers)
        assert (method, slashed.status_code) == (method, bare.status_code)
        assert slashed.status_code not in (301, 302, 308), f"{method} {path}/ redirects"
        assert slashed.get("Location") == bare.get("Location")


def test_the_catch_all_stays_last_and_answers_both_forms(client):
    assert latentgeo_patterns[-1].callback is route_not_found
    for path in ("/api/v1/nowhere", "/api/v1/nowhere/"):
        response = client.post(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}


def test_aliases_stay_out_of_the_schema(client, django_db_blocker):
    with django_db_blocker.unblock():
        paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/audits" in paths
    assert "/api/v1/audits/" not in paths
