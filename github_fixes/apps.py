from django.apps import AppConfig


class GithubFixesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "github_fixes"
    verbose_name = "GitHub fixes"
