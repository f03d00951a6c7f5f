from django.apps import AppConfig
from django.core.signals import setting_changed


class ConfigConfig(AppConfig):
    """The project itself, for what spans apps: commands over several domains, process caches."""

    name = "config"
    verbose_name = "Service"

    def ready(self) -> None:
        from config.process_caches import process_caches_clear

        setting_changed.connect(process_caches_clear, dispatch_uid="process_caches_clear")
