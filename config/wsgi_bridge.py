"""The WSGI application behind an ASGI server, with one thread hand-off per request.

The request body is read on the event loop, the WSGI application runs whole in a thread of
the pool (Django's WSGI handler: the same middleware and views as under a WSGI server), and
the response is written by the event loop. a2wsgi builds the WSGI environ; its own
middleware hands each body read and each response chunk across threads, which costs the
tile path a third of its throughput, so the hand-off is done here once. Responses are
collected whole: every streaming route is served by the ASGI side (config.asgi).
"""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ

SERVER_ERROR = b"Internal Server Error"


class WsgiThreadPool:
    """An ASGI application that answers HTTP requests with a WSGI application in threads."""

    def __init__(self, app, *, threads: int, max_body_bytes: int) -> None:
        self._app = app
        self._max_body_bytes = max_body_bytes
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _request_body(receive, limit=self._max_body_bytes)
        loop = asyncio.get_running_loop()
        status, headers, content = await loop.run_in_executor(
            self._pool, self._respond, scope, body
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _respond(self, scope, body: bytes) -> tuple[int, list, bytes]:
        environ = build_environ(scope, io.BytesIO(body))
        started: list = []

        def start_response(status: str, headers: list, exc_info=None):
            started[:] = [status, headers]
            return lambda data: chunks.append(data)

        chunks: list[bytes] = []
        result = self._app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if not started:
            return 500, [(b"content-type", b"text/plain")], SERVER_ERROR
        status, headers = started
        encoded = [
            (name.lower().encode("latin1"), value.encode("latin1")) for name, value in headers
        ]
        return int(status[:3]), encoded, b"".join(chunks)


async def _request_body(receive, *, limit: int) -> bytes:
    # Past the limit the rest is left unread: the application refuses the request (413).
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        if not message.get("more_body") or size > limit:
            break
    return b"".join(parts)


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
