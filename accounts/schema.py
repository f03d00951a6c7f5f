"""OpenAPI descriptions of the Geog token operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiResponse

from accounts.serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateInputSerializer,
    ApiTokenSerializer,
    JwksSerializer,
    TokenExchangeInputSerializer,
    TokenExchangeSerializer,
)
from errors import catalog
from errors.openapi import operation

TAGS = ["geog-auth"]

jwks_get = operation(
    tags=TAGS,
    operation_id="geog_jwks",
    summary="Public keys that verify Geog tokens (JWKS)",
    responses={200: OpenApiResponse(JwksSerializer, description="The public signing keys")},
)

token_exchange = operation(
    tags=TAGS,
    summary="Exchange a long-lived token for a short-lived one",
    request=TokenExchangeInputSerializer,
    responses={200: OpenApiResponse(TokenExchangeSerializer, description="A short-lived token")},
    validation=True,
)

api_tokens_list = operation(
    tags=TAGS,
    summary="The organization's long-lived tokens (never the token itself)",
    responses={
        200: OpenApiResponse(ApiTokenSerializer(many=True), description="The organization's tokens")
    },
)

api_token_create = operation(
    tags=TAGS,
    summary="Create a long-lived token; the response shows it once",
    request=ApiTokenCreateInputSerializer,
    responses={
        201: OpenApiResponse(
            ApiTokenCreatedSerializer, description="Created; `token` is shown once"
        )
    },
    errors=(catalog.NOT_FOUND,),
    validation=True,
)

api_token_revoke = operation(
    tags=TAGS,
    summary="Revoke a long-lived token of the organization",
    responses={204: OpenApiResponse(description="Revoked")},
    errors=(catalog.NOT_FOUND,),
)
