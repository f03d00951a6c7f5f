from django.urls import path

from accounts.views import (
    ApiTokenRevokeView,
    ApiTokensView,
    TokenExchangeView,
    UsageTokensView,
    UsageView,
)

urlpatterns = [
    path("auth/token", TokenExchangeView.as_view(), name="auth-token"),
    path("tokens", ApiTokensView.as_view(), name="tokens"),
    path("tokens/<str:token_id>", ApiTokenRevokeView.as_view(), name="token-revoke"),
    path("usage", UsageView.as_view(), name="usage"),
    path("usage/tokens", UsageTokensView.as_view(), name="usage-tokens"),
]
