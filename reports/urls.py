from django.urls import path

from reports import run_views, score_history_views, views

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
    path(
        "score-history/domain/<str:domain>",
        score_history_views.ScoreHistoryDomainView.as_view(),
        name="score-history-domain",
    ),
    path(
        "score-history/domain/<str:domain>/comparison",
        score_history_views.ScoreHistoryComparisonView.as_view(),
        name="score-history-comparison",
    ),
    path(
        "score-history/summary",
        score_history_views.ScoreHistorySummaryView.as_view(),
        name="score-history-summary",
    ),
    path(
        "score-history/record",
        score_history_views.ScoreHistoryRecordView.as_view(),
        name="score-history-record",
    ),
]
