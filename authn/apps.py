from django.apps import AppConfig


class AuthnConfig(AppConfig):
    name = "authn"
    verbose_name = "Authentication"

    def ready(self) -> None:
        from authn import auth0_openapi  # noqa: F401 - registers the OpenAPI security scheme
