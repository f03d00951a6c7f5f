"""Webhook endpoints of alice, their signing secret encrypted as the service stores it."""

import factory

from encryption.cipher import secret_encrypt
from notifications.models import AUDIT_COMPLETED, WEBHOOK_SECRET_PURPOSE, WebhookEndpoint


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An endpoint told of completed audits; `secret` is the plain signing secret."""

    class Meta:
        model = WebhookEndpoint

    class Params:
        secret = "whsec_dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0"

    owner_user_id = "auth0|alice"
    owner_email = "alice@example.com"
    url = "https://hooks.example.com/latentgeo"
    events = factory.LazyFunction(lambda: [AUDIT_COMPLETED])
    secret_encrypted = factory.LazyAttribute(
        lambda endpoint: secret_encrypt(endpoint.secret, purpose=WEBHOOK_SECRET_PURPOSE)
    )
