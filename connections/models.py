from django.db import models

from encryption.fields import CiphertextField

OAUTH_TOKEN_PURPOSE = "connections.oauth-token"  # noqa: S105 - a key-derivation label


class Provider(models.TextChoices):
    """The OAuth providers a connection can come from; the label is the display name."""

    GITHUB = "github", "GitHub"
    HUBSPOT = "hubspot", "HubSpot"


class Connection(models.Model):
    """A provider account linked through OAuth, owned by an Auth0 user (`sub`) or email."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    account_id = models.BigIntegerField(help_text="GitHub user id or HubSpot portal (hub) id.")
    username = models.CharField(
        max_length=255, blank=True, help_text="GitHub login or the HubSpot user who installed."
    )
    scopes = models.JSONField(default=list, blank=True)
    owner_user_id = models.CharField(max_length=255, blank=True, db_index=True)
    owner_email = models.EmailField(blank=True, db_index=True)
    access_token_encrypted = CiphertextField(purpose=OAUTH_TOKEN_PURPOSE)
    refresh_token_encrypted = CiphertextField(purpose=OAUTH_TOKEN_PURPOSE)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    # Set when the provider refuses the stored tokens (a rejected call, a refused refresh);
    # the caller must link the account again, which clears it.
    needs_reauth = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "account_id"], name="connection_unique_provider_account"
            )
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.username or self.account_id}"

    @property
    def is_ownerless(self) -> bool:
        return not self.owner_user_id and not self.owner_email


class OAuthStateNonce(models.Model):
    """A spent OAuth state: its nonce may not be used again before the state expires."""

    nonce = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)
    spent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nonce
