from django.urls import path

from github_fixes import views

urlpatterns = [
    path("sync/<str:connection_id>", views.RepositorySyncView.as_view()),
    path("repos/<str:connection_id>", views.RepositoryListView.as_view()),
    path("repositories/<str:connection_id>", views.RepositoryListFullPathView.as_view()),
    path("audit-to-fixes/<str:audit_id>", views.AuditFixListView.as_view()),
    path("fix-inputs/<str:audit_id>", views.FixInputsView.as_view()),
    path(
        "create-auto-fix-pr/<str:connection_id>/<str:repo_id>",
        views.CreateFixPullRequestView.as_view(),
    ),
    path("prs/<str:repo_id>", views.PullRequestListView.as_view()),
    path("webhook", views.WebhookView.as_view()),
]
