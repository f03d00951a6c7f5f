from django.urls import path

from authn.geog_views import JwksView

urlpatterns = [
    path(".well-known/jwks.json", JwksView.as_view(), name="jwks"),
]
