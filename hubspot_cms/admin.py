"""Staff view of HubSpot pages and changes: the changes of each audit, and rolling one back."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from errors.exceptions import ApiError
from hubspot_cms.models import HubSpotChange, HubSpotPage
from hubspot_cms.services import hubspot_change_revert


class AuditFilter(admin.SimpleListFilter):
    """The audits that have changes, newest first: one audit's changes at a click."""

    title = "audit"
    parameter_name = "audit"

    def lookups(self, request, model_admin):
        audits = (
            HubSpotChange.objects.order_by("-audit_id")
            .values_list("audit_id", "audit__url")
            .distinct()[:50]
        )
        return [(str(audit_id), f"#{audit_id} {url}") for audit_id, url in audits]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(audit_id=self.value())
        return queryset


@admin.register(HubSpotChange)
class HubSpotChangeAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "audit",
        "page_url",
        "field",
        "status",
        "error",
        "rollback_of",
        "created_at",
    )
    list_filter = (AuditFilter, "status", "field")
    search_fields = ("page_url", "hubspot_page_id", "audit__url")
    list_select_related = ("audit",)
    actions = ["roll_back"]
    readonly_fields = [field.name for field in HubSpotChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Changes are HubSpot writes; they only come from applying or rolling back.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Roll back selected changes in HubSpot")
    def roll_back(self, request: HttpRequest, queryset: QuerySet[HubSpotChange]) -> None:
        for change in queryset.order_by("id"):
            try:
                restoring = hubspot_change_revert(change=change)
            except ApiError as exc:
                self.message_user(
                    request, f"Change {change.pk}: {exc.latentgeo_message}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    f"Change {change.pk} rolled back (change {restoring.pk}).",
                    messages.SUCCESS,
                )


@admin.register(HubSpotPage)
class HubSpotPageAdmin(admin.ModelAdmin):
    list_display = ("id", "connection", "page_type", "url", "hubspot_updated_at", "last_synced_at")
    list_filter = ("page_type",)
    search_fields = ("url", "hubspot_id", "name")
    readonly_fields = [field.name for field in HubSpotPage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Pages come from syncing the portal.
        return False
