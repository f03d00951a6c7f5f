from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project itself, for what spans apps: commands over several domains, process caches."""

    name = "config"
    verbose_name = "Service"
