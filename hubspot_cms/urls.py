from django.urls import path

from hubspot_cms import views

urlpatterns = [
    path("sync/<str:connection_id>", views.HubSpotSyncView.as_view()),
    path("pages/<str:connection_id>", views.HubSpotPagesView.as_view()),
    path("recommendations/<str:audit_id>", views.HubSpotRecommendationsView.as_view()),
    path("apply-recommendations", views.HubSpotApplyView.as_view()),
    path("rollback/<str:change_id>", views.HubSpotRollbackView.as_view()),
    path("changes", views.HubSpotChangesView.as_view()),
]
