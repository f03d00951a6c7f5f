from django.apps import AppConfig


class AuthnConfig(AppConfig):
    name = "authn"
    verbose_name = "Authentication"

    def ready(self) -> None:
        from django.contrib import admin

        # Registers the `auth0` security scheme and the key-set reset on settings changes.
        from authn import auth0_keys, schema  # noqa: F401

        admin.site.login_template = "authn/admin_login.html"
