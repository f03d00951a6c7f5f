"""Rendering an error in the style of the API the request belongs to."""

import json
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from errors.apis import API_PREFIXES, GEOG, LATENTGEO
from errors.catalog import MALFORMED_JSON, VALIDATION_ERROR, ErrorSpec
from errors.exceptions import ApiError, RequestValidationError
from errors.validation import geog_validation_details, latentgeo_validation_body


def api_style(request: HttpRequest) -> str | None:
    """Which API a request belongs to: its URL namespace, else its path prefix."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespaces and match.namespaces[0] in (LATENTGEO, GEOG):
        return match.namespaces[0]
    path = request.path_info
    for prefix, style in API_PREFIXES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return style
    return None


def _json_response(status: int, body: dict, headers: dict[str, str]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    if status == 503:
        response["Retry-After"] = str(settings.RETRY_AFTER_UNAVAILABLE_SECONDS)
    for name, value in headers.items():
        response[name] = value
    return response


def _geog_envelope(status: int, code: str, message: str, **extra) -> dict:
    return {
        "success": False,
        "error": HTTPStatus(status).phrase,
        "message": message,
        "code": code,
        **extra,
    }


def api_error_response(style: str, exc: ApiError) -> HttpResponse:
    """The response for an `ApiError` in the given style."""
    spec = exc.spec
    headers = dict(exc.headers)
    if style == LATENTGEO:
        if spec.auth_code:
            headers["X-Auth-Error-Code"] = spec.auth_code
        detail = exc.latentgeo_message
        if exc.detail_extra is not None:
            detail = {"message": detail, **exc.detail_extra}
        return _json_response(spec.status, {"detail": detail}, headers)
    body = _geog_envelope(spec.status, spec.code, exc.geog_message, **exc.extra)
    return _json_response(spec.status, body, headers)


def spec_response(style: str, spec: ErrorSpec, **params) -> HttpResponse:
    """The response for a catalog entry without further context."""
    return api_error_response(style, ApiError(spec, **params))


def validation_response(style: str, exc: RequestValidationError) -> HttpResponse:
    """422 item list for LatentGEO; 400 `VALIDATION_ERROR` with details for Geog."""
    if style == LATENTGEO:
        return _json_response(422, latentgeo_validation_body(exc), {})
    body = _geog_envelope(
        VALIDATION_ERROR.status,
        VALIDATION_ERROR.code,
        VALIDATION_ERROR.message,
        details=geog_validation_details(exc),
    )
    return _json_response(VALIDATION_ERROR.status, body, {})


def malformed_json_response(style: str, reason: str) -> HttpResponse:
    """400 for a body that is not JSON; the parser's position follows after `: `."""
    if style == LATENTGEO:
        detail = MALFORMED_JSON.latentgeo_message + (f": {reason}" if reason else "")
        return _json_response(400, {"detail": detail}, {})
    body = _geog_envelope(
        MALFORMED_JSON.status,
        MALFORMED_JSON.code,
        MALFORMED_JSON.message,
        details=[{"field": "body", "message": MALFORMED_JSON.latentgeo_message}],
    )
    return _json_response(400, body, {})
