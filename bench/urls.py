"""The product URLs plus bench-only views, for `make bench` only."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from accounts.rate_limits import organization_rate_limit
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as product_urlpatterns
from places.views import PlaceSearchView
from tiles.views import TileView

# About the size of an average gzip-compressed tile of the sample tileset.
BASELINE_BODY = bytes(range(256)) * 3


def baseline_tile(request: HttpRequest) -> HttpResponse:
    """Fixed bytes through the same middleware, without auth, rate limit or tile read."""
    return HttpResponse(BASELINE_BODY, content_type="application/vnd.mapbox-vector-tile")


class OpenTileView(TileView):
    """The tile view without token, scope or rate limit: what the token check costs."""

    authentication_classes = []
    permission_classes = []


class LibraryCountedTileView(TileView):
    """The tile view with its limit counted by django-ratelimit instead of the hot-path script."""

    throttle_classes = [organization_rate_limit("tiles", library_counted=True)]


class ScriptCountedPlaceSearchView(PlaceSearchView):
    """The places search with its limit counted by the script instead of django-ratelimit."""

    throttle_classes = [organization_rate_limit("places", library_counted=False)]


# Last, so that resolving them walks the product routes as a tile URL does.
urlpatterns = [
    *product_urlpatterns,
    path("bench/baseline", baseline_tile),
    path(
        "bench/open-tiles/<str:tileset>/<str:z>/<str:x>/<str:y>.<str:ext>", OpenTileView.as_view()
    ),
    path(
        "bench/ratelimit-tiles/<str:tileset>/<str:z>/<str:x>/<str:y>.<str:ext>",
        LibraryCountedTileView.as_view(),
    ),
    path("bench/script-places/search", ScriptCountedPlaceSearchView.as_view()),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
