"""The project's routes plus a Geog probe view that needs `tiles:read` and is rate limited."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.geog_authentication import GeogTokenAuthentication
from authn.geog_permissions import scope_required
from config.urls import geog_patterns
from config.urls import urlpatterns as project_urlpatterns
from tiles.rate_limits import RateLimitedMixin


class ProbeView(RateLimitedMixin, APIView):
    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [scope_required("tiles:read")]
    rate_limit_family = "tiles"

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


urlpatterns = [
    path("v1/", include(([path("probe", ProbeView.as_view()), *geog_patterns], "geog"))),
    *[pattern for pattern in project_urlpatterns if str(pattern.pattern) != "v1/"],
]
