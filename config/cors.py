"""CORS for the Geog API (`/v1/`): any origin by default, never with credentials.

Geog is called from customers' own sites, which the operator cannot list in advance, with
bearer tokens and no cookies, so `Access-Control-Allow-Origin: *` is the default there and
`GEOG_CORS_ALLOWED_ORIGINS` narrows it. django-cors-headers keeps the allowlist of `/api/v1/`
(`CORS_URLS_REGEX`): it only sends `*` when every path allows every origin, so it cannot hold
both policies. The allowed and exposed headers, the methods and the preflight max-age are the
django-cors-headers settings, so the two APIs cannot drift apart.
"""

from collections.abc import Callable

from corsheaders.conf import conf
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from errors.apis import GEOG_PREFIX

ANY_ORIGIN = "*"


class GeogCorsMiddleware:
    """Answers `/v1/` preflights without auth and adds the CORS headers to every `/v1/` answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(GEOG_PREFIX):
            return self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN")
        preflight = bool(
            origin
            and request.method == "OPTIONS"
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        )
        response = (
            HttpResponse(headers={"Content-Length": "0"})
            if preflight
            else self.get_response(request)
        )
        allow_origin = geog_cors_allow_origin(origin=origin)
        if ANY_ORIGIN not in settings.GEOG_CORS_ALLOWED_ORIGINS:
            # The answer then depends on the Origin header: shared caches must key on it.
            patch_vary_headers(response, ("Origin",))
        if allow_origin is None:
            return response
        response["Access-Control-Allow-Origin"] = allow_origin
        response["Access-Control-Expose-Headers"] = ", ".join(conf.CORS_EXPOSE_HEADERS)
        if preflight:
            response["Access-Control-Allow-Methods"] = ", ".join(conf.CORS_ALLOW_METHODS)
            response["Access-Control-Allow-Headers"] = ", ".join(conf.CORS_ALLOW_HEADERS)
            response["Access-Control-Max-Age"] = str(conf.CORS_PREFLIGHT_MAX_AGE)
        return response


def geog_cors_allow_origin(*, origin: str | None) -> str | None:
    """The `Access-Control-Allow-Origin` value for a `/v1/` request from `origin`, or None."""
    if not origin:
        return None
    allowed = settings.GEOG_CORS_ALLOWED_ORIGINS
    if ANY_ORIGIN in allowed:
        return ANY_ORIGIN
    return origin if origin in allowed else None
