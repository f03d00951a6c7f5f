from django.urls import path

from places.views import PlaceDetailView, PlaceSearchView

urlpatterns = [
    path("places/search", PlaceSearchView.as_view(), name="place-search"),
    path("places/<str:place_id>", PlaceDetailView.as_view(), name="place-detail"),
]
