from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Geog accounts"

    def ready(self) -> None:
        # Registers the `geogToken` security scheme, and the receivers that keep the cached
        # tier and limits of organizations coherent with every save.
        from accounts import organization_signals, schema  # noqa: F401
