"""Bodies of the HubSpot page endpoints, in the field names the LatentGEO web app reads."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from errors.fields import RecordedErrorField
from hubspot_cms.models import ChangeField, HubSpotChange, PageType

# Bounds of one apply request: what a page's head or title may sensibly hold.
APPLY_MAX_ITEMS = 500
VALUE_MAX_CHARS = {
    ChangeField.HTML_TITLE: 1000,
    ChangeField.META_DESCRIPTION: 2000,
    ChangeField.HEAD_HTML: 65536,
}


class HubSpotSyncOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='Always "success".')
    synced_count = serializers.IntegerField(help_text="Site pages and blog posts stored.")


class HubSpotPageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    connection_id = serializers.IntegerField()
    hubspot_id = serializers.CharField()
    type = serializers.ChoiceField(choices=PageType.choices, source="page_type")
    url = serializers.CharField()
    title = serializers.CharField(source="name", help_text="The page's name in HubSpot.")
    meta_description = serializers.CharField()
    html_title = serializers.CharField()
    last_synced_at = serializers.DateTimeField()
    hubspot_updated_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="HubSpotRecommendation")
class HubSpotRecommendationOutputSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Stable for the same page, field and value.")
    hubspot_page_id = serializers.CharField(help_text="What an apply item names the page by.")
    page_url = serializers.CharField()
    page_title = serializers.CharField(
        help_text="The page's HTML title, or its name in HubSpot when it has none."
    )
    field = serializers.ChoiceField(choices=ChangeField.choices)
    current_value = serializers.CharField(help_text="The field's value at the last sync.")
    recommended_value = serializers.CharField()
    priority = serializers.ChoiceField(choices=["high", "medium"])
    auto_fixable = serializers.BooleanField()
    issue_type = serializers.CharField()
    code = serializers.CharField()


class HubSpotRecommendationsOutputSerializer(serializers.Serializer):
    recommendations = HubSpotRecommendationOutputSerializer(many=True)


class HubSpotApplyItemInputSerializer(serializers.Serializer):
    hubspot_page_id = serializers.CharField(max_length=64)
    field = serializers.ChoiceField(choices=ChangeField.choices)
    # Not trimmed: the value is written to HubSpot exactly as proposed.
    recommended_value = serializers.CharField(
        max_length=VALUE_MAX_CHARS[ChangeField.HEAD_HTML], trim_whitespace=False
    )

    def validate(self, attrs: dict) -> dict:
        limit = VALUE_MAX_CHARS[attrs["field"]]
        if len(attrs["recommended_value"]) > limit:
            raise serializers.ValidationError(
                {"recommended_value": f"Ensure this field has no more than {limit} characters."}
            )
        return attrs


class HubSpotApplyInputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    recommendations = HubSpotApplyItemInputSerializer(
        many=True, allow_empty=False, max_length=APPLY_MAX_ITEMS
    )


@extend_schema_serializer(component_name="HubSpotAppliedItem")
class HubSpotAppliedItemOutputSerializer(serializers.Serializer):
    page_id = serializers.CharField(help_text="The item's `hubspot_page_id`.")
    field = serializers.CharField()
    success = serializers.BooleanField(help_text="Always true.")
    change_id = serializers.IntegerField(
        help_text="The change recorded: `POST /hubspot/rollback/{change_id}` undoes it."
    )


@extend_schema_serializer(component_name="HubSpotFailedItem")
class HubSpotFailedItemOutputSerializer(serializers.Serializer):
    page_id = serializers.CharField(help_text="The item's `hubspot_page_id`.")
    field = serializers.CharField()
    error = serializers.CharField()


@extend_schema_serializer(component_name="HubSpotApplyDetails")
class HubSpotApplyDetailsOutputSerializer(serializers.Serializer):
    applied = HubSpotAppliedItemOutputSerializer(many=True)
    failed = HubSpotFailedItemOutputSerializer(many=True)


class HubSpotApplyOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='Always "completed": each item says how it went.')
    applied = serializers.IntegerField()
    failed = serializers.IntegerField()
    details = HubSpotApplyDetailsOutputSerializer()


class HubSpotRollbackOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='Always "success".')
    new_change_id = serializers.IntegerField(help_text="The change that restored the value.")


class HubSpotChangesQueryInputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()


class HubSpotChangeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    page_id = serializers.IntegerField(
        allow_null=True, help_text="Our page id; null once a sync no longer lists the page."
    )
    hubspot_page_id = serializers.CharField()
    field = serializers.ChoiceField(choices=ChangeField.choices)
    before = serializers.CharField()
    after = serializers.CharField()
    status = serializers.ChoiceField(choices=HubSpotChange.Status.choices)
    error = RecordedErrorField()
    created_at = serializers.DateTimeField()
