from django.urls import path

from notifications import views

urlpatterns = [
    path("webhooks", views.WebhookListView.as_view()),
    path("webhooks/<str:webhook_id>", views.WebhookDetailView.as_view()),
    path("webhooks/<str:webhook_id>/deliveries", views.WebhookDeliveryListView.as_view()),
]
