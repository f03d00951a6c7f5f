"""The product URLs plus a bare baseline view, for `make bench` only."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as product_urlpatterns

# About the size of an average gzip-compressed tile of the sample tileset.
BASELINE_BODY = bytes(range(256)) * 3


def baseline_tile(request: HttpRequest) -> HttpResponse:
    """Fixed bytes through the same middleware, without auth, rate limit or tile read."""
    return HttpResponse(BASELINE_BODY, content_type="application/vnd.mapbox-vector-tile")


# Last, so that resolving it walks the product routes as a tile URL does.
urlpatterns = [*product_urlpatterns, path("bench/baseline", baseline_tile)]

__all__ = ["handler404", "handler500", "urlpatterns"]
