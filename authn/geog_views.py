"""Geog token endpoints: JWKS, token exchange and the organization's long-lived tokens."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.geog_authentication import GeogTokenAuthentication
from authn.geog_permissions import LongLivedTokenRequired, scope_required
from authn.geog_selectors import (
    api_token_for_organization,
    api_tokens_for_organization,
    organization_by_pk,
    signing_keys_published,
)
from authn.geog_services import api_token_create, api_token_exchange, api_token_revoke
from authn.models import SCOPE_ADMIN_ACCESS, SCOPES
from errors import catalog
from errors.openapi import geog_responses
from errors.validation import body_validate
from tiles.rate_limits import RATE_LIMIT_RESPONSE_HEADERS, RateLimitedMixin

EXCHANGE_TTL_MAX_SECONDS = 14400
EXCHANGE_TTL_DEFAULT_SECONDS = 3600
TOKEN_MAX_DAYS = 3650

_AUTH_ERRORS = (
    catalog.AUTH_REQUIRED,
    catalog.GEOG_INVALID_TOKEN,
    catalog.GEOG_TOKEN_REVOKED,
    catalog.GEOG_TOKEN_EXPIRED,
    catalog.GEOG_JWKS_FETCH_FAILED,
    catalog.GEOG_RATE_LIMIT_EXCEEDED,
)


class JwksView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    class OutputSerializer(serializers.Serializer):
        keys = serializers.ListField(child=serializers.DictField(), help_text="RSA public JWKs")

        class Meta:
            ref_name = "GeogJwks"

    @extend_schema(
        tags=["geog-auth"],
        operation_id="geog_jwks",
        summary="Public keys that verify Geog tokens (JWKS)",
        responses={200: OpenApiResponse(OutputSerializer, description="The public signing keys")},
    )
    def get(self, request):
        keys = [signing_key.public_jwk for signing_key in signing_keys_published()]
        return Response({"keys": keys}, headers={"Cache-Control": "public, max-age=3600"})


class TokenExchangeView(RateLimitedMixin, APIView):
    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [LongLivedTokenRequired]
    rate_limit_family = "api"

    class InputSerializer(serializers.Serializer):
        ttl = serializers.IntegerField(
            min_value=1, max_value=EXCHANGE_TTL_MAX_SECONDS, default=EXCHANGE_TTL_DEFAULT_SECONDS
        )
        scope = serializers.CharField(
            required=False, help_text="Space-separated subset of the token's scopes"
        )

        class Meta:
            ref_name = "GeogTokenExchangeInput"

        def validate_scope(self, value: str) -> str:
            parent_scopes = self.context["parent_scopes"]
            missing = sorted(set(value.split()) - parent_scopes)
            if missing:
                granted = " ".join(missing)
                raise serializers.ValidationError(
                    f"Scope must be a subset of the token's scopes; not granted: {granted}"
                )
            return value

    class OutputSerializer(serializers.Serializer):
        access_token = serializers.CharField()
        token_type = serializers.CharField(default="Bearer")
        expires_in = serializers.IntegerField()
        expires_at = serializers.DateTimeField()
        scope = serializers.CharField()

        class Meta:
            ref_name = "GeogTokenExchange"

    @extend_schema(
        tags=["geog-auth"],
        summary="Exchange a long-lived token for a short-lived one",
        parameters=RATE_LIMIT_RESPONSE_HEADERS,
        request=InputSerializer,
        responses={
            200: OpenApiResponse(OutputSerializer, description="A short-lived token"),
            **geog_responses(*_AUTH_ERRORS, catalog.GEOG_INSUFFICIENT_SCOPE, validation=True),
        },
    )
    def post(self, request):
        data = body_validate(
            self.InputSerializer, request, context={"parent_scopes": request.user.scopes}
        )
        exchanged = api_token_exchange(
            principal=request.user, ttl=data["ttl"], scope=data.get("scope")
        )
        output = {
            "access_token": exchanged.access_token,
            "token_type": "Bearer",
            "expires_in": exchanged.expires_in,
            "expires_at": exchanged.expires_at,
            "scope": exchanged.scope,
        }
        return Response(self.OutputSerializer(output).data)


class ApiTokenOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "GeogApiToken"


class ApiTokensView(RateLimitedMixin, APIView):
    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [scope_required(SCOPE_ADMIN_ACCESS, long_lived=True)]
    rate_limit_family = "api"

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        scopes = serializers.ListField(
            child=serializers.ChoiceField(choices=SCOPES), allow_empty=False
        )
        expires_in_days = serializers.IntegerField(
            min_value=1, max_value=TOKEN_MAX_DAYS, required=False
        )

        class Meta:
            ref_name = "GeogApiTokenCreateInput"

    class CreatedSerializer(ApiTokenOutputSerializer):
        token = serializers.CharField(help_text="The JWT; shown only in this response")

        class Meta:
            ref_name = "GeogApiTokenCreated"

    @extend_schema(
        tags=["geog-auth"],
        summary="The organization's long-lived tokens (never the token itself)",
        parameters=RATE_LIMIT_RESPONSE_HEADERS,
        responses={
            200: OpenApiResponse(
                ApiTokenOutputSerializer(many=True), description="The organization's tokens"
            ),
            **geog_responses(*_AUTH_ERRORS, catalog.GEOG_INSUFFICIENT_SCOPE),
        },
    )
    def get(self, request):
        api_tokens = api_tokens_for_organization(organization_id=request.user.organization_id)
        return Response(ApiTokenOutputSerializer(api_tokens, many=True).data)

    @extend_schema(
        tags=["geog-auth"],
        summary="Create a long-lived token; the response shows it once",
        parameters=RATE_LIMIT_RESPONSE_HEADERS,
        request=InputSerializer,
        responses={
            201: OpenApiResponse(CreatedSerializer, description="Created; `token` is shown once"),
            **geog_responses(
                *_AUTH_ERRORS, catalog.GEOG_INSUFFICIENT_SCOPE, catalog.NOT_FOUND, validation=True
            ),
        },
    )
    def post(self, request):
        data = body_validate(self.InputSerializer, request)
        api_token, jwt_value = api_token_create(
            organization=organization_by_pk(pk=request.user.organization_id),
            name=data["name"],
            scopes=data["scopes"],
            expires_in_days=data.get("expires_in_days"),
        )
        body = {**ApiTokenOutputSerializer(api_token).data, "token": jwt_value}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenRevokeView(RateLimitedMixin, APIView):
    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [scope_required(SCOPE_ADMIN_ACCESS, long_lived=True)]
    rate_limit_family = "api"

    @extend_schema(
        tags=["geog-auth"],
        summary="Revoke a long-lived token of the organization",
        parameters=RATE_LIMIT_RESPONSE_HEADERS,
        responses={
            204: OpenApiResponse(description="Revoked"),
            **geog_responses(*_AUTH_ERRORS, catalog.GEOG_INSUFFICIENT_SCOPE, catalog.NOT_FOUND),
        },
    )
    def delete(self, request, token_id: str):
        api_token = api_token_for_organization(
            organization_id=request.user.organization_id, public_id=token_id
        )
        api_token_revoke(api_token=api_token)
        return Response(status=status.HTTP_204_NO_CONTENT)
