"""Reading HubSpot pages and changes: only those of the caller's connections and audits."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from authn.ownership import owned_by
from connections.models import Connection, Provider
from hubspot_cms.models import HubSpotChange, HubSpotPage
from reports.models import Audit


def _owned_connections(user: Auth0User) -> QuerySet[Connection]:
    return Connection.objects.filter(owned_by(user), provider=Provider.HUBSPOT, is_active=True)


def hubspot_page_list(*, connection: Connection) -> QuerySet[HubSpotPage]:
    """The stored pages of a connection the caller was checked to own."""
    return HubSpotPage.objects.filter(connection=connection).order_by("page_type", "url", "id")


def hubspot_page_list_for_owner(*, user: Auth0User) -> QuerySet[HubSpotPage]:
    """The stored pages of every active HubSpot connection of the caller."""
    return HubSpotPage.objects.filter(connection__in=_owned_connections(user)).order_by("id")


def hubspot_page_find_for_owner(*, hubspot_id: str, user: Auth0User) -> HubSpotPage | None:
    """The caller's stored page with HubSpot id `hubspot_id`, or None when it has none."""
    return hubspot_page_list_for_owner(user=user).filter(hubspot_id=hubspot_id).first()


def hubspot_change_list(*, audit: Audit) -> QuerySet[HubSpotChange]:
    """The changes made for an audit the caller was checked to own, newest first."""
    return HubSpotChange.objects.filter(audit=audit).order_by("-created_at", "-id")
