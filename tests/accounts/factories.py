"""Geog organizations, their long-lived tokens and the usage counted for them."""

import factory
from django.utils import timezone

from accounts.models import SCOPE_TILES_READ, ApiToken, Organization, UsageDay
from accounts.services import api_token_create


class OrganizationFactory(factory.django.DjangoModelFactory):
    """The free organization `acme`; a slug seen before returns that organization unchanged."""

    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = "acme"
    name = factory.LazyAttribute(lambda organization: organization.slug)
    tier = Organization.Tier.FREE


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token of `acme` reading tiles, issued by the service that signs it.

    The JWT exists only when the token is issued, so the row carries it as `jwt`.
    """

    class Meta:
        model = ApiToken

    organization = factory.SubFactory(OrganizationFactory)
    name = "test token"
    scope = SCOPE_TILES_READ
    expires_in_days = None

    @classmethod
    def _create(cls, model_class, *, organization, name, scope, expires_in_days) -> ApiToken:
        api_token, jwt_value = api_token_create(
            organization=organization,
            name=name,
            scopes=scope.split(),
            expires_in_days=expires_in_days,
        )
        api_token.jwt = jwt_value
        return api_token


class UsageDayFactory(factory.django.DjangoModelFactory):
    """Today's tiles requests of one token of `acme`, as a usage flush leaves them."""

    class Meta:
        model = UsageDay

    organization_id = factory.LazyFunction(lambda: OrganizationFactory().pk)
    token_id = factory.Sequence(lambda n: f"tok_{n:024x}")
    family = UsageDay.Family.TILES
    day = factory.LazyFunction(lambda: timezone.now().date())
    count = 1
