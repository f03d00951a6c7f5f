"""OAuth connections of alice, their tokens encrypted as the OAuth callback stores them."""

import factory

from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from encryption.cipher import secret_encrypt


class ConnectionFactory(factory.django.DjangoModelFactory):
    """A linked GitHub account; `access_token` and `refresh_token` are the plain tokens.

    An empty token is stored empty, as for a provider that issues no refresh token.
    """

    class Meta:
        model = Connection

    class Params:
        access_token = "stored-access-token"
        refresh_token = ""

    provider = Provider.GITHUB
    account_id = factory.Sequence(lambda n: 1000 + n)
    username = factory.Sequence(lambda n: f"user{n}")
    scopes = factory.LazyFunction(lambda: ["repo"])
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    access_token_encrypted = factory.LazyAttribute(
        lambda connection: secret_encrypt(connection.access_token, purpose=OAUTH_TOKEN_PURPOSE)
    )
    refresh_token_encrypted = factory.LazyAttribute(
        lambda connection: secret_encrypt(connection.refresh_token, purpose=OAUTH_TOKEN_PURPOSE)
    )
