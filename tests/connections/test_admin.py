"""The connections admin: ownerless filter, search, the assign-owner action, no tokens shown."""

import pytest

from connections.models import Connection
from tests.connections.factories import ConnectionFactory

pytestmark = [pytest.mark.django_db]

CHANGELIST = "/admin/connections/connection/"


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", None)
    client.force_login(staff)
    return client


def _listed(response) -> list[int]:
    return sorted(connection.pk for connection in response.context["cl"].result_list)


def test_ownerless_filter_lists_only_rows_without_owner(staff_client):
    owned = ConnectionFactory()
    legacy = ConnectionFactory(owner_user_id="", owner_email="")
    email_only = ConnectionFactory(owner_user_id="", owner_email="carol@example.com")
    response = staff_client.get(CHANGELIST, {"ownerless": "yes"})
    assert response.status_code == 200
    assert _listed(response) == [legacy.pk]
    assert _listed(staff_client.get(CHANGELIST, {"ownerless": "no"})) == sorted(
        [owned.pk, email_only.pk]
    )


def test_changelist_shows_owner_and_provider_columns(staff_client):
    ConnectionFactory()
    response = staff_client.get(CHANGELIST)
    html = response.content.decode()
    for column in ("column-provider", "column-owner_user_id", "column-owner_email"):
        assert column in html


def test_search_finds_by_owner_email_and_username(staff_client):
    alices = ConnectionFactory(username="octocat")
    bobs = ConnectionFactory(owner_user_id="auth0|bob", owner_email="bob@example.com")
    assert _listed(staff_client.get(CHANGELIST, {"q": "octocat"})) == [alices.pk]
    assert _listed(staff_client.get(CHANGELIST, {"q": "bob@example"})) == [bobs.pk]


def test_assign_owner_asks_for_the_owner_then_assigns_it(staff_client):
    legacy = ConnectionFactory(owner_user_id="", owner_email="")
    other = ConnectionFactory(owner_user_id="", owner_email="")
    untouched = ConnectionFactory(owner_user_id="", owner_email="")
    selection = {"action": "assign_owner", "_selected_action": [legacy.pk, other.pk]}

    form = staff_client.post(CHANGELIST, selection)
    assert form.status_code == 200
    assert "admin/connections/connection/assign_owner.html" in [t.name for t in form.templates]
    assert 'name="owner_user_id"' in form.content.decode()

    done = staff_client.post(
        CHANGELIST,
        {
            **selection,
            "apply": "1",
            "owner_user_id": "auth0|dora",
            "owner_email": "Dora@Example.com",
        },
    )
    assert done.status_code == 302
    owners = dict(Connection.objects.values_list("pk", "owner_user_id"))
    assert owners == {legacy.pk: "auth0|dora", other.pk: "auth0|dora", untouched.pk: ""}
    assert Connection.objects.get(pk=legacy.pk).owner_email == "dora@example.com"


def test_assign_owner_without_id_or_email_changes_nothing(staff_client):
    legacy = ConnectionFactory(owner_user_id="", owner_email="")
    response = staff_client.post(
        CHANGELIST,
        {"action": "assign_owner", "_selected_action": [legacy.pk], "apply": "1"},
    )
    assert response.status_code == 200
    assert "Give the owner id, the owner email, or both." in response.content.decode()
    legacy.refresh_from_db()
    assert legacy.is_ownerless


def test_tokens_are_never_shown_or_editable(staff_client):
    connection = ConnectionFactory()
    for url in (CHANGELIST, f"{CHANGELIST}{connection.pk}/change/"):
        html = staff_client.get(url).content.decode()
        assert connection.access_token_encrypted not in html
        assert "stored-access-token" not in html
        assert "token_encrypted" not in html
    form = staff_client.get(f"{CHANGELIST}{connection.pk}/change/").context["adminform"].form
    assert set(form.fields) == {"owner_user_id", "owner_email"}
