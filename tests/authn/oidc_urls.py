"""The project's routes as they are when staff OIDC login is configured."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    *project_urlpatterns,
]

handler400 = "errors.views.bad_request"
handler403 = "errors.views.permission_denied"
handler404 = "errors.views.page_not_found"
handler500 = "errors.views.server_error"
