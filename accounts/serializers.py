"""Bodies of the Geog token API."""

from datetime import UTC, datetime, timedelta

from rest_framework import serializers

from accounts.models import FAMILIES, SCOPES, Organization
from accounts.tokens import EXCHANGE_TTL_DEFAULT_SECONDS, EXCHANGE_TTL_MAX_SECONDS

TOKEN_MAX_DAYS = 3650
# One or more known scopes, one space apart: the schema states what the API accepts.
SCOPE_LIST_PATTERN = "^({scope})( ({scope}))*$".format(scope="|".join(SCOPES))
USAGE_DEFAULT_DAYS = 30
USAGE_MAX_DAYS = 366


class JwksOutputSerializer(serializers.Serializer):
    keys = serializers.ListField(child=serializers.DictField(), help_text="RSA public JWKs")

    class Meta:
        ref_name = "GeogJwks"


class TokenExchangeInputSerializer(serializers.Serializer):
    ttl = serializers.IntegerField(
        min_value=1, max_value=EXCHANGE_TTL_MAX_SECONDS, default=EXCHANGE_TTL_DEFAULT_SECONDS
    )
    scope = serializers.RegexField(
        SCOPE_LIST_PATTERN,
        required=False,
        help_text="Space-separated subset of the token's scopes",
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


class TokenExchangeOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    scope = serializers.CharField()

    class Meta:
        ref_name = "GeogTokenExchange"


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


class ApiTokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=SCOPES), allow_empty=False, min_length=1
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=TOKEN_MAX_DAYS, required=False
    )

    class Meta:
        ref_name = "GeogApiTokenCreateInput"


class ContextCharField(serializers.CharField):
    """A string the view hands over in the context under the field's name: a value that is
    shown once and never stored cannot be read back from the instance."""

    def get_attribute(self, instance) -> str:
        return self.context[self.field_name]


class ApiTokenCreatedOutputSerializer(ApiTokenOutputSerializer):
    token = ContextCharField(help_text="The JWT; shown only in this response")

    class Meta:
        ref_name = "GeogApiTokenCreated"


class UsageQueryInputSerializer(serializers.Serializer):
    """`from` and `to` (UTC dates, inclusive): by default the last 30 days, at most 366."""

    class Meta:
        ref_name = "GeogUsageQueryInput"

    def get_fields(self) -> dict:
        # `from` is a Python keyword: the fields are named here rather than declared.
        return {
            "from": serializers.DateField(
                required=False, input_formats=["%Y-%m-%d"], help_text="First day, YYYY-MM-DD"
            ),
            "to": serializers.DateField(
                required=False, input_formats=["%Y-%m-%d"], help_text="Last day, YYYY-MM-DD"
            ),
        }

    def validate(self, attrs: dict) -> dict:
        today = datetime.now(UTC).date()
        date_to = attrs.get("to") or today
        date_from = attrs.get("from") or date_to - timedelta(days=USAGE_DEFAULT_DAYS - 1)
        if date_from > date_to:
            raise serializers.ValidationError({"from": "Must be on or before `to`."})
        if (date_to - date_from).days + 1 > USAGE_MAX_DAYS:
            raise serializers.ValidationError(
                {"from": f"The range may span at most {USAGE_MAX_DAYS} days."}
            )
        return {"from": date_from, "to": date_to}


# A usage body: its declared fields, then an integer per family of FAMILIES, so every body
# answers each family the Geog API counts, in one order. (A comment, not a docstring: the
# schema would show a docstring as each body's description.)
class FamilyCountsOutputSerializer(serializers.Serializer):
    counts_allow_null = False

    def get_fields(self) -> dict:
        fields = super().get_fields()
        for family in FAMILIES:
            fields[family] = serializers.IntegerField(allow_null=self.counts_allow_null)
        return fields


class UsageFamiliesOutputSerializer(FamilyCountsOutputSerializer):
    class Meta:
        ref_name = "GeogUsageFamilies"


class UsageLimitsOutputSerializer(FamilyCountsOutputSerializer):
    counts_allow_null = True

    class Meta:
        ref_name = "GeogUsageLimits"


class UsageDayOutputSerializer(FamilyCountsOutputSerializer):
    date = serializers.DateField()

    class Meta:
        ref_name = "GeogUsageDay"


class UsageOutputSerializer(serializers.Serializer):
    organization = serializers.CharField(help_text="The organization's slug")
    tier = serializers.ChoiceField(choices=Organization.Tier.choices)
    days = UsageDayOutputSerializer(many=True, help_text="Every day of the range")
    totals = UsageFamiliesOutputSerializer()
    limits = UsageLimitsOutputSerializer(
        help_text="Requests allowed per rate-limit window; null when not limited"
    )

    class Meta:
        ref_name = "GeogUsage"

    def get_fields(self) -> dict:
        fields = super().get_fields()
        return {
            "organization": fields["organization"],
            "tier": fields["tier"],
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            **{name: fields[name] for name in ("days", "totals", "limits")},
        }


class UsageTokenOutputSerializer(FamilyCountsOutputSerializer):
    token_id = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="Null for a token unknown here")

    class Meta:
        ref_name = "GeogUsageToken"
