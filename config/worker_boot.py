"""What every web worker loads while it boots, whichever interface (WSGI or ASGI) serves it."""

import gc


def worker_boot() -> None:
    """Import every view, open the cache client and the tilesets, then freeze what was loaded."""
    # Import every view (the URL configuration pulls in WeasyPrint, seconds of imports) and the
    # cache client while the worker boots, not in its first request.
    from django.core.cache import cache
    from django.urls import get_resolver

    get_resolver().check()
    # The cache client and its serializer and connection classes, without connecting yet.
    getattr(cache, "client", None)

    # Open the tilesets and map their directory indexes before the first request, not during
    # it; a missing index starts building in the background.
    from tiles.tileset_registry import tileset_registry

    tileset_registry().warm()

    # Without a broker (the embedded default), beat's periodic tasks run from a thread here.
    from config.embedded_beat import embedded_beat_start

    embedded_beat_start()
    # What the app loaded at boot lives as long as the process and never forms cycles; out of
    # the collector's view, full collections stay short.
    gc.freeze()
