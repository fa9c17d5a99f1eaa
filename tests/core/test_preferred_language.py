"""The language a person chooses is remembered on their account, and what the tracker sends
them outside a request (the focal points' daily digest) is written in it."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.languages import preferred_language_remember, supported_language
from core.models import User
from needs.digest import send_confirmation_digests
from tests import factories
from translations.lookup import bump_version

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
LONG_AGO = datetime.date(2015, 1, 1)


@pytest.fixture(autouse=True)
def _fresh_translation_cache():
    bump_version()
    yield
    bump_version()


def switch_language(client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_accounts_start_in_the_default_language(focal_point):
    assert focal_point.preferred_language == settings.LANGUAGE_CODE == "en"


@pytest.mark.parametrize("language", ["fr", "zh-hans", "ar"])
def test_switching_language_signed_in_remembers_it(client, focal_point, language):
    client.force_login(focal_point)

    response = switch_language(client, language, "/states/")

    assert response.status_code == 302
    assert response["Location"] == "/states/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    focal_point.refresh_from_db()
    assert focal_point.preferred_language == language


def test_the_last_choice_wins(client, focal_point):
    client.force_login(focal_point)

    switch_language(client, "ru")
    switch_language(client, "es")

    focal_point.refresh_from_db()
    assert focal_point.preferred_language == "es"


def test_a_language_the_tracker_does_not_offer_is_not_remembered(client, focal_point):
    client.force_login(focal_point)

    switch_language(client, "de")  # Django knows German; the tracker does not offer it

    focal_point.refresh_from_db()
    assert focal_point.preferred_language == "en"


def test_switching_language_signed_out_only_sets_the_cookie(client, focal_point):
    response = switch_language(client, "fr")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert set(User.objects.values_list("preferred_language", flat=True)) == {"en"}


def test_a_language_chosen_before_signing_in_is_remembered_at_sign_in(client, focal_point):
    switch_language(client, "ru")

    response = client.post(
        reverse("login"), {"username": "focal", "password": "correct horse battery staple"}
    )

    assert response.status_code == 302

    focal_point.refresh_from_db()
    assert focal_point.preferred_language == "ru"


def test_supported_languages_are_those_of_the_settings():
    assert supported_language("fr") == "fr"
    assert supported_language("zh-hans") == "zh-hans"
    assert supported_language("fr-CA") == "fr"
    assert supported_language("de") is None
    assert supported_language("") is None
    assert supported_language(None) is None


def test_remembering_saves_only_a_change(focal_point, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert preferred_language_remember(user=focal_point, code="en") is False
        assert preferred_language_remember(user=focal_point, code="xx") is False
    with django_assert_num_queries(1):
        assert preferred_language_remember(user=focal_point, code="es") is True


# --- The daily digest ---------------------------------------------------------------------
@pytest.fixture
def general_need(published_review):
    """A need about the chapter in general, never confirmed: the digest lists it."""
    return factories.NeedFactory(
        review=published_review,
        article=None,
        last_confirmed_on=None,
        identified_on=LONG_AGO,
        description="Stale: a need about the whole chapter",
    )


@pytest.fixture
def dated_need(published_review):
    return factories.NeedFactory(
        review=published_review,
        last_confirmed_on=LONG_AGO,
        description="Stale: confirmed long ago",
    )


def test_the_digest_is_in_english_by_default(focal_point, general_need, dated_need):
    with translation.override("ru"):  # whatever language the worker runs in
        send_confirmation_digests(today=TODAY)

    [message] = mail.outbox
    assert message.subject == "2 needs of Kenya to confirm"
    assert "Chapter in general" in message.body
    assert "last confirmed 1 Jan 2015" in message.body
    assert "technical assistance needs of Kenya have not been confirmed" in message.body


@pytest.mark.parametrize(
    ("language", "state_name", "in_general", "month"),
    [
        ("ru", "Кения", "Глава в целом", "января 2015"),
        ("es", "Kenia", "Capítulo en general", "enero de 2015"),
        ("ar", "كينيا", "الفصل عموماً", "يناير"),
        ("zh-hans", "肯尼亚", "整章", "2015年1月1日"),
    ],
)
def test_the_digest_is_written_in_the_language_the_focal_point_chose(
    client, focal_point, general_need, dated_need, language, state_name, in_general, month
):
    client.force_login(focal_point)
    switch_language(client, language)
    worker_language = translation.get_language()

    send_confirmation_digests(today=TODAY)

    [message] = mail.outbox
    # The State's name as the UN writes it in that language, the chapter label from the
    # catalogue, the date as the language writes dates; codes and free text as they are.
    assert state_name in message.subject
    assert in_general in message.body
    assert month in message.body
    assert general_need.ref in message.body and dated_need.ref in message.body
    assert "Stale: a need about the whole chapter" in message.body
    # The worker's own language is left as it was.
    assert translation.get_language() == worker_language


def test_each_focal_point_gets_their_own_language(
    focal_point, other_focal_point, general_need, other_state
):
    focal_point.preferred_language = "ru"
    focal_point.save()
    factories.NeedFactory(
        review=factories.ReviewFactory(state=other_state, cycle=2),
        article=None,
        last_confirmed_on=None,
        identified_on=LONG_AGO,
    )

    send_confirmation_digests(today=TODAY)

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Глава в целом" in bodies[focal_point.email]
    assert "Chapter in general" in bodies[other_focal_point.email]
