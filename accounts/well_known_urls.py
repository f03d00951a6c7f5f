from django.urls import path

from accounts.views import JwksView

urlpatterns = [
    path(".well-known/jwks.json", JwksView.as_view(), name="jwks"),
]
