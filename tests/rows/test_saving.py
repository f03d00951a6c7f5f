"""row_save: a row that breaks its model is refused before anything is written; a valid one is
saved and handed back."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization
from rows.saving import row_save
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_valid_row_is_saved_and_returned():
    organization = Organization(slug="acme", name="Acme")

    saved = row_save(organization)

    assert saved is organization
    assert Organization.objects.get(pk=saved.pk).name == "Acme"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"slug": "acme", "name": "Acme", "tier": "gold"}, id="choice"),
        pytest.param({"slug": "not a slug", "name": "Acme"}, id="field"),
        pytest.param({"slug": "acme", "name": "Acme", "api_per_window": 0}, id="validator"),
    ],
)
def test_an_invalid_row_raises_and_is_not_saved(fields):
    organization = Organization(**fields)

    with pytest.raises(ValidationError):
        row_save(organization)

    assert organization.pk is None
    assert not Organization.objects.exists()


def test_a_row_that_breaks_a_unique_constraint_raises_a_validation_error():
    OrganizationFactory(slug="acme", name="First")

    with pytest.raises(ValidationError) as raised:
        row_save(Organization(slug="acme", name="Second"))

    assert "slug" in raised.value.message_dict
    assert list(Organization.objects.values_list("name", flat=True)) == ["First"]
