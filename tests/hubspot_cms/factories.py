"""A HubSpot portal linked by alice, and a completed audit of its site."""

import factory
from django.utils import timezone

from connections.models import Provider
from tests.connections.factories import ConnectionFactory
from tests.reports.factories import CompletedAuditFactory


class HubSpotConnectionFactory(ConnectionFactory):
    """A linked HubSpot portal; give it the peer's `access_token` and `refresh_token`."""

    class Params:
        access_token = "peer-access-unknown"
        refresh_token = "peer-refresh-unknown"

    provider = Provider.HUBSPOT
    account_id = factory.Sequence(lambda n: 62000 + n)
    username = "marketer@example.com"
    scopes = factory.LazyFunction(lambda: ["oauth", "content"])
    token_expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(minutes=30))


class AuditedSiteFactory(CompletedAuditFactory):
    """A completed audit of the portal's site whose results name the pages in `results`."""

    url = "https://site.example/"
    results = factory.LazyFunction(dict)
