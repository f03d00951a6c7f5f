"""The web worker's ASGI application: progress streams on the event loop, the rest as WSGI.

Open progress streams (`/api/v1/sse/...`) must not hold a thread each, so they are served by
Django's ASGI handler, whose async view waits on the event loop. Every other request, the
tile path first, runs through Django's WSGI handler on a pool of `WEB_THREADS` threads
(config.wsgi_bridge): Django's ASGI handler would give each synchronous request a thread of its own
and hop between threads several times per request, which costs the tile path most of its
throughput (docs/benchmarks.md). Both handlers run the same middleware, so request ids,
error styles and metrics are the same on either side.
"""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

streams = get_asgi_application()

from config.wsgi import application as wsgi_application  # noqa: E402
from config.wsgi_bridge import WsgiThreadPool  # noqa: E402
from errors.apis import LATENTGEO_PREFIX  # noqa: E402

STREAM_PATH_PREFIX = f"{LATENTGEO_PREFIX}sse/"
threads = WsgiThreadPool(
    wsgi_application,
    threads=settings.WEB_THREADS,
    max_body_bytes=settings.REQUEST_MAX_BODY_BYTES,
)


async def application(scope, receive, send) -> None:
    """Route an ASGI connection to the streams or to the WSGI thread pool."""
    if scope["type"] == "http" and scope["path"].startswith(STREAM_PATH_PREFIX):
        await streams(scope, receive, send)
    else:
        await threads(scope, receive, send)
