"""Geog organizations, their API tokens and the keys that sign them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from encryption.fields import CiphertextField

SIGNING_KEY_PURPOSE = "accounts.signing-key"

SCOPE_TILES_READ = "tiles:read"
SCOPE_PLACES_READ = "places:read"
SCOPE_ADMIN_ACCESS = "admin:access"
SCOPES = (SCOPE_TILES_READ, SCOPE_PLACES_READ, SCOPE_ADMIN_ACCESS)


def scope_validate(value: str) -> None:
    """A space-separated, non-empty list of known scopes."""
    unknown = sorted(set(value.split()) - set(SCOPES))
    if not value.split() or unknown:
        raise ValidationError(f"Scopes must be among {', '.join(SCOPES)}.")


class Organization(models.Model):
    class Tier(models.TextChoices):
        FREE = "free", "Free"
        UNLIMITED = "unlimited", "Unlimited"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.FREE)
    # Overrides of the free-tier limits per rate-limit window; empty means the setting.
    tiles_per_window = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    places_per_window = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    api_per_window = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it had when these models lived in `authn`.
        db_table = "authn_organization"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ApiToken(models.Model):
    """A long-lived token; the JWT itself is shown once and never stored."""

    public_id = models.CharField(max_length=64, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=200)
    scope = models.CharField(
        max_length=200, validators=[scope_validate], help_text="Space-separated scopes."
    )
    signing_kid = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "authn_apitoken"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["signing_kid", "expires_at"], name="authn_apito_signing_aca937_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.name})"

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()


class SigningKey(models.Model):
    kid = models.CharField(max_length=64, unique=True, editable=False)
    algorithm = models.CharField(max_length=16, default="RS256", editable=False)
    # The PEM private key, encrypted at rest.
    private_key_encrypted = CiphertextField(purpose=SIGNING_KEY_PURPOSE, blank=False)
    public_jwk = models.JSONField(editable=False)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "authn_signingkey"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="authn_one_active_signing_key",
            )
        ]

    def __str__(self) -> str:
        return self.kid
