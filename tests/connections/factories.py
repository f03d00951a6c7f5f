import factory

from connections.models import Connection, Provider
from connections.token_cipher import token_encrypt


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection

    provider = Provider.GITHUB
    account_id = factory.Sequence(lambda n: 1000 + n)
    username = factory.Sequence(lambda n: f"user{n}")
    scopes = factory.LazyFunction(lambda: ["repo"])
    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    access_token_encrypted = factory.LazyFunction(lambda: token_encrypt("stored-access-token"))
    refresh_token_encrypted = ""
