"""OpenAPI descriptions of the HubSpot page operations; errors of their classes are derived."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from errors import catalog
from errors.schema import operation
from hubspot_cms.serializers import (
    HubSpotApplyInputSerializer,
    HubSpotApplyOutputSerializer,
    HubSpotChangeOutputSerializer,
    HubSpotChangesQueryInputSerializer,
    HubSpotPageOutputSerializer,
    HubSpotRecommendationsOutputSerializer,
    HubSpotRollbackOutputSerializer,
    HubSpotSyncOutputSerializer,
)

TAGS = ["latentgeo-hubspot"]
CONNECTION_ID_PARAMETER = OpenApiParameter("connection_id", int, OpenApiParameter.PATH)
AUDIT_ID_PARAMETER = OpenApiParameter("audit_id", int, OpenApiParameter.PATH)
CHANGE_ID_PARAMETER = OpenApiParameter("change_id", int, OpenApiParameter.PATH)
AUDIT_ERRORS = (catalog.AUDIT_NOT_FOUND, catalog.AUDIT_NOT_OWNED)
CONNECTION_ERRORS = (
    catalog.CONNECTION_NOT_FOUND,
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
)
# Every call to HubSpot may need a new token, which HubSpot may refuse or fail to give.
HUBSPOT_CALL_ERRORS = (catalog.CONNECTION_NEEDS_REAUTH, catalog.PROVIDER_UNAVAILABLE)

hubspot_sync = operation(
    tags=TAGS,
    operation_id="hubspot_sync",
    summary="Sync the portal's site pages and blog posts into the service",
    parameters=[CONNECTION_ID_PARAMETER],
    request=None,
    responses={
        200: OpenApiResponse(
            HubSpotSyncOutputSerializer,
            description="Pages stored.",
            examples=[
                OpenApiExample(
                    "synced", value={"status": "success", "synced_count": 12}, response_only=True
                )
            ],
        )
    },
    errors=(*CONNECTION_ERRORS, *HUBSPOT_CALL_ERRORS),
    validation=True,
)

hubspot_pages = operation(
    tags=TAGS,
    operation_id="hubspot_pages_list",
    summary="The connection's synced pages (synced first when never synced)",
    parameters=[CONNECTION_ID_PARAMETER],
    responses={
        200: OpenApiResponse(HubSpotPageOutputSerializer(many=True), description="The pages.")
    },
    errors=(*CONNECTION_ERRORS, *HUBSPOT_CALL_ERRORS),
    validation=True,
)

hubspot_recommendations = operation(
    tags=TAGS,
    operation_id="hubspot_recommendations",
    summary="Proposed page changes from the audit's latest results",
    parameters=[AUDIT_ID_PARAMETER],
    responses={
        200: OpenApiResponse(
            HubSpotRecommendationsOutputSerializer,
            description="One proposal per page and field; `[]` when no audited page matches.",
        )
    },
    errors=AUDIT_ERRORS,
    validation=True,
)

hubspot_apply = operation(
    tags=TAGS,
    operation_id="hubspot_apply_recommendations",
    summary="Write proposed values to HubSpot; each item is applied or failed",
    request=HubSpotApplyInputSerializer,
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
    responses={200: OpenApiResponse(HubSpotApplyOutputSerializer, description="Per item.")},
    errors=(catalog.MALFORMED_JSON, *AUDIT_ERRORS, *HUBSPOT_CALL_ERRORS),
    validation=True,
)

hubspot_rollback = operation(
    tags=TAGS,
    operation_id="hubspot_rollback",
    summary="Restore the value an applied change replaced",
    parameters=[CHANGE_ID_PARAMETER],
    request=None,
    responses={
        200: OpenApiResponse(
            HubSpotRollbackOutputSerializer,
            description="Restored; the restoring write is a change of its own.",
            examples=[
                OpenApiExample(
                    "rolled back",
                    value={"status": "success", "new_change_id": 32},
                    response_only=True,
                )
            ],
        )
    },
    errors=(
        catalog.HUBSPOT_CHANGE_NOT_FOUND,
        *CONNECTION_ERRORS,
        catalog.HUBSPOT_CHANGE_NOT_APPLIED,
        catalog.HUBSPOT_PAGE_CHANGED_SINCE_CHANGE,
        *HUBSPOT_CALL_ERRORS,
    ),
    validation=True,
)

hubspot_changes = operation(
    tags=TAGS,
    operation_id="hubspot_changes_list",
    summary="The HubSpot changes made for an audit, newest first",
    parameters=[HubSpotChangesQueryInputSerializer],
    responses={
        200: OpenApiResponse(HubSpotChangeOutputSerializer(many=True), description="Changes.")
    },
    errors=AUDIT_ERRORS,
    validation=True,
)
