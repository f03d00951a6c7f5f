from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    name = "encryption"
    verbose_name = "Encryption at rest"

    def ready(self) -> None:
        from encryption import checks  # noqa: F401 - registers the system check
