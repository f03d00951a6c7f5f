from django.urls import path, re_path

from tiles import views

urlpatterns = [
    # The hot path first: it resolves without trying the other patterns.
    path(
        "tiles/<str:tileset>/<str:z>/<str:x>/<str:y>.<str:ext>",
        views.TileView.as_view(),
        name="tile",
    ),
    path("tiles", views.TilesetCatalogView.as_view(), name="tileset-catalog"),
    path(
        "tiles/<str:tileset>/metadata", views.TilesetMetadataView.as_view(), name="tileset-metadata"
    ),
    path("tiles/<str:tileset>/style.json", views.TilesetStyleView.as_view(), name="tileset-style"),
    re_path(
        r"^tiles/(?P<tileset>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/.]+)$",
        views.TileWithoutExtensionView.as_view(),
        name="tile-without-extension",
    ),
]
