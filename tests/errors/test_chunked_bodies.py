"""Chunked request bodies against real servers: read under the 1 MiB cap by the Procfile's
server, 413 beyond it, and 411 where the server cannot pass them on (Django's own server)."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from authn.internal_tokens import internal_token_issue

MIB = 1024 * 1024
LATENTGEO_AUDITS = "/api/v1/audits"
GEOG_SEARCH = "/v1/places/search"


def chunked_post(base: str, path: str, pieces: list[bytes], headers: dict | None = None):
    """POST `pieces` with `Transfer-Encoding: chunked` and no length; (status, JSON body)."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=iter(pieces),
            headers={"Content-Type": "application/json", **(headers or {})},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def _latentgeo_caller() -> dict:
    return {"Authorization": f"Bearer {internal_token_issue(sub='auth0|chunked')}"}


def _over_the_cap() -> list[bytes]:
    return [b'{"query": "', *(b"a" * (64 * 1024) for _ in range(17)), b'"}']


def test_chunked_body_under_the_cap_is_read_by_the_procfile_server(web_server):
    base, _metrics, log = web_server
    pieces = [b'{"url": ', b'"not a url", ', b'"max_pages": 1}']
    status, body = chunked_post(base, LATENTGEO_AUDITS, pieces, _latentgeo_caller())
    # The body was read: its url is judged, not reported missing.
    assert status == 422, log.read_text()[-2000:]
    assert body["detail"] == [
        {"loc": ["body", "url"], "msg": "Enter a valid URL.", "type": "value_error.url"}
    ]


def test_chunked_body_over_the_cap_is_413_in_each_style_on_the_procfile_server(web_server):
    base, _metrics, _log = web_server
    latentgeo = chunked_post(base, LATENTGEO_AUDITS, _over_the_cap(), _latentgeo_caller())
    geog = chunked_post(base, GEOG_SEARCH, _over_the_cap())
    assert latentgeo == (413, {"detail": "Request entity too large"})
    assert geog[0] == 413
    assert geog[1]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.django_db(transaction=True)
def test_chunked_body_is_411_in_each_style_where_the_server_cannot_pass_it_on(live_server):
    pieces = [b'{"url": "https://shop.example.com/"}']
    latentgeo = chunked_post(live_server.url, LATENTGEO_AUDITS, pieces, _latentgeo_caller())
    geog = chunked_post(live_server.url, GEOG_SEARCH, pieces)
    assert latentgeo == (411, {"detail": "Length Required"})
    assert geog == (
        411,
        {
            "success": False,
            "error": "Length Required",
            "message": "Request body length required",
            "code": "LENGTH_REQUIRED",
        },
    )
