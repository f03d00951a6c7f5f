from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import HealthView, LiveView, ReadyView
from config.metrics import MetricsView
from config.trailing_slash import trailing_slash_optional
from errors.apis import GEOG, GEOG_PREFIX, LATENTGEO, LATENTGEO_PREFIX
from errors.views import route_not_found

# Every route here also answers with its trailing slash toggled (config.trailing_slash); the
# catch-all stays outside that list and last, so unknown routes answer the namespace's 404.
latentgeo_patterns = [
    *trailing_slash_optional(
        [
            path("", include("connections.urls")),
            path("", include("reports.urls")),
            path("", include("notifications.urls")),
            path("hubspot/", include("hubspot_cms.urls")),
            path("github/", include("github_fixes.urls")),
        ]
    ),
    re_path(r"^.*$", route_not_found),
]

# Tiles first: the hot path resolves after the fewest patterns.
geog_patterns = [
    path("", include("tiles.urls")),
    path("", include("accounts.urls")),
    path("", include("places.urls")),
    re_path(r"^.*$", route_not_found),
]

urlpatterns = [
    path(GEOG_PREFIX.lstrip("/"), include((geog_patterns, GEOG))),
    path("admin/", admin.site.urls),
    path("health", HealthView.as_view(), name="health"),
    path("health/ready", ReadyView.as_view(), name="health-ready"),
    path("health/live", LiveView.as_view(), name="health-live"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("accounts.well_known_urls")),
    path(LATENTGEO_PREFIX.lstrip("/"), include((latentgeo_patterns, LATENTGEO))),
]

if settings.ADMIN_OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "errors.views.bad_request"
handler403 = "errors.views.permission_denied"
handler404 = "errors.views.page_not_found"
handler500 = "errors.views.server_error"
