from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Audits and reports"

    def ready(self) -> None:
        # The LatentGEO bearer scheme the audit endpoints document in the OpenAPI schema.
        from authn import openapi  # noqa: F401
