from django.urls import path

from places import views

urlpatterns = [
    path("places/search", views.PlaceSearchView.as_view(), name="place-search"),
    path("places/autocomplete", views.PlaceCompletionView.as_view(), name="place-autocomplete"),
    path("places/reverse", views.PlaceReverseView.as_view(), name="place-reverse"),
    path("places/<str:place_id>", views.PlaceDetailView.as_view(), name="place-detail"),
]
