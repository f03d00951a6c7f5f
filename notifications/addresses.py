"""Where webhooks may be sent: the audit fetcher's address rules, at creation and each attempt."""

from django.conf import settings

from audit_engine.fetcher import FetchPolicy, fetch_target_refusal


def webhook_fetch_policy() -> FetchPolicy:
    """The audit fetcher's policy (`AUDIT_ALLOWED_PRIVATE_HOSTS`), for webhook URLs."""
    return FetchPolicy.from_strings(settings.AUDIT_ALLOWED_PRIVATE_HOSTS)


def webhook_url_refusal(*, url: str) -> str | None:
    """Why a webhook may not be sent to `url` (address, port, credentials), or None."""
    return fetch_target_refusal(url=url, policy=webhook_fetch_policy())
