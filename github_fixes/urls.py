from django.urls import path

from github_fixes import views

urlpatterns = [
    path("github/sync/<str:connection_id>", views.RepositorySyncView.as_view()),
    path("github/repos/<str:connection_id>", views.RepositoryListView.as_view()),
    path("github/repositories/<str:connection_id>", views.RepositoryListFullPathView.as_view()),
    path("github/audit-to-fixes/<str:audit_id>", views.AuditFixListView.as_view()),
    path("github/fix-inputs/<str:audit_id>", views.FixInputsView.as_view()),
    path(
        "github/create-auto-fix-pr/<str:connection_id>/<str:repo_id>",
        views.CreateFixPullRequestView.as_view(),
    ),
    path("github/prs/<str:repo_id>", views.PullRequestListView.as_view()),
    path("github/webhook", views.WebhookView.as_view()),
]
