"""A URL conf that adds probe views under both API namespaces to the project's routes."""

from django.core.exceptions import PermissionDenied, TooManyFieldsSent
from django.http import Http404
from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import geog_patterns, latentgeo_patterns
from config.urls import urlpatterns as project_urlpatterns
from errors.validation import body_validate, path_int, query_validate


class _Location(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class _EchoInput(serializers.Serializer):
    email = serializers.EmailField()
    count = serializers.IntegerField(required=False)
    website = serializers.URLField(required=False)
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)
    location = _Location(required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=3), required=False)


class _ItemQuery(serializers.Serializer):
    limit = serializers.IntegerField(required=False)


class EchoView(APIView):
    def post(self, request):
        return Response(body_validate(_EchoInput, request))


class ItemView(APIView):
    def get(self, request, item_id):
        query = query_validate(_ItemQuery, request)
        return Response({"id": path_int("item_id", item_id), **query})


class BoomView(APIView):
    def get(self, request):
        raise RuntimeError("secret internal detail")


def plain_boom(request):
    raise RuntimeError("secret internal detail outside DRF")


def plain_missing(request):
    raise Http404("secret missing detail")


def plain_suspicious(request):
    raise TooManyFieldsSent("secret suspicious detail")


def plain_forbidden(request):
    raise PermissionDenied("secret forbidden detail")


probe_patterns = [
    path("probe/echo", EchoView.as_view()),
    path("probe/items/<str:item_id>", ItemView.as_view()),
    path("probe/boom", BoomView.as_view()),
    path("probe/plain-boom", plain_boom),
    path("probe/plain-missing", plain_missing),
    path("probe/plain-suspicious", plain_suspicious),
    path("probe/plain-forbidden", plain_forbidden),
]

urlpatterns = [
    path("api/v1/", include((probe_patterns + latentgeo_patterns, "latentgeo"))),
    path("v1/", include((probe_patterns + geog_patterns, "geog"))),
    path("probe/plain-boom", plain_boom),
    *project_urlpatterns,
]

handler400 = "errors.views.bad_request"
handler403 = "errors.views.permission_denied"
handler404 = "errors.views.page_not_found"
handler500 = "errors.views.server_error"
