from django.urls import path

from places.views import PlaceCompletionView, PlaceDetailView, PlaceReverseView, PlaceSearchView

urlpatterns = [
    path("places/search", PlaceSearchView.as_view(), name="place-search"),
    path("places/autocomplete", PlaceCompletionView.as_view(), name="place-autocomplete"),
    path("places/reverse", PlaceReverseView.as_view(), name="place-reverse"),
    path("places/<str:place_id>", PlaceDetailView.as_view(), name="place-detail"),
]
