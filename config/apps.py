from django.apps import AppConfig
from django.core.signals import setting_changed


class ConfigConfig(AppConfig):
    """The project itself, for what spans apps: commands over several domains, process caches."""

    name = "config"
    verbose_name = "Service"

    def ready(self) -> None:
        from config.celery_app import app
        from config.process_caches import process_caches_clear

        # Celery's own discovery is lazy: it imports the apps' `tasks` modules only when a
        # worker or beat process starts. The web process runs beat's schedule too
        # (config.embedded_beat), looking each task up by name, so every process registers
        # them all here.
        app.autodiscover_tasks(force=True)
        setting_changed.connect(process_caches_clear, dispatch_uid="process_caches_clear")
