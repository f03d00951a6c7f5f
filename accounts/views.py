"""Geog token endpoints (JWKS, token exchange, long-lived tokens) and the usage endpoints."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import schema
from accounts.geog_view import GeogView
from accounts.models import FAMILIES, SCOPE_ADMIN_ACCESS, SCOPE_BILLING_MANAGE
from accounts.permissions import LongLivedTokenRequired, scope_required
from accounts.selectors import (
    api_token_get,
    api_token_list_for_organization,
    organization_get,
    signing_keys_published,
    usage_days_list,
    usage_limits,
    usage_tokens_list,
)
from accounts.serializers import (
    ApiTokenCreatedOutputSerializer,
    ApiTokenCreateInputSerializer,
    ApiTokenOutputSerializer,
    JwksOutputSerializer,
    TokenExchangeInputSerializer,
    TokenExchangeOutputSerializer,
    UsageOutputSerializer,
    UsageQueryInputSerializer,
    UsageTokenOutputSerializer,
)
from accounts.services import api_token_create, api_token_exchange, api_token_revoke
from accounts.usage_flush import usage_flush_in_process
from errors.validation import body_validate, query_validate


class JwksView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @schema.jwks_get
    def get(self, request):
        keys = [signing_key.public_jwk for signing_key in signing_keys_published()]
        return Response(
            JwksOutputSerializer({"keys": keys}).data,
            headers={"Cache-Control": "public, max-age=3600"},
        )


class TokenExchangeView(GeogView):
    permission_classes = [LongLivedTokenRequired]

    @schema.token_exchange
    def post(self, request):
        data = body_validate(
            TokenExchangeInputSerializer, request, context={"parent_scopes": request.user.scopes}
        )
        exchanged = api_token_exchange(
            principal=request.user, ttl=data["ttl"], scope=data.get("scope")
        )
        return Response(TokenExchangeOutputSerializer(exchanged).data)


class ApiTokensView(GeogView):
    permission_classes = [scope_required(SCOPE_ADMIN_ACCESS, long_lived=True)]

    @schema.api_tokens_list
    def get(self, request):
        api_tokens = api_token_list_for_organization(organization_id=request.user.organization_id)
        return Response(ApiTokenOutputSerializer(api_tokens, many=True).data)

    @schema.api_token_create
    def post(self, request):
        data = body_validate(ApiTokenCreateInputSerializer, request)
        api_token, jwt_value = api_token_create(
            organization=organization_get(pk=request.user.organization_id),
            name=data["name"],
            scopes=data["scopes"],
            expires_in_days=data.get("expires_in_days"),
        )
        body = ApiTokenCreatedOutputSerializer(api_token, context={"token": jwt_value}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenRevokeView(GeogView):
    permission_classes = [scope_required(SCOPE_ADMIN_ACCESS, long_lived=True)]

    @schema.api_token_revoke
    def delete(self, request, token_id: str):
        api_token = api_token_get(organization_id=request.user.organization_id, public_id=token_id)
        api_token_revoke(api_token=api_token)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _usage_query(request) -> dict:
    """The date range a usage report asks for, once this process's counts are written: the
    report then includes the caller's own latest requests."""
    query = query_validate(UsageQueryInputSerializer, request)
    usage_flush_in_process()
    return query


class UsageView(GeogView):
    permission_classes = [scope_required(SCOPE_BILLING_MANAGE, SCOPE_ADMIN_ACCESS)]

    @schema.usage_get
    def get(self, request):
        query = _usage_query(request)
        organization = organization_get(pk=request.user.organization_id)
        days = usage_days_list(
            organization_id=organization.pk, date_from=query["from"], date_to=query["to"]
        )
        report = {
            "organization": organization.slug,
            "tier": organization.tier,
            "from": query["from"],
            "to": query["to"],
            "days": days,
            "totals": {family: sum(day[family] for day in days) for family in FAMILIES},
            "limits": usage_limits(organization=organization),
        }
        return Response(UsageOutputSerializer(report).data)


class UsageTokensView(GeogView):
    permission_classes = [scope_required(SCOPE_BILLING_MANAGE, SCOPE_ADMIN_ACCESS)]

    @schema.usage_tokens_get
    def get(self, request):
        query = _usage_query(request)
        tokens = usage_tokens_list(
            organization_id=request.user.organization_id,
            date_from=query["from"],
            date_to=query["to"],
        )
        return Response(UsageTokenOutputSerializer(tokens, many=True).data)
