import factory

from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from encryption.cipher import secret_encrypt


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection

    provider = Provider.GITHUB
    account_id = factory.Sequence(lambda n: 1000 + n)
    username = factory.Sequence(lambda n: f"user{n}")
    scopes = factory.LazyFunction(lambda: ["repo"])
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    access_token_encrypted = factory.LazyFunction(
        lambda: secret_encrypt("stored-access-token", purpose=OAUTH_TOKEN_PURPOSE)
    )
    refresh_token_encrypted = ""
