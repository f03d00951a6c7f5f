from django.contrib import admin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from reports.models import Audit, AuditRun, PdfJob
from reports.report_sections import ReportLink, audit_report_sections


class PdfJobInline(admin.StackedInline):
    model = PdfJob
    can_delete = False
    extra = 0
    fields = ["status", "error", "report_link", "file_size", "requested_at", "completed_at"]
    readonly_fields = fields

    @admin.display(description="PDF")
    def report_link(self, job: PdfJob) -> str:
        return _report_link(job)


def _cell(cell) -> str:
    if isinstance(cell, ReportLink):
        return format_html('<a href="{}">{}</a>', cell.url, cell.text)
    return cell


def _report_link(job: PdfJob) -> str:
    if not job.file:
        return "-"
    # Served through the admin so staff can open reports from any storage backend.
    url = reverse("admin:reports_pdfjob_download", args=[job.pk])
    return format_html('<a href="{}">{}</a>', url, job.file.name)


class AuditRunInline(admin.TabularInline):
    model = AuditRun
    can_delete = False
    extra = 0
    fields = [
        "number",
        "trigger",
        "status",
        "scores",
        "finding_counts",
        "pages_crawled",
        "attempts",
        "started_at",
        "completed_at",
        "error",
    ]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["id", "url", "status", "owner_email", "owner_user_id", "updated_at"]
    list_filter = ["status"]
    search_fields = ["url", "owner_email", "owner_user_id"]
    readonly_fields = [
        "results_revision",
        "progress",
        "pages_crawled",
        "error",
        "run_generation",
        "run_requested_at",
        "schedule_next_run_at",
        "created_at",
        "updated_at",
        "report_sections",
    ]
    inlines = [PdfJobInline, AuditRunInline]

    @admin.display(description="Related work")
    def report_sections(self, audit: Audit) -> str:
        # The same sections the PDF report shows (fix pull requests and their status).
        sections = audit_report_sections(audit=audit) if audit.pk else []
        if not sections:
            return "-"
        return format_html_join(
            "",
            "<p><strong>{}</strong></p><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            (
                (
                    section.title,
                    format_html_join("", "<th>{}</th>", ((c,) for c in section.columns)),
                    format_html_join(
                        "",
                        "<tr>{}</tr>",
                        (
                            (format_html_join("", "<td>{}</td>", ((_cell(c),) for c in row)),)
                            for row in section.rows
                        ),
                    ),
                )
                for section in sections
            ),
        )


@admin.register(PdfJob)
class PdfJobAdmin(admin.ModelAdmin):
    list_display = ["id", "audit", "status", "file_size", "requested_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["audit__url", "audit__owner_email", "celery_task_id"]
    list_select_related = ["audit"]
    fields = [
        "audit",
        "status",
        "error",
        "report_link",
        "file_size",
        "audit_revision",
        "celery_task_id",
        "requested_at",
        "started_at",
        "completed_at",
    ]
    readonly_fields = fields

    @admin.display(description="PDF")
    def report_link(self, job: PdfJob) -> str:
        return _report_link(job)

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self) -> list:
        download = self.admin_site.admin_view(self.report_download)
        return [
            path("<int:job_id>/download/", download, name="reports_pdfjob_download"),
            *super().get_urls(),
        ]

    def report_download(self, request, job_id: int) -> FileResponse:
        if not self.has_view_permission(request):
            raise Http404
        job = get_object_or_404(PdfJob, pk=job_id)
        if not job.file or not job.file.storage.exists(job.file.name):
            raise Http404
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=f"audit-{job.audit_id}-report.pdf"
        )
