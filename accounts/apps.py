from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Geog accounts"

    def ready(self) -> None:
        # Registers the `geogToken` security scheme.
        from accounts import openapi  # noqa: F401
