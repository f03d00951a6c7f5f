"""The admin's password login is throttled per username and address (django-axes)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db]

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Every attempt hashes a password; the throttling, not the hash, is under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "staff", email="staff@example.com", password=PASSWORD, is_staff=True, is_superuser=True
    )


def _log_in(client, password: str, username: str = "staff", address: str = "127.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _fail(client, times: int, **kwargs) -> None:
    for _ in range(times):
        assert _log_in(client, "wrong", **kwargs).status_code in (200, 429)


def test_right_password_after_repeated_failures_is_refused(client, staff, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_twelve_wrong_passwords_then_the_right_one_do_not_log_in(client, staff):
    _fail(client, 12)
    assert _log_in(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302


def test_failures_below_the_limit_still_let_the_right_password_in(client, staff, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    response = _log_in(client, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_success_starts_the_count_again(client, staff, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client, PASSWORD).status_code == 302
    client.logout()
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client, PASSWORD).status_code == 302


def test_lockout_holds_a_username_and_address_pair_only(client, staff, django_user_model):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    _fail(client, 12)
    assert _log_in(client, PASSWORD, address="192.0.2.7").status_code == 302
    client.logout()
    assert _log_in(client, PASSWORD, username="other").status_code == 302


@pytest.mark.parametrize(
    "command",
    [
        ("axes_reset_username", "staff"),
        ("axes_reset_ip_username", "127.0.0.1", "staff"),
        ("axes_reset",),
    ],
)
def test_staff_unlock_with_a_reset_command(client, staff, command):
    _fail(client, 12)
    assert _log_in(client, PASSWORD).status_code == 429
    call_command(*command)
    assert _log_in(client, PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, staff, settings, time_machine):
    time_machine.move_to("2026-12-06 12:00:00+00:00", tick=False)
    _fail(client, 12)
    assert _log_in(client, PASSWORD).status_code == 429
    # Each attempt while locked out starts the cool-off again: none is made meanwhile.
    time_machine.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert _log_in(client, PASSWORD).status_code == 302


def test_locked_attempts_are_listed_in_the_admin(admin_client, client, staff):
    _fail(client, 12)
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "staff" in page.content.decode()
