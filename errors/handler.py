"""The one DRF exception handler: every error under `/api/v1/` and `/v1/` goes through it."""

import logging

import sentry_sdk
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from errors import catalog
from errors.exceptions import ApiError, RequestValidationError
from errors.rendering import (
    api_error_response,
    api_style,
    malformed_json_response,
    spec_response,
    validation_response,
)

logger = logging.getLogger(__name__)

_JSON_PARSE_PREFIX = "JSON parse error - "

_SPEC_BY_TYPE = (
    (exceptions.NotAuthenticated, catalog.AUTH_REQUIRED),
    (exceptions.PermissionDenied, catalog.FORBIDDEN),
    (DjangoPermissionDenied, catalog.FORBIDDEN),
    (exceptions.NotFound, catalog.NOT_FOUND),
    (Http404, catalog.NOT_FOUND),
    (exceptions.MethodNotAllowed, catalog.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, catalog.NOT_ACCEPTABLE),
    (RequestDataTooBig, catalog.PAYLOAD_TOO_LARGE),
)


def api_exception_handler(exc: Exception, context: dict):
    """Render `exc` in the style of the API the request belongs to."""
    request = context.get("request")
    style = api_style(request) if request is not None else None
    if style is None:
        return drf_exception_handler(exc, context)
    set_rollback()
    return exception_response(style, exc)


def exception_response(style: str, exc: Exception):
    """The response for any exception, in `style`; unexpected ones are 500 and reported."""
    if isinstance(exc, ApiError):
        return api_error_response(style, exc)
    if isinstance(exc, RequestValidationError):
        return validation_response(style, exc)
    if isinstance(exc, exceptions.ValidationError):
        return validation_response(style, RequestValidationError(source="body", errors=exc.detail))
    if isinstance(exc, exceptions.ParseError):
        reason = str(exc.detail).removeprefix(_JSON_PARSE_PREFIX)
        return malformed_json_response(style, reason)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return spec_response(style, catalog.UNSUPPORTED_MEDIA_TYPE, media_type=exc.args[0])
    if isinstance(exc, exceptions.AuthenticationFailed):
        spec = catalog.AUTH0_MALFORMED_TOKEN if style == "latentgeo" else catalog.GEOG_INVALID_TOKEN
        return spec_response(style, spec)
    for exc_type, spec in _SPEC_BY_TYPE:
        if isinstance(exc, exc_type):
            return spec_response(style, spec)
    logger.error("unhandled_exception", exc_info=exc)
    sentry_sdk.capture_exception(exc)
    return spec_response(style, catalog.INTERNAL_ERROR)
