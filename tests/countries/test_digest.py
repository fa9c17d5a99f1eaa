import datetime
import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from core.models import DigestDelivery, Role
from needs import digest
from needs.digest import TO_CONFIRM_QUERY, send_confirmation_digests
from needs.models import Acceptance, Status
from needs.tasks import send_confirmation_digests_task
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
RECENT = datetime.date(2026, 10, 1)
LONG_AGO = datetime.date(2015, 1, 1)


@pytest.fixture
def kenya_needs(published_review):
    def need(description, **fields):
        fields.setdefault("last_confirmed_on", LONG_AGO)
        return factories.NeedFactory(review=published_review, description=description, **fields)

    return {
        "stale": need("Stale: train the prosecutors"),
        "never_confirmed": need(
            "Stale: never confirmed", last_confirmed_on=None, identified_on=LONG_AGO
        ),
        "recent": need("Recently confirmed", last_confirmed_on=RECENT),
        "met": need("Met long ago", status=Status.MET),
        "obsolete": need("No longer relevant", status=Status.OBSOLETE),
        "proposal": need("Proposal", acceptance=Acceptance.PROPOSED),
    }


def test_each_focal_point_gets_the_stale_needs_of_their_state(
    focal_point, other_focal_point, kenya_needs
):
    run = send_confirmation_digests(today=TODAY)

    assert (run.sent, run.nothing_to_confirm, run.failed) == (1, 1, 0)  # Peru has none
    [message] = mail.outbox
    assert message.to == [focal_point.email]
    assert message.subject == "2 needs of Kenya to confirm"
    assert kenya_needs["stale"].ref in message.body
    assert kenya_needs["never_confirmed"].ref in message.body
    for settled in ("recent", "met", "obsolete", "proposal"):
        assert kenya_needs[settled].ref not in message.body
    link = f"{settings.SITE_URL}/states/KEN/needs/?{TO_CONFIRM_QUERY}"
    assert link in message.body
    assert TO_CONFIRM_QUERY == ("stale=true&status=unmet&status=in_progress&status=partially_met")


def test_running_twice_the_same_day_sends_nothing_twice(focal_point, kenya_needs):
    first = send_confirmation_digests(today=TODAY)
    second = send_confirmation_digests(today=TODAY)

    assert (first.sent, second.sent, second.already_sent) == (1, 0, 1)
    assert len(mail.outbox) == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.user, delivery.sent_on, delivery.need_count) == (focal_point, TODAY, 2)


def test_the_next_day_it_is_sent_again(focal_point, kenya_needs):
    send_confirmation_digests(today=TODAY)
    send_confirmation_digests(today=TODAY + datetime.timedelta(days=1))

    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_digest_the_same_day(focal_point):
    DigestDelivery.objects.create(user=focal_point, sent_on=TODAY, need_count=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        DigestDelivery.objects.create(user=focal_point, sent_on=TODAY, need_count=1)


def test_a_run_that_loses_the_race_sends_nothing(focal_point, kenya_needs):
    # Another run recorded the digest after this run read the deliveries of the day.
    DigestDelivery.objects.create(user=focal_point, sent_on=TODAY, need_count=2)

    delivered = digest._send_digest(user=focal_point, needs=[kenya_needs["stale"]], today=TODAY)

    assert delivered is False
    assert mail.outbox == []


def test_a_failed_send_is_not_recorded_and_the_others_still_get_theirs(
    focal_point, kenya_needs, other_state
):
    colleague = factories.make_user(Role.FOCAL_POINT, username="colleague", state=focal_point.state)
    real_send = digest.send_mail

    def refuse_the_first(**kwargs):
        if kwargs["recipient_list"] == [focal_point.email]:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(**kwargs)

    with mock.patch.object(digest, "send_mail", side_effect=refuse_the_first):
        run = send_confirmation_digests(today=TODAY)

    assert (run.sent, run.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert list(DigestDelivery.objects.values_list("user", flat=True)) == [colleague.pk]
    retry = send_confirmation_digests(today=TODAY)
    assert (retry.sent, retry.already_sent) == (1, 1)
    assert mail.outbox[-1].to == [focal_point.email]


def test_people_without_address_or_not_active_get_nothing(focal_point, kenya_needs):
    factories.make_user(Role.FOCAL_POINT, username="noaddress", state=focal_point.state, email="")
    factories.make_user(Role.FOCAL_POINT, username="gone", state=focal_point.state, is_active=False)
    factories.make_user(Role.SECRETARIAT, username="staff2")

    send_confirmation_digests(today=TODAY)

    assert [m.to for m in mail.outbox] == [[focal_point.email]]


def test_the_list_is_capped_and_says_how_many_more(focal_point, published_review, monkeypatch):
    monkeypatch.setattr(digest, "MAX_NEEDS_LISTED", 2)
    factories.NeedFactory.create_batch(5, review=published_review, last_confirmed_on=LONG_AGO)

    send_confirmation_digests(today=TODAY)

    body = mail.outbox[0].body
    assert body.count("\n- N-") == 2
    assert "... and 3 more on the country page." in body


def test_the_command_sends_and_reports(focal_point, kenya_needs, capsys):
    call_command("send_confirmation_digests")
    call_command("send_confirmation_digests")

    out = capsys.readouterr().out
    assert "Digests sent: 1; already sent today: 0" in out
    assert "Digests sent: 0; already sent today: 1" in out
    assert len(mail.outbox) == 1


def test_the_command_fails_when_a_digest_could_not_be_sent(focal_point, kenya_needs):
    with (
        mock.patch.object(digest, "send_mail", side_effect=OSError("no route")),
        pytest.raises(CommandError, match="1 digests could not be sent"),
    ):
        call_command("send_confirmation_digests")


def test_the_task_runs_the_digest_with_time_limits(focal_point, kenya_needs):
    assert send_confirmation_digests_task.apply().get() == 1
    assert len(mail.outbox) == 1
    assert send_confirmation_digests_task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert send_confirmation_digests_task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert (
        send_confirmation_digests_task.soft_time_limit < send_confirmation_digests_task.time_limit
    )


def test_beat_runs_the_task_daily():
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["confirmation-digests"]
    assert entry["task"] == send_confirmation_digests_task.name
    assert entry["schedule"] == crontab(hour=6, minute=0)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest_once(worker, focal_point, kenya_needs):
    task_ids = [send_confirmation_digests_task.delay().id for _ in range(2)]

    log = worker.wait_for_tasks(task_ids)
    assert DigestDelivery.objects.filter(user=focal_point).count() == 1
    assert f"[{task_ids[0]}] succeeded" in log


def test_the_digest_links_to_the_list_of_exactly_the_needs_it_names(
    client, focal_point, kenya_needs
):
    send_confirmation_digests(today=datetime.date.today())
    link = next(line for line in mail.outbox[0].body.splitlines() if "/states/KEN/" in line)
    client.force_login(focal_point)

    response = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")))

    assert response.status_code == 200
    listed = {need.ref for need in response.context["needs"]}
    assert listed == {kenya_needs["stale"].ref, kenya_needs["never_confirmed"].ref}
