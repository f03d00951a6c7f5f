from django.apps import AppConfig


class HubspotCmsConfig(AppConfig):
    name = "hubspot_cms"
    verbose_name = "HubSpot pages and changes"
