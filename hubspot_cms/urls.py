from django.urls import path

from hubspot_cms import views

urlpatterns = [
    path("hubspot/sync/<str:connection_id>", views.HubSpotSyncView.as_view()),
    path("hubspot/pages/<str:connection_id>", views.HubSpotPagesView.as_view()),
    path("hubspot/recommendations/<str:audit_id>", views.HubSpotRecommendationsView.as_view()),
    path("hubspot/apply-recommendations", views.HubSpotApplyView.as_view()),
    path("hubspot/rollback/<str:change_id>", views.HubSpotRollbackView.as_view()),
    path("hubspot/changes", views.HubSpotChangesView.as_view()),
]
