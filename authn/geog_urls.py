from django.urls import path

from authn.geog_views import ApiTokenRevokeView, ApiTokensView, TokenExchangeView

urlpatterns = [
    path("auth/token", TokenExchangeView.as_view(), name="auth-token"),
    path("tokens", ApiTokensView.as_view(), name="tokens"),
    path("tokens/<str:token_id>", ApiTokenRevokeView.as_view(), name="token-revoke"),
]
