"""Errors raised outside DRF views: unknown routes and Django's 400/403/404/500 handlers.

Django answers a request it refuses before any view (a `Host` not in `ALLOWED_HOSTS`, too
many query fields, a broken multipart body) through `handler400`; on the API paths that is
the API's JSON style too, chosen by path prefix, elsewhere Django's own page.
"""

from django.http import HttpRequest, HttpResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from errors import catalog
from errors.rendering import api_style, spec_response


@csrf_exempt
def route_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Catch-all at the end of each API namespace, so unknown routes answer in style."""
    return spec_response(api_style(request), catalog.NOT_FOUND)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    style = api_style(request)
    if style is None:
        return defaults.bad_request(request, exception)
    return spec_response(style, catalog.BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    style = api_style(request)
    if style is None:
        return defaults.permission_denied(request, exception)
    return spec_response(style, catalog.FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    style = api_style(request)
    if style is None:
        return defaults.page_not_found(request, exception)
    return spec_response(style, catalog.NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    style = api_style(request)
    if style is None:
        return defaults.server_error(request)
    return spec_response(style, catalog.INTERNAL_ERROR)
