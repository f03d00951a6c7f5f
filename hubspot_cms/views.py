"""LatentGEO HubSpot endpoints: sync and list pages, propose, apply and roll back changes."""

from drf_spectacular.utils import extend_schema_view
from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from connections.connection_view import ConnectionSyncView, ConnectionView
from connections.models import Provider
from errors.validation import body_validate, path_int, query_validate
from hubspot_cms import schema, services
from hubspot_cms.recommendations import hubspot_recommendation_list
from hubspot_cms.selectors import hubspot_change_list, hubspot_page_list
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
from reports.audit_view import AuditView
from reports.selectors import audit_get_for_owner


class HubSpotConnectionView(ConnectionView):
    provider = Provider.HUBSPOT


@extend_schema_view(post=schema.hubspot_sync)
class HubSpotSyncView(ConnectionSyncView, HubSpotConnectionView):
    sync = staticmethod(services.hubspot_pages_sync)
    output_serializer = HubSpotSyncOutputSerializer


class HubSpotPagesView(HubSpotConnectionView):
    @schema.hubspot_pages
    def get(self, request, connection_id: str):
        connection = self.connection_get(request, connection_id)
        services.hubspot_pages_sync_first(connection=connection)
        pages = hubspot_page_list(connection=connection)
        return Response(HubSpotPageOutputSerializer(pages, many=True).data)


class HubSpotRecommendationsView(AuditView):
    @schema.hubspot_recommendations
    def get(self, request, **kwargs):
        items = hubspot_recommendation_list(audit=self.audit, user=request.user)
        return Response(HubSpotRecommendationsOutputSerializer({"recommendations": items}).data)


class HubSpotApplyView(LatentgeoView):
    @schema.hubspot_apply
    def post(self, request):
        data = body_validate(HubSpotApplyInputSerializer, request)
        audit = audit_get_for_owner(audit_id=data["audit_id"], user=request.user)
        proposals = [
            services.ProposedChange(
                hubspot_page_id=item["hubspot_page_id"],
                field=item["field"],
                value=item["recommended_value"],
            )
            for item in data["recommendations"]
        ]
        report = services.hubspot_changes_apply(audit=audit, user=request.user, proposals=proposals)
        body = {
            "status": "completed",
            "applied": len(report.applied),
            "failed": len(report.failed),
            "details": {"applied": report.applied, "failed": report.failed},
        }
        return Response(HubSpotApplyOutputSerializer(body).data)


class HubSpotRollbackView(LatentgeoView):
    @schema.hubspot_rollback
    def post(self, request, change_id: str):
        restoring = services.hubspot_change_rollback(
            change_id=path_int("change_id", change_id), user=request.user
        )
        body = {"status": "success", "new_change_id": restoring.pk}
        return Response(HubSpotRollbackOutputSerializer(body).data)


class HubSpotChangesView(LatentgeoView):
    @schema.hubspot_changes
    def get(self, request):
        query = query_validate(HubSpotChangesQueryInputSerializer, request)
        audit = audit_get_for_owner(audit_id=query["audit_id"], user=request.user)
        changes = hubspot_change_list(audit=audit)
        return Response(HubSpotChangeOutputSerializer(changes, many=True).data)
