from django.urls import path, register_converter

from connections import views
from connections.models import Provider


class ProviderConverter:
    """`github` or `hubspot`; any other value leaves the route to the namespace's 404."""

    regex = "|".join(Provider.values)

    def to_python(self, value: str) -> Provider:
        return Provider(value)

    def to_url(self, value: str) -> str:
        return Provider(value).value


register_converter(ProviderConverter, "provider")

urlpatterns = [
    path("<provider:provider>/auth-url", views.OAuthAuthUrlView.as_view()),
    path("<provider:provider>/oauth/authorize", views.OAuthAuthorizeView.as_view()),
    path("<provider:provider>/callback", views.OAuthCallbackView.as_view()),
    path("<provider:provider>/connections", views.ConnectionListView.as_view()),
    path(
        "<provider:provider>/connections/<str:connection_id>",
        views.ConnectionDetailView.as_view(),
    ),
]
