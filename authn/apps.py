from django.apps import AppConfig


class AuthnConfig(AppConfig):
    name = "authn"
    verbose_name = "Authentication"

    def ready(self) -> None:
        from authn import geog_openapi  # noqa: F401 - registers the token scheme with the schema
