"""Geog organizations, their API tokens, the keys that sign them, and what they used."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from encryption.fields import CiphertextField

SIGNING_KEY_PURPOSE = "accounts.signing-key"

SCOPE_TILES_READ = "tiles:read"
SCOPE_PLACES_READ = "places:read"
SCOPE_ADMIN_ACCESS = "admin:access"
SCOPE_BILLING_MANAGE = "billing:manage"
SCOPES = (SCOPE_TILES_READ, SCOPE_PLACES_READ, SCOPE_ADMIN_ACCESS, SCOPE_BILLING_MANAGE)

# The rate-limit and usage families of the Geog API.
FAMILIES = ("tiles", "places", "api")


def scope_validate(value: str) -> None:
    """A space-separated, non-empty list of known scopes."""
    unknown = sorted(set(value.split()) - set(SCOPES))
    if not value.split() or unknown:
        raise ValidationError(f"Scopes must be among {', '.join(SCOPES)}.")


class Organization(models.Model):
    class Tier(models.TextChoices):
        FREE = "free"
        UNLIMITED = "unlimited"

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


class UsageDay(models.Model):
    """Counted requests of one token of an organization, in one family, on one UTC day.

    Written only by the usage flush, which adds counts; organization and token are plain
    values, not foreign keys, so that billing records outlive what they count (and tokens of
    another issuer, in remote verification mode, are counted too).
    """

    class Family(models.TextChoices):
        TILES = "tiles"
        PLACES = "places"
        API = "api", "API"

    organization_id = models.BigIntegerField()
    token_id = models.CharField(max_length=200)
    family = models.CharField(max_length=8, choices=Family.choices)
    day = models.DateField()
    count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["day", "organization_id", "token_id", "family"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "token_id", "family", "day"],
                name="accounts_usageday_one_row_per_count",
            )
        ]
        indexes = [
            models.Index(fields=["organization_id", "day"], name="accounts_usage_org_day_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.token_id} {self.family} {self.day}: {self.count}"


class UsageFlush(models.Model):
    """A batch of counts written to `UsageDay`, recorded in the same transaction as its counts."""

    batch_id = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-flushed_at"]

    def __str__(self) -> str:
        return self.batch_id
