"""Bodies of the Geog token API."""

from rest_framework import serializers

from accounts.models import SCOPES
from accounts.tokens import EXCHANGE_TTL_DEFAULT_SECONDS, EXCHANGE_TTL_MAX_SECONDS

TOKEN_MAX_DAYS = 3650


class JwksSerializer(serializers.Serializer):
    keys = serializers.ListField(child=serializers.DictField(), help_text="RSA public JWKs")

    class Meta:
        ref_name = "GeogJwks"


class TokenExchangeInputSerializer(serializers.Serializer):
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


class TokenExchangeSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    scope = serializers.CharField()

    class Meta:
        ref_name = "GeogTokenExchange"


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "GeogApiToken"


class ApiTokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=SCOPES), allow_empty=False)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=TOKEN_MAX_DAYS, required=False
    )

    class Meta:
        ref_name = "GeogApiTokenCreateInput"


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The JWT; shown only in this response")

    class Meta:
        ref_name = "GeogApiTokenCreated"
