import csv
from datetime import UTC, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_ratelimit.decorators import ratelimit

from accounts.models import SCOPES, ApiToken, Organization, SigningKey
from accounts.selectors import usage_days_list, usage_rows_list
from accounts.serializers import UsageQueryInputSerializer
from accounts.services import api_token_create, api_token_revoke, organization_update
from accounts.usage_chart import usage_chart_build
from accounts.usage_flush import usage_flush_in_process

CHART_DAYS = 30


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "name",
        "tier",
        "tiles_per_window",
        "places_per_window",
        "api_per_window",
        "created_at",
        "usage_link",
    ]
    list_filter = ["tier"]
    search_fields = ["slug", "name"]

    @admin.display(description="Usage")
    def usage_link(self, obj: Organization) -> str:
        url = reverse("admin:accounts_organization_usage", args=[obj.pk])
        return format_html('<a href="{}">chart and export</a>', url)

    def get_urls(self):
        export = ratelimit(
            group="admin-usage-export",
            key="user",
            rate=lambda _group, _request: settings.ADMIN_USAGE_EXPORT_RATE,
            block=True,
        )(self.usage_csv_view)
        return [
            path(
                "<int:organization_id>/usage/",
                self.admin_site.admin_view(self.usage_view),
                name="accounts_organization_usage",
            ),
            path(
                "<int:organization_id>/usage.csv",
                self.admin_site.admin_view(export),
                name="accounts_organization_usage_csv",
            ),
            *super().get_urls(),
        ]

    def usage_view(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        """The last 30 days of the organization's usage as a chart, and the export form."""
        organization = self._viewable(request, organization_id)
        usage_flush_in_process()
        date_to = datetime.now(UTC).date()
        date_from = date_to - timedelta(days=CHART_DAYS - 1)
        days = usage_days_list(
            organization_id=organization.pk, date_from=date_from, date_to=date_to
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Usage of {organization}",
            "organization": organization,
            "date_from": date_from,
            "date_to": date_to,
            "chart": usage_chart_build(days=days),
        }
        return TemplateResponse(request, "accounts/organization_usage.html", context)

    def usage_csv_view(self, request: HttpRequest, organization_id: int) -> HttpResponse:
        """The organization's usage of a range of days as CSV, a row per day and token."""
        organization = self._viewable(request, organization_id)
        query = UsageQueryInputSerializer(data=request.GET)
        if not query.is_valid():
            return HttpResponseBadRequest(
                f"Invalid range: {query.errors}", content_type="text/plain"
            )
        date_from, date_to = query.validated_data["from"], query.validated_data["to"]
        usage_flush_in_process()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"usage-{organization.slug}-{date_from}-{date_to}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow(["date", "token_id", "token_name", "tiles", "places", "api"])
        for row in usage_rows_list(
            organization_id=organization.pk, date_from=date_from, date_to=date_to
        ):
            writer.writerow(
                [
                    row["date"].isoformat(),
                    row["token_id"],
                    row["name"] or "",
                    row["tiles"],
                    row["places"],
                    row["api"],
                ]
            )
        return response

    def _viewable(self, request: HttpRequest, organization_id: int) -> Organization:
        organization = get_object_or_404(Organization, pk=organization_id)
        if not self.has_view_permission(request, organization):
            raise PermissionDenied
        return organization

    def save_model(self, request, obj, form, change):
        # Saves and deletes, here or anywhere, drop the cached tier and limits
        # (accounts.organization_signals).
        if change:
            organization_update(organization=obj)
        else:
            super().save_model(request, obj, form, change)


class ApiTokenCreationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in SCOPES], widget=forms.CheckboxSelectMultiple
    )
    expires_in_days = forms.IntegerField(
        min_value=1, required=False, help_text="Empty: the default lifetime."
    )

    class Meta:
        model = ApiToken
        fields = ["organization", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "name",
        "organization",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["organization", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["public_id", "name", "organization__slug"]
    actions = ["revoke"]
    readonly_fields = [
        "public_id",
        "organization",
        "scope",
        "signing_kid",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "name", "scopes", "expires_in_days"]
        return ["name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # The service signs the token; the JWT exists only in the response to this request.
        api_token, jwt_value = api_token_create(
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        api_token.created_jwt = jwt_value
        return api_token

    def response_add(self, request, obj, post_url_continue=None):
        # Shown in this page only: a redirect would carry the token in the messages cookie.
        response = TemplateResponse(
            request,
            "accounts/api_token_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Token created",
                "api_token": obj,
                "jwt_value": obj.created_jwt,
                "changelist_url": reverse("admin:accounts_apitoken_changelist"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoke instead: a deleted row would leave its token's cached verification behind.
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        for api_token in queryset:
            api_token_revoke(api_token=api_token)
        self.message_user(request, f"Revoked {len(queryset)} token(s).", messages.SUCCESS)


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Public part only: keys are made by `manage.py rotate_signing_key`."""

    list_display = ["kid", "algorithm", "is_active", "created_at", "retired_at"]
    fields = ["kid", "algorithm", "is_active", "created_at", "retired_at", "public_jwk"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
