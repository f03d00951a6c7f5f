import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Import every view (the URL configuration pulls in WeasyPrint, seconds of imports) and the
# cache client while the worker boots, not in its first request.
from django.core.cache import cache  # noqa: E402
from django.urls import get_resolver  # noqa: E402

get_resolver().check()
# The cache client and its serializer and connection classes, without connecting yet.
getattr(cache, "client", None)

# Open the tilesets and map their directory indexes before the first request, not during
# it; a missing index starts building in the background.
from tiles.tileset_registry import tileset_registry  # noqa: E402

tileset_registry().warm()

# Without a broker (the embedded default), beat's periodic tasks run from a thread here.
from config.embedded_beat import embedded_beat_start  # noqa: E402

embedded_beat_start()
# What the app loaded at boot lives as long as the process and never forms cycles; out of
# the collector's view, full collections stay short.
gc.freeze()
