from django.urls import path

from reports import run_views, views

urlpatterns = [
    path("audits", views.AuditListView.as_view(), name="audit-list"),
    path("audits/<str:audit_id>", views.AuditDetailView.as_view(), name="audit-detail"),
    path("audits/<str:audit_id>/rerun", views.AuditRerunView.as_view(), name="audit-rerun"),
    path("audits/<str:audit_id>/runs", run_views.AuditRunListView.as_view(), name="audit-runs"),
    path(
        "audits/<str:audit_id>/runs/<str:run>",
        run_views.AuditRunDetailView.as_view(),
        name="audit-run-detail",
    ),
    path(
        "audits/<str:audit_id>/compare",
        run_views.AuditRunComparisonView.as_view(),
        name="audit-compare",
    ),
    path(
        "audits/<str:audit_id>/schedule",
        run_views.AuditScheduleView.as_view(),
        name="audit-schedule",
    ),
    path(
        "audits/<str:audit_id>/generate-pdf",
        views.AuditPdfGenerateView.as_view(),
        name="audit-generate-pdf",
    ),
    path(
        "audits/<str:audit_id>/pdf-status",
        views.AuditPdfStatusView.as_view(),
        name="audit-pdf-status",
    ),
    path(
        "audits/<str:audit_id>/download-pdf",
        views.AuditPdfDownloadView.as_view(),
        name="audit-download-pdf",
    ),
]
