from django.urls import path

from accounts import views

urlpatterns = [
    path("auth/token", views.TokenExchangeView.as_view(), name="auth-token"),
    path("tokens", views.ApiTokensView.as_view(), name="tokens"),
    path("tokens/<str:token_id>", views.ApiTokenRevokeView.as_view(), name="token-revoke"),
    path("usage", views.UsageView.as_view(), name="usage"),
    path("usage/tokens", views.UsageTokensView.as_view(), name="usage-tokens"),
]
