import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Open the tilesets and parse their directories before the first request, not during it
# (in the gunicorn master with --preload, else in each worker as it boots).
from tiles.tileset_registry import tileset_registry  # noqa: E402

tileset_registry().warm()
# The parsed directories are hundreds of thousands of long-lived objects; a full garbage
# collection walking them stalls a worker for tens of milliseconds. They never form
# cycles, so they leave the collector's view.
gc.freeze()
