"""Sign-in throttling (django-axes): an account and address are locked after repeated
failures, for a while, with a clear page; staff can lift a lockout; passwords are checked
against Django's validators wherever accounts are created."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests import factories

PASSWORD = "correct horse battery staple"
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


def sign_in(client, username: str, password: str, address: str = ADDRESS):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_to_sign_in(client, username: str, times: int, address: str = ADDRESS):
    return [sign_in(client, username, "not the password", address) for _ in range(times)]


@pytest.fixture
def account(db):
    return factories.UserFactory(username="amina")


def test_it_locks_the_account_and_address_after_repeated_failures(client, account):
    responses = fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)

    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    assert "core/locked.html" in [t.name for t in locked.templates]
    page = locked.content.decode()
    assert "Sign-in temporarily locked" in page
    assert "<strong>amina</strong>" in page
    assert f"for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    # Even the right password is refused now.
    assert sign_in(client, "amina", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_failure_below_the_limit_shows_the_usual_message(client, account):
    response = fail_to_sign_in(client, "amina", 1)[0]

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_lockout_does_not_reach_other_addresses_or_other_accounts(client, account):
    factories.UserFactory(username="bruno")
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "amina", PASSWORD, OTHER_ADDRESS).status_code == 302
    client.logout()
    assert sign_in(client, "bruno", PASSWORD, ADDRESS).status_code == 302


def test_the_lockout_ends_after_the_cooloff_time(client, account):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )

    assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_failures(client, account):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "amina", PASSWORD).status_code == 302
    client.logout()

    responses = fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT - 1)

    assert {r.status_code for r in responses} == {200}


def test_staff_see_and_lift_a_lockout(client, account, staff):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)
    client.force_login(staff)

    page = client.get(reverse("lockout_list"))
    assert page.status_code == 200
    assert list(page.context["lockouts"].values_list("username", "ip_address")) == [
        ("amina", ADDRESS)
    ]
    attempt = page.context["lockouts"][0]

    lifted = client.post(reverse("lockout_list"), {"attempt": attempt.pk}, follow=True)

    assert lifted.status_code == 200
    assert f"amina can sign in again from {ADDRESS}." in lifted.content.decode()
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert sign_in(client, "amina", PASSWORD).status_code == 302


@pytest.mark.parametrize("attempt", ["", "not-a-number", "999999", "-1"])
def test_lifting_a_lockout_that_does_not_exist_says_so(client, staff, attempt):
    client.force_login(staff)

    response = client.post(reverse("lockout_list"), {"attempt": attempt}, follow=True)

    assert response.status_code == 200
    assert "That lockout has already ended or been lifted." in response.content.decode()


def test_the_lockout_page_lists_nobody_when_nobody_is_locked(client, staff, account):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT - 1)
    client.force_login(staff)

    response = client.get(reverse("lockout_list"))

    assert list(response.context["lockouts"]) == []
    assert "Nobody is locked out of signing in." in response.content.decode()


@pytest.mark.parametrize("role", ["donor", "focal_point", "other_focal_point"])
def test_only_staff_may_lift_lockouts(client, people, account, role):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)
    client.force_login(people[role])

    assert client.get(reverse("lockout_list")).status_code == 403
    assert client.post(reverse("lockout_list"), {"attempt": 1}).status_code == 403
    assert AccessAttempt.objects.count() == 1


def test_the_public_is_sent_to_sign_in_for_the_lockout_page(client):
    response = client.get(reverse("lockout_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_axes_reset_command_lifts_every_lockout(client, account):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset", verbosity=0)

    assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_administrators_see_attempts_in_the_admin(client, account, administrator):
    fail_to_sign_in(client, "amina", settings.AXES_FAILURE_LIMIT)
    client.force_login(administrator)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert "amina" in response.content.decode()


def test_the_admin_refuses_a_weak_password_for_a_new_account(client, administrator):
    from core.models import User

    client.force_login(administrator)

    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "newcomer",
            "password1": "12345678",
            "password2": "12345678",
            "usable_password": "true",
            "role": "secretariat",
        },
    )

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("password2", []))
    assert "too common" in errors
    assert "entirely numeric" in errors
    assert not User.objects.filter(username="newcomer").exists()
