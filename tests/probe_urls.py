"""The project's routes plus probe views: a LatentGEO caller and a rate-limited Geog caller."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.geog_view import GeogView
from accounts.permissions import scope_required
from accounts.rate_limits import organization_rate_limit
from authn.auth0_authentication import Auth0Authentication
from config.urls import geog_patterns, latentgeo_patterns
from config.urls import urlpatterns as project_urlpatterns


class CallerView(APIView):
    authentication_classes = [Auth0Authentication]

    def get(self, request):
        user = request.user
        return Response(
            {
                "sub": user.sub,
                "email": user.email,
                "email_verified": user.email_verified,
                "roles": list(user.roles),
                "permissions": list(user.permissions),
            }
        )


class ProbeView(GeogView):
    permission_classes = [scope_required("tiles:read")]
    throttle_classes = [organization_rate_limit("tiles")]

    def get(self, request):
        principal = request.user
        return Response(
            {
                "token_id": principal.token_id,
                "organization_id": principal.organization_id,
                "scopes": sorted(principal.scopes),
                "tier": principal.tier,
                "is_short_lived": principal.is_short_lived,
            }
        )


probe_patterns = [path("probe/caller", CallerView.as_view())]

urlpatterns = [
    path("api/v1/", include((probe_patterns + latentgeo_patterns, "latentgeo"))),
    path("v1/", include(([path("probe", ProbeView.as_view()), *geog_patterns], "geog"))),
    *[pattern for pattern in project_urlpatterns if str(pattern.pattern) not in ("api/v1/", "v1/")],
]

handler400 = "errors.views.bad_request"
handler403 = "errors.views.permission_denied"
handler404 = "errors.views.page_not_found"
handler500 = "errors.views.server_error"
