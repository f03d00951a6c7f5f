"""The project's routes plus a LatentGEO probe view that only authenticates its caller."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.auth0_authentication import Auth0Authentication
from config.urls import latentgeo_patterns
from config.urls import urlpatterns as project_urlpatterns


class CallerView(APIView):
    authentication_classes = [Auth0Authentication]

    def get(self, request):
        user = request.user
        return Response(
            {
                "sub": user.sub,
                "email": user.email,
                "roles": list(user.roles),
                "permissions": list(user.permissions),
            }
        )


probe_patterns = [path("probe/caller", CallerView.as_view())]

urlpatterns = [
    path("api/v1/", include((probe_patterns + latentgeo_patterns, "latentgeo"))),
    *project_urlpatterns,
]

handler404 = "errors.views.page_not_found"
handler500 = "errors.views.server_error"
