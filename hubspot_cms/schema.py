"""OpenAPI descriptions of the HubSpot page operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from connections.schema import CONNECTION_OWNER_ERRORS as CONNECTION_ERRORS
from errors import catalog
from errors.schema import answer, operation_group
from hubspot_cms import serializers
from reports.schema import OWNER_ERRORS as AUDIT_ERRORS
from reports.schema import audit_operation_group

TAGS = ["latentgeo-hubspot"]
CONNECTION_ID_PARAMETER = OpenApiParameter("connection_id", int, OpenApiParameter.PATH)
CHANGE_ID_PARAMETER = OpenApiParameter("change_id", int, OpenApiParameter.PATH)
# Every call to HubSpot may need a new token, which HubSpot may refuse or fail to give.
HUBSPOT_CALL_ERRORS = (catalog.CONNECTION_NEEDS_REAUTH, catalog.PROVIDER_UNAVAILABLE)
# A change is rolled back only while it stands applied and its page still holds what it wrote.
ROLLBACK_REFUSALS = (catalog.HUBSPOT_CHANGE_NOT_APPLIED, catalog.HUBSPOT_PAGE_CHANGED_SINCE_CHANGE)
hubspot_operation = operation_group(tags=TAGS, validation=True)
# Operations on the one audit, or the one connection, of the caller's that the path names.
audit_operation = audit_operation_group(TAGS)
connection_operation = operation_group(
    tags=TAGS,
    parameters=[CONNECTION_ID_PARAMETER],
    errors=(*CONNECTION_ERRORS, *HUBSPOT_CALL_ERRORS),
    validation=True,
)

hubspot_sync = connection_operation(
    operation_id="hubspot_sync",
    summary="Sync the portal's site pages and blog posts into the service",
    request=None,
    responses=answer(
        serializers.HubSpotSyncOutputSerializer,
        "Pages stored.",
        examples={"synced": {"status": "success", "synced_count": 12}},
    ),
)

hubspot_pages = connection_operation(
    operation_id="hubspot_pages_list",
    summary="The connection's synced pages (synced first when never synced)",
    responses=answer(serializers.HubSpotPageOutputSerializer(many=True), "The pages."),
)

hubspot_recommendations = audit_operation(
    operation_id="hubspot_recommendations",
    summary="Proposed page changes from the audit's latest results",
    responses=answer(
        serializers.HubSpotRecommendationsOutputSerializer,
        "One proposal per page and field; `[]` when no audited page matches.",
    ),
)

hubspot_apply = hubspot_operation(
    operation_id="hubspot_apply_recommendations",
    summary="Write proposed values to HubSpot; each item is applied or failed",
    request=serializers.HubSpotApplyInputSerializer,
    examples=[
        OpenApiExample(
            "apply",
            request_only=True,
            value={
                "audit_id": 7,
                "recommendations": [
                    {
                        "hubspot_page_id": "158493211",
                        "field": "html_title",
                        "recommended_value": "Pricing",
                    }
                ],
            },
        ),
        OpenApiExample(
            "one applied, one changed in HubSpot",
            response_only=True,
            value={
                "status": "completed",
                "applied": 1,
                "failed": 1,
                "details": {
                    "applied": [
                        {
                            "page_id": "158493211",
                            "field": "html_title",
                            "success": True,
                            "change_id": 31,
                        }
                    ],
                    "failed": [
                        {
                            "page_id": "158493377",
                            "field": "meta_description",
                            "error": "La página cambió en HubSpot desde la propuesta",
                        }
                    ],
                },
            },
        ),
    ],
    responses=answer(serializers.HubSpotApplyOutputSerializer, "Per item."),
    errors=(*AUDIT_ERRORS, *HUBSPOT_CALL_ERRORS),
)

hubspot_rollback = hubspot_operation(
    operation_id="hubspot_rollback",
    summary="Restore the value an applied change replaced",
    parameters=[CHANGE_ID_PARAMETER],
    request=None,
    responses=answer(
        serializers.HubSpotRollbackOutputSerializer,
        "Restored; the restoring write is a change of its own.",
        examples={"rolled back": {"status": "success", "new_change_id": 32}},
    ),
    errors=(
        catalog.HUBSPOT_CHANGE_NOT_FOUND,
        *CONNECTION_ERRORS,
        *ROLLBACK_REFUSALS,
        *HUBSPOT_CALL_ERRORS,
    ),
)

hubspot_changes = hubspot_operation(
    operation_id="hubspot_changes_list",
    summary="The HubSpot changes made for an audit, newest first",
    parameters=[serializers.HubSpotChangesQueryInputSerializer],
    responses=answer(serializers.HubSpotChangeOutputSerializer(many=True), "Changes."),
    errors=AUDIT_ERRORS,
)
