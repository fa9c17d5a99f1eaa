import datetime
import re
import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts import sending
from alerts.models import AlertDelivery, AlertFrequency, SavedSearch
from alerts.sending import due_searches, send_due_alerts
from alerts.tasks import send_saved_search_alerts_task
from assistance.services import link_need, unlink_need
from core.models import Role
from needs.models import Need, Status
from needs.services import need_set_status
from reviews.models import Review
from reviews.services import review_update
from tests import factories

from .conftest import CURSOR, OLD, RUN, age, save

pytestmark = pytest.mark.django_db

EVERY_NEED = {"filtered": "1"}


def refs(message) -> set[str]:
    return set(re.findall(r"N-[0-9A-F]{10}", message.body))


def only_message():
    [message] = mail.outbox
    return message


# --- Who sees what ------------------------------------------------------------------------
def test_a_donors_alert_lists_published_needs_only(donor, world):
    save(donor, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    needs = world["needs"]
    assert refs(only_message()) == {needs["home_published"].ref, needs["other_published"].ref}


def test_a_focal_points_alert_never_lists_another_states_unpublished_needs(focal_point, world):
    save(focal_point, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    needs = world["needs"]
    listed = refs(only_message())
    assert needs["other_unpublished"].ref not in listed
    # Their own State's unpublished needs they see; the catalogue never lists proposals.
    assert listed == {
        needs["home_published"].ref,
        needs["other_published"].ref,
        needs["home_unpublished"].ref,
    }


def test_staffs_needs_list_alert_lists_every_need_proposals_included(staff, world):
    save(staff, view="needs", query={})

    send_due_alerts(now=RUN)

    assert refs(only_message()) == {need.ref for need in world["needs"].values()}


def test_an_alert_follows_the_owners_rights_today_not_when_saved(staff, world):
    save(staff, view="needs", query={})
    staff.role = Role.DONOR
    staff.donor = factories.DonorFactory()
    staff.save()

    run = send_due_alerts(now=RUN)

    assert (run.sent, run.skipped) == (0, 1)
    assert mail.outbox == []


# --- What is new or changed ---------------------------------------------------------------
def test_it_lists_what_changed_since_the_cursor_and_matches_the_filters(donor, published_review):
    old = factories.NeedFactory(review=published_review, description="Old and untouched")
    edited = factories.NeedFactory(review=published_review, description="Old, status changed")
    other_chapter = factories.NeedFactory(
        review=published_review, chapter=factories.chapter("V"), article=factories.article(54)
    )
    age(old, edited, other_chapter)
    need_set_status(need=edited, status=Status.IN_PROGRESS, comment="Project started", user=None)
    new = factories.NeedFactory(review=published_review, description="Brand new")
    save(donor, query={"filtered": "1", "chapter": "II"})

    send_due_alerts(now=RUN)

    body = only_message().body
    assert refs(only_message()) == {edited.ref, new.ref}
    assert f"{new.ref} (new;" in body
    assert f"{edited.ref} (changed;" in body


def test_the_catalogues_defaults_apply_to_a_search_saved_with_them(donor, published_review):
    unmet = factories.NeedFactory(review=published_review)
    met = factories.NeedFactory(review=published_review, status=Status.MET)
    save(donor, query={})  # the catalogue's default view

    send_due_alerts(now=RUN)

    assert refs(only_message()) == {unmet.ref}
    assert met.ref not in only_message().body


def test_a_link_to_assistance_counts_as_a_change(donor, published_review):
    """Coverage is written without touching the need: the link's history says it changed."""
    linked, unlinked, untouched = factories.NeedFactory.create_batch(3, review=published_review)
    activity = factories.ActivityFactory()
    link_need(activity=activity, need=unlinked, extent="partial")
    age(linked, unlinked, untouched)
    _age_history(unlinked)
    link_need(activity=activity, need=linked, extent="partial")
    unlink_need(activity=activity, need=unlinked)
    save(donor, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    assert refs(only_message()) == {linked.ref, unlinked.ref}


def _age_history(need) -> None:
    from assistance.models import ActivityNeedLink

    ActivityNeedLink.history.filter(need_id=need.pk).update(history_date=OLD)


def test_needs_published_since_the_cursor_count_as_new_to_a_donor(donor, unpublished_review):
    need = factories.NeedFactory(review=unpublished_review)
    age(need)
    review_update(
        review=Review.objects.get(pk=unpublished_review.pk),
        seen_version=unpublished_review.version,
        executive_summary_completed=datetime.date(2020, 1, 1),
        executive_summary_published=True,
    )
    save(donor, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    assert refs(only_message()) == {need.ref}


def test_a_published_review_edited_again_does_not_relist_its_needs(donor, published_review):
    need = factories.NeedFactory(review=published_review)
    age(need)
    review_update(
        review=Review.objects.get(pk=published_review.pk),
        seen_version=published_review.version,
        review_year=2017,
    )
    save(donor, query=EVERY_NEED)

    assert send_due_alerts(now=RUN).nothing_new == 1
    assert mail.outbox == []


def test_nothing_new_sends_nothing_but_moves_the_cursor(donor, published_need):
    age(published_need)
    search = save(donor, query=EVERY_NEED)

    run = send_due_alerts(now=RUN)

    assert (run.sent, run.nothing_new) == (0, 1)
    assert mail.outbox == []
    assert not AlertDelivery.objects.exists()
    search.refresh_from_db()
    assert search.last_alerted_at == RUN


def test_the_next_alert_starts_where_the_last_ended(donor, published_review):
    first = factories.NeedFactory(review=published_review)
    search = save(donor, query=EVERY_NEED)
    send_due_alerts(now=RUN)
    later = factories.NeedFactory(review=published_review)
    # Written after the first run's window ended (its end lies a few minutes back).
    Need.objects.filter(pk=later.pk).update(created_at=RUN, updated_at=RUN)

    send_due_alerts(now=RUN + datetime.timedelta(days=1))

    assert [refs(message) for message in mail.outbox] == [{first.ref}, {later.ref}]
    search.refresh_from_db()
    assert search.last_alerted_at == RUN + datetime.timedelta(days=1)


def test_a_change_just_before_a_run_waits_for_the_next_alert(donor, published_review, settings):
    """A need's updated_at is set before its transaction commits: the window ends a few
    minutes back so that such a change is not lost between two runs."""
    settings.SAVED_SEARCH_ALERTS_SETTLE_MINUTES = 10
    need = factories.NeedFactory(review=published_review)
    save(donor, query=EVERY_NEED)
    age(need)
    Need.objects.filter(pk=need.pk).update(
        created_at=RUN - datetime.timedelta(minutes=5),
        updated_at=RUN - datetime.timedelta(minutes=5),
    )

    assert send_due_alerts(now=RUN).nothing_new == 1
    send_due_alerts(now=RUN + datetime.timedelta(days=1))

    assert refs(only_message()) == {need.ref}


# --- The e-mail ---------------------------------------------------------------------------
def test_the_email_counts_lists_links_and_offers_to_unsubscribe(donor, published_review):
    need = factories.NeedFactory(review=published_review, description="Training for judges")
    search = save(donor, name="Kenya, chapter II", query={"filtered": "1", "state": "KEN"})

    send_due_alerts(now=RUN)

    message = only_message()
    site = settings.SITE_URL.rstrip("/")
    assert message.to == [donor.email]
    assert message.subject == "1 new or changed need: Kenya, chapter II"
    assert "1 need found by your saved search “Kenya, chapter II” is new or has changed" in (
        message.body
    )
    assert f"{need.ref} (new; Kenya, cycle 2, Article 5): Training for judges" in message.body
    assert f"{site}/catalogue/{need.ref}/" in message.body
    assert f"{site}/catalogue/?filtered=1&state=KEN" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{site}/alerts/unsubscribe/")
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "at most once a day" in message.body
    delivery = AlertDelivery.objects.get()
    assert (delivery.saved_search, delivery.need_count) == (search, 1)
    assert delivery.sent_on == RUN.date()


def test_staffs_links_go_to_the_need_on_its_review_page(staff, published_need):
    save(
        staff,
        view="needs",
        query={},
        alert=AlertFrequency.WEEKLY,
        cursor=CURSOR - datetime.timedelta(days=7),
    )

    send_due_alerts(now=RUN)

    body = only_message().body
    review_url = f"/reviews/{published_need.review_id}/#need-{published_need.pk}"
    assert f"{settings.SITE_URL.rstrip('/')}{review_url}" in body
    assert "at most once a week" in body


def test_the_list_is_capped_and_says_how_many_more(donor, published_review, monkeypatch):
    monkeypatch.setattr(sending, "MAX_NEEDS_LISTED", 2)
    factories.NeedFactory.create_batch(5, review=published_review)
    save(donor, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    message = only_message()
    assert message.subject.startswith("5 new or changed needs")
    assert len(refs(message)) == 2
    assert "... and 3 more: open the search to see them all." in message.body
    assert AlertDelivery.objects.get().need_count == 5


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("ar", "حاجة جديدة أو متغيرة", "لإيقاف هذه الرسائل"),
        ("zh-hans", "项新的或有变化的需求", "如需停止接收这些邮件"),
        ("fr", "besoin nouveau ou modifié", "Pour ne plus recevoir ces courriels"),
    ],
)
def test_the_email_is_in_the_owners_language(donor, published_need, language, subject, phrase):
    donor.preferred_language = language
    donor.save()
    save(donor, query=EVERY_NEED)

    send_due_alerts(now=RUN)

    message = only_message()
    assert subject in message.subject
    assert phrase in message.body
    assert published_need.ref in message.body


# --- Due, once ----------------------------------------------------------------------------
def at(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.mark.parametrize(
    ("alert", "last_alerted", "due"),
    [
        ("daily", at(datetime.date(2026, 11, 21), 23), True),
        ("daily", at(datetime.date(2026, 11, 22), 0), False),
        ("weekly", at(datetime.date(2026, 11, 15), 23), True),
        ("weekly", at(datetime.date(2026, 11, 16), 0), False),
        ("weekly", at(datetime.date(2026, 11, 21), 6), False),
        ("none", at(datetime.date(2020, 1, 1)), False),
    ],
)
def test_daily_alerts_are_due_once_a_day_and_weekly_ones_after_seven_days(
    donor, alert, last_alerted, due
):
    search = save(donor, alert=alert, cursor=last_alerted)

    assert (search in due_searches(datetime.date(2026, 11, 22))) is due


def test_a_weekly_alert_waits_a_week(donor, published_review):
    search = save(donor, query=EVERY_NEED, alert=AlertFrequency.WEEKLY, cursor=RUN)
    age(factories.NeedFactory(review=published_review), when=RUN + datetime.timedelta(days=1))

    for day in range(1, 7):
        send_due_alerts(now=RUN + datetime.timedelta(days=day))
    assert mail.outbox == []
    send_due_alerts(now=RUN + datetime.timedelta(days=7))

    assert len(mail.outbox) == 1
    search.refresh_from_db()
    assert search.last_alerted_at == RUN + datetime.timedelta(days=7)


def test_running_twice_sends_one_email(donor, published_need):
    save(donor, query=EVERY_NEED)

    first = send_due_alerts(now=RUN)
    second = send_due_alerts(now=RUN + datetime.timedelta(hours=1))

    assert (first.sent, second.handled) == (1, 0)
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_alert_the_same_day(donor):
    search = save(donor)
    AlertDelivery.objects.create(saved_search=search, sent_on=RUN.date(), need_count=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        AlertDelivery.objects.create(saved_search=search, sent_on=RUN.date(), need_count=2)


def test_a_run_that_loses_the_race_sends_nothing(donor, published_need):
    # Another run recorded today's alert after this one found the search due.
    search = save(donor, query=EVERY_NEED)
    AlertDelivery.objects.create(saved_search=search, sent_on=RUN.date(), need_count=1)

    run = send_due_alerts(now=RUN)

    assert (run.sent, run.taken) == (0, 1)
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_next_run_and_the_others_still_go(
    donor, other_donor, published_need
):
    failing = save(donor, query=EVERY_NEED)
    save(other_donor, query=EVERY_NEED)
    real_send = sending.EmailMessage.send

    def refuse_the_first(message, *args, **kwargs):
        if message.to == [donor.email]:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(sending.EmailMessage, "send", refuse_the_first):
        run = send_due_alerts(now=RUN)

    assert (run.sent, run.failed) == (1, 1)
    assert [message.to for message in mail.outbox] == [[other_donor.email]]
    failing.refresh_from_db()
    assert failing.last_alerted_at == CURSOR
    assert not AlertDelivery.objects.filter(saved_search=failing).exists()
    retry = send_due_alerts(now=RUN + datetime.timedelta(minutes=15))
    assert (retry.sent, retry.handled) == (1, 1)
    assert mail.outbox[-1].to == [donor.email]


def test_inactive_people_and_people_without_address_get_nothing(donor, other_donor, published_need):
    quiet = save(donor, query=EVERY_NEED)
    save(other_donor, query=EVERY_NEED)
    donor.is_active = False
    donor.save()
    other_donor.email = ""
    other_donor.save()

    run = send_due_alerts(now=RUN)

    assert (run.sent, run.skipped) == (0, 2)
    assert mail.outbox == []
    quiet.refresh_from_db()
    assert quiet.last_alerted_at == RUN


def test_a_search_whose_filters_no_longer_validate_is_skipped(donor, published_need):
    search = save(donor, query=EVERY_NEED)
    SavedSearch.objects.filter(pk=search.pk).update(query={"theme": ["withdrawn-theme"]})

    assert send_due_alerts(now=RUN).skipped == 1
    assert mail.outbox == []


def test_a_run_takes_a_batch_oldest_cursor_first(donor, published_need):
    oldest = save(donor, name="oldest", cursor=CURSOR - datetime.timedelta(days=1))
    newer = save(donor, name="newer")

    send_due_alerts(now=RUN, limit=1)

    oldest.refresh_from_db()
    newer.refresh_from_db()
    assert (oldest.last_alerted_at, newer.last_alerted_at) == (RUN, CURSOR)


# --- Command, task, beat, worker ----------------------------------------------------------
def an_hour_ago(*needs) -> None:
    """Written before the window of a run made now ends (a few minutes back)."""
    age(*needs, when=timezone.now() - datetime.timedelta(hours=1))


def test_the_command_sends_and_reports(donor, other_donor, published_need, capsys, settings):
    settings.SAVED_SEARCH_ALERTS_BATCH = 1  # two batches
    save(donor, query=EVERY_NEED)
    save(other_donor, query={}, name="The default view")
    an_hour_ago(factories.NeedFactory(review=published_need.review, status=Status.MET))
    age(published_need)
    call_command("send_saved_search_alerts")
    call_command("send_saved_search_alerts")

    out = capsys.readouterr().out
    assert "Alerts sent: 1; nothing new: 1;" in out
    assert "Alerts sent: 0; nothing new: 0;" in out


def test_the_command_fails_when_an_alert_could_not_be_sent(donor, published_need):
    an_hour_ago(published_need)
    save(donor, query=EVERY_NEED)

    with (
        mock.patch.object(sending.EmailMessage, "send", side_effect=OSError("no route")),
        pytest.raises(CommandError, match="1 alerts could not be sent"),
    ):
        call_command("send_saved_search_alerts")


def test_the_task_sends_and_takes_the_global_time_limits(donor, published_need):
    an_hour_ago(published_need)
    save(donor, query=EVERY_NEED)

    assert send_saved_search_alerts_task.apply().get() == 1
    assert len(mail.outbox) == 1
    # No limits of its own: the global CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT.
    assert send_saved_search_alerts_task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert send_saved_search_alerts_task.time_limit == settings.CELERY_TASK_TIME_LIMIT


def test_beat_runs_the_task_every_quarter_hour():
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["saved-search-alerts"]
    assert entry["task"] == send_saved_search_alerts_task.name
    assert entry["schedule"] == crontab(minute="*/15")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_alert_once(worker, donor, published_review):
    an_hour_ago(factories.NeedFactory(review=published_review))
    started = timezone.now()
    search = save(donor, query=EVERY_NEED)

    task_ids = [send_saved_search_alerts_task.delay().id for _ in range(2)]

    worker.wait_for_tasks(task_ids)
    delivery = AlertDelivery.objects.get()
    assert (delivery.saved_search_id, delivery.need_count) == (search.pk, 1)
    search.refresh_from_db()
    assert search.last_alerted_at >= started
