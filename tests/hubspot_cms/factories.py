import factory
from django.utils import timezone

from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from encryption.cipher import secret_encrypt
from reports.models import Audit


class HubSpotConnectionFactory(factory.django.DjangoModelFactory):
    """A linked HubSpot portal of alice; `tokens=(access, refresh)` gives it the peer's."""

    class Meta:
        model = Connection

    class Params:
        tokens = ("peer-access-unknown", "peer-refresh-unknown")

    provider = Provider.HUBSPOT
    account_id = factory.Sequence(lambda n: 62000 + n)
    username = "marketer@example.com"
    scopes = factory.LazyFunction(lambda: ["oauth", "content"])
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    access_token_encrypted = factory.LazyAttribute(
        lambda o: secret_encrypt(o.tokens[0], purpose=OAUTH_TOKEN_PURPOSE)
    )
    refresh_token_encrypted = factory.LazyAttribute(
        lambda o: secret_encrypt(o.tokens[1], purpose=OAUTH_TOKEN_PURPOSE)
    )
    token_expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(minutes=30))


class AuditedSiteFactory(factory.django.DjangoModelFactory):
    """A completed audit of alice whose results name the pages in `results`."""

    class Meta:
        model = Audit

    url = "https://site.example/"
    status = Audit.Status.COMPLETED
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    results = factory.LazyFunction(dict)
    results_revision = 1
