import gzip
import logging

import brotli
import pytest
import sentry_sdk

from config.request_id import RequestIdLogFilter

pytestmark = [pytest.mark.urls("tests.errors.probe_urls")]

ORIGIN = "https://app.example.com"


@pytest.mark.parametrize(
    ("path", "allowed_origin"), [("/api/v1/probe/echo", ORIGIN), ("/v1/probe/echo", "*")]
)
def test_cors_preflight_answers_without_auth(client, path, allowed_origin):
    response = client.options(
        path,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == allowed_origin
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    assert int(response["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/v1/nowhere"])
def test_cors_exposes_auth_and_rate_limit_headers(client, path):
    response = client.get(path, HTTP_ORIGIN=ORIGIN)
    exposed = response["Access-Control-Expose-Headers"]
    for header in (
        "X-Auth-Error-Code",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "ETag",
    ):
        assert header in exposed


def test_latentgeo_cors_refuses_unknown_origins(client):
    response = client.get("/api/v1/nowhere", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in response


def test_security_headers_on_every_response(client):
    for path in ("/api/v1/nowhere", "/v1/nowhere", "/health/live"):
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"]
        assert "Strict-Transport-Security" not in response


def test_hsts_over_https(client):
    response = client.get("/health/live", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=")


def test_request_id_is_echoed_when_valid(client):
    response = client.get("/v1/nowhere", HTTP_X_REQUEST_ID="abc-123.DEF")
    assert response["X-Request-ID"] == "abc-123.DEF"


def test_invalid_request_id_is_replaced(client):
    response = client.get("/v1/nowhere", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_every_log_line_of_a_request_carries_its_id(lenient_client, caplog):
    caplog.handler.addFilter(RequestIdLogFilter())
    with caplog.at_level(logging.INFO):
        response = lenient_client.get("/api/v1/probe/boom", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    records = [r for r in caplog.records if r.name.startswith(("errors", "django.request"))]
    assert records
    assert {r.request_id for r in records} == {"req-42"}


def test_sentry_is_off_without_a_dsn():
    assert not sentry_sdk.get_client().is_active()


def test_unexpected_error_reaches_sentry_tagged_with_request_id(lenient_client, httpserver):
    from config.sentry import sentry_init

    httpserver.expect_request("/api/1/envelope/", method="POST").respond_with_data("{}")
    sentry_init(
        dsn=f"http://key@{httpserver.host}:{httpserver.port}/1",
        environment="test",
        traces_sample_rate=0.0,
    )
    try:
        lenient_client.get("/v1/probe/boom", HTTP_X_REQUEST_ID="req-sentry")
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.init(dsn=None)
    envelopes = [_decoded(request) for request, _ in httpserver.log]
    assert envelopes, "no event reached the Sentry endpoint"
    event = b"".join(envelopes)
    assert b"req-sentry" in event
    assert b"secret internal detail" in event


def _decoded(request) -> bytes:
    body = request.get_data()
    encoding = request.headers.get("Content-Encoding", "")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def test_service_unavailable_carries_retry_after():
    from errors import catalog
    from errors.rendering import spec_response

    response = spec_response("geog", catalog.SERVICE_UNAVAILABLE)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
