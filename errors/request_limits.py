"""413 for bodies over the limit, 411 or 413 for chunked ones, and 414 for over-long URLs,
before any view runs.

A chunked body (`Transfer-Encoding`, no `Content-Length`) is one Django would read as empty,
since it reads as many bytes as `Content-Length` says. Here it is read from the server's
stream up to the same 1 MiB cap: over it is 413; within it, the request goes on with the body
and its length in place. A chunked body that reads as nothing is 411 `Length Required`: either
it was empty, or the server cannot pass chunked bodies on (Django's development server).
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse

from errors import catalog
from errors.rendering import api_style, spec_response

_READ_STEP_BYTES = 64 * 1024


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > settings.REQUEST_MAX_URL_LENGTH:
            return self._reject(request, catalog.URI_TOO_LONG)
        meta = request.META
        if "HTTP_TRANSFER_ENCODING" in meta and not meta.get("CONTENT_LENGTH"):
            refusal = self._chunked_body_read(request)
            if refusal is not None:
                return self._reject(request, refusal)
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_BYTES:
            return self._reject(request, catalog.PAYLOAD_TOO_LARGE)
        return self.get_response(request)

    @staticmethod
    def _chunked_body_read(request: HttpRequest) -> catalog.ErrorSpec | None:
        """Read a chunked body under the cap and put it in place; the refusal, if any."""
        stream = request.META.get("wsgi.input")
        limit = settings.REQUEST_MAX_BODY_BYTES
        pieces, size = [], 0
        while stream is not None and size <= limit:
            piece = stream.read(min(_READ_STEP_BYTES, limit + 1 - size))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
        if size > limit:
            return catalog.PAYLOAD_TOO_LARGE
        if size == 0:
            return catalog.LENGTH_REQUIRED
        body = b"".join(pieces)
        # Django's request reads its own stream, bounded by CONTENT_LENGTH, which DRF and the
        # form parsers read too: both are set as if the client had sent the length.
        request.META["CONTENT_LENGTH"] = str(size)
        request._stream = LimitedStream(io.BytesIO(body), size)
        return None

    @staticmethod
    def _reject(request: HttpRequest, spec: catalog.ErrorSpec) -> HttpResponse:
        style = api_style(request)
        if style is None:
            return HttpResponse(
                spec.latentgeo_message, status=spec.status, content_type="text/plain"
            )
        return spec_response(style, spec)
