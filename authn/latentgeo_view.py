"""The base of every authenticated LatentGEO API view: an Auth0 caller, required."""

from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from authn.auth0_authentication import Auth0Authentication


class LatentgeoView(APIView):
    """A LatentGEO operation of an authenticated caller; ownership is checked by selectors."""

    authentication_classes = [Auth0Authentication]
    permission_classes = [IsAuthenticated]
