from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Audits and reports"

    def ready(self) -> None:
        # Beat's tasks live beside the services they call, outside the autodiscovered module.
        from reports import periodic_tasks  # noqa: F401
