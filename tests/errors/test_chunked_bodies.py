"""Chunked request bodies against real servers: read under the 1 MiB cap by the Procfile's
server, 413 beyond it, and 411 where the server cannot pass them on (Django's own server)."""

import contextlib
import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest

from authn.internal_tokens import internal_token_issue

MIB = 1024 * 1024
LATENTGEO_AUDITS = "/api/v1/audits"
GEOG_SEARCH = "/v1/places/search"


def chunked_post(base: str, path: str, pieces: list[bytes], headers: dict | None = None):
    """POST `pieces` with `Transfer-Encoding: chunked` and no length; (status, JSON body).

    The request goes out in one write: a server that answers before reading the body (411)
    may close the connection, and a client writing chunk by chunk would then fail to send
    instead of reading the answer.
    """
    address = urlsplit(base)
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {address.netloc}",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        "Connection: close",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces if piece)
    request = "\r\n".join(lines).encode() + b"\r\n\r\n" + body + b"0\r\n\r\n"
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        # Answered and closed before reading everything: the answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read() or b"null")


def _latentgeo_caller() -> dict:
    return {"Authorization": f"Bearer {internal_token_issue(sub='auth0|chunked')}"}


def _over_the_cap() -> list[bytes]:
    """A JSON body one byte over 1 MiB, the byte past the cap in its last chunk.

    A server that stops reading at the cap and answers may close the connection on a client
    still sending (its unread bytes reset the connection before the 413 is read); ending the
    excess in the last chunk keeps the test on the answer, not on that race.
    """
    prefix, suffix = b'{"query": "', b'"}'
    filler = MIB - len(prefix) - len(suffix)
    pieces = [b"a" * (64 * 1024)] * (filler // (64 * 1024)) + [b"a" * (filler % (64 * 1024))]
    return [prefix, *pieces, b"a" + suffix]


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
