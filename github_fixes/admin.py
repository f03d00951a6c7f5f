from django.contrib import admin

from github_fixes.models import FixInputSet, FixPullRequest, GitHubDelivery, Repository


class FixPullRequestInline(admin.TabularInline):
    model = FixPullRequest
    fields = ["number", "status", "html_url", "audit", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ["full_name", "connection", "site_type", "can_push", "synced_at"]
    list_filter = ["site_type", "can_push"]
    search_fields = ["full_name", "connection__username"]
    list_select_related = ["connection"]
    readonly_fields = ["connection", "github_id", "synced_at"]
    inlines = [FixPullRequestInline]


@admin.register(FixPullRequest)
class FixPullRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "audit", "status", "created_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["repository__full_name", "audit__url", "html_url"]
    list_select_related = ["repository", "audit"]
    readonly_fields = [
        "audit",
        "repository",
        "number",
        "title",
        "html_url",
        "branch",
        "head_sha",
        "files_changed",
        "fixes_applied",
        "manual",
        "created_at",
        "updated_at",
    ]


@admin.register(FixInputSet)
class FixInputSetAdmin(admin.ModelAdmin):
    list_display = ["audit", "updated_at"]
    search_fields = ["audit__url"]
    readonly_fields = ["audit"]


@admin.register(GitHubDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["delivery_id", "event", "action", "received_at"]
    list_filter = ["event"]
    search_fields = ["delivery_id"]
    readonly_fields = ["delivery_id", "event", "action", "received_at"]
