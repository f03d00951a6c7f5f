from django.urls import path

from accounts.views import ApiTokenRevokeView, ApiTokensView, TokenExchangeView

urlpatterns = [
    path("auth/token", TokenExchangeView.as_view(), name="auth-token"),
    path("tokens", ApiTokensView.as_view(), name="tokens"),
    path("tokens/<str:token_id>", ApiTokenRevokeView.as_view(), name="token-revoke"),
]
