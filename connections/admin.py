"""Staff view of connections: find ownerless (legacy) rows and assign them an owner."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from connections.models import Connection
from connections.services import connection_owner_assign

# What staff may set on a connection: who owns it.
OWNER_FIELDS = ("owner_user_id", "owner_email")


class OwnerlessFilter(admin.SimpleListFilter):
    title = "ownerless"
    parameter_name = "ownerless"

    def lookups(self, request, model_admin):
        return [("yes", "Ownerless"), ("no", "Has an owner")]

    def queryset(self, request, queryset):
        ownerless = Q(owner_user_id="", owner_email="")
        if self.value() == "yes":
            return queryset.filter(ownerless)
        if self.value() == "no":
            return queryset.exclude(ownerless)
        return queryset


class AssignOwnerForm(forms.Form):
    owner_user_id = forms.CharField(
        max_length=255, required=False, label="Owner id", help_text="Auth0 `sub` of the owner."
    )
    owner_email = forms.EmailField(required=False, label="Owner email")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_user_id") and not cleaned.get("owner_email"):
            raise forms.ValidationError("Give the owner id, the owner email, or both.")
        return cleaned


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "provider",
        "account_id",
        "username",
        "owner_user_id",
        "owner_email",
        "is_active",
        "needs_reauth",
        "updated_at",
    )
    list_filter = ("provider", OwnerlessFilter, "is_active", "needs_reauth")
    search_fields = ("owner_email", "username")
    # The encrypted token columns are not editable fields, so no form ever shows them; staff
    # edit only the owner, everything else comes from the provider.
    fields = (
        "provider",
        "account_id",
        "username",
        "scopes",
        "owner_user_id",
        "owner_email",
        "is_active",
        "needs_reauth",
        "token_expires_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(name for name in fields if name not in OWNER_FIELDS)
    actions = ["assign_owner"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Connections come from the OAuth flow, which is the only source of their tokens.
        return False

    @admin.action(description="Assign owner to selected connections")
    def assign_owner(self, request: HttpRequest, queryset: QuerySet[Connection]):
        form = AssignOwnerForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            changed = connection_owner_assign(
                connection_ids=list(queryset.values_list("pk", flat=True)),
                owner_user_id=form.cleaned_data["owner_user_id"],
                owner_email=form.cleaned_data["owner_email"],
            )
            self.message_user(
                request, f"Assigned an owner to {changed} connection(s).", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign owner",
            "opts": self.model._meta,
            "form": form,
            "connections": queryset,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/connections/connection/assign_owner.html", context)
