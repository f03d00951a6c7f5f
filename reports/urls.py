from django.urls import path

from reports import progress_stream, run_views, score_history_views, views, webapp_views

urlpatterns = [
    path("audits", views.AuditListView.as_view(), name="audit-list"),
    path("audits/chat/config", webapp_views.AuditChatConfigView.as_view()),
    path("audits/status/<str:status>", webapp_views.AuditStatusListView.as_view()),
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
    path("audits/<str:audit_id>/summary", webapp_views.AuditOverviewView.as_view()),
    path("audits/<str:audit_id>/overview", webapp_views.AuditOverviewView.as_view()),
    path("audits/<str:audit_id>/status", webapp_views.AuditProgressView.as_view()),
    path("audits/<str:audit_id>/progress", webapp_views.AuditProgressView.as_view()),
    path("audits/<str:audit_id>/pages", webapp_views.AuditPagesView.as_view()),
    path("audits/<str:audit_id>/issues", webapp_views.AuditFixPlanView.as_view()),
    path("audits/<str:audit_id>/fix_plan", webapp_views.AuditFixPlanView.as_view()),
    path("audits/<str:audit_id>/report", webapp_views.AuditReportView.as_view()),
    path("audits/<str:audit_id>/artifacts-status", webapp_views.AuditArtifactsStatusView.as_view()),
    path("reports/markdown/<str:audit_id>", webapp_views.MarkdownReportView.as_view()),
    path("sse/audits/<str:audit_id>/progress", progress_stream.audit_progress_stream),
]
