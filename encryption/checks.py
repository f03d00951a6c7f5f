"""Startup check: refuse to run without a usable encryption key."""

from django.core.checks import Error, register

from encryption.cipher import encryption_key_problem


@register()
def encryption_key_check(app_configs, **kwargs) -> list[Error]:
    """ENCRYPTION_KEY is required when DEBUG is off, and every key must be a Fernet key."""
    problem = encryption_key_problem()
    if problem is None:
        return []
    hint = (
        "Generate one with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'"
    )
    return [Error(problem, hint=hint, id="encryption.E001")]
