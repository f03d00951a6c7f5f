"""413 for bodies over the limit and 414 for over-long URLs, before any view runs."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from errors import catalog
from errors.rendering import api_style, spec_response


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > settings.REQUEST_MAX_URL_LENGTH:
            return self._reject(request, catalog.URI_TOO_LONG)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_BYTES:
            return self._reject(request, catalog.PAYLOAD_TOO_LARGE)
        return self.get_response(request)

    @staticmethod
    def _reject(request: HttpRequest, spec: catalog.ErrorSpec) -> HttpResponse:
        style = api_style(request)
        if style is None:
            return HttpResponse(
                spec.latentgeo_message, status=spec.status, content_type="text/plain"
            )
        return spec_response(style, spec)
