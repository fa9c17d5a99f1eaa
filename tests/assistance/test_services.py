import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistance import services
from assistance.models import ActivityNeedLink, DonorInterest, Extent, FundingContribution
from core import services as core_services
from core.exceptions import ConcurrentEditError
from needs.models import Coverage, Need
from tests import factories

pytestmark = pytest.mark.django_db


def coverage_of(need):
    return Need.objects.get(pk=need.pk).coverage


def test_a_need_without_links_is_unmet(published_need):
    services.recompute_coverage([published_need.pk])
    assert coverage_of(published_need) == Coverage.UNMET


def test_a_partial_link_makes_the_need_partly_covered(activity, published_need, staff):
    services.link_need(activity=activity, need=published_need, extent=Extent.PARTIAL, user=staff)
    assert coverage_of(published_need) == Coverage.PARTLY_COVERED


def test_one_full_link_among_partial_ones_covers_the_need(activity, published_need, staff):
    other = factories.ActivityFactory(provider=activity.provider)
    services.link_need(activity=activity, need=published_need, extent=Extent.PARTIAL, user=staff)
    services.link_need(activity=other, need=published_need, extent=Extent.FULL, user=staff)
    assert coverage_of(published_need) == Coverage.COVERED


def test_a_planned_activity_counts_for_coverage(activity, published_need, staff):
    assert activity.status == "planned"
    services.link_need(activity=activity, need=published_need, extent=Extent.FULL, user=staff)
    assert coverage_of(published_need) == Coverage.COVERED


def test_changing_the_extent_recomputes_coverage(activity, published_need, staff):
    services.link_need(activity=activity, need=published_need, extent=Extent.FULL, user=staff)
    services.link_need(activity=activity, need=published_need, extent=Extent.PARTIAL, user=staff)
    assert ActivityNeedLink.objects.get().extent == Extent.PARTIAL
    assert coverage_of(published_need) == Coverage.PARTLY_COVERED


def test_unlinking_the_last_link_makes_the_need_unmet_again(activity, published_need, staff):
    services.link_need(activity=activity, need=published_need, extent=Extent.FULL, user=staff)
    services.unlink_need(activity=activity, need=published_need, user=staff)
    assert coverage_of(published_need) == Coverage.UNMET


def test_unlinking_a_need_that_is_not_linked_is_refused(activity, published_need, staff):
    with pytest.raises(ValidationError):
        services.unlink_need(activity=activity, need=published_need, user=staff)


def test_deleting_an_activity_recomputes_the_needs_it_addressed(activity, published_need, staff):
    services.link_need(activity=activity, need=published_need, extent=Extent.FULL, user=staff)
    services.activity_delete(activity=activity, user=staff)
    assert coverage_of(published_need) == Coverage.UNMET


def test_recompute_coverage_is_one_update_whatever_the_number_of_needs(activity, published_review):
    needs = factories.NeedFactory.create_batch(6, review=published_review)
    ActivityNeedLink.objects.create(activity=activity, need=needs[0], extent=Extent.FULL)
    ActivityNeedLink.objects.create(activity=activity, need=needs[1], extent=Extent.PARTIAL)
    Need.objects.filter(pk=needs[2].pk).update(coverage=Coverage.COVERED)
    with CaptureQueriesContext(connection) as queries:
        services.recompute_coverage([need.pk for need in needs])
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("UPDATE")
    coverages = dict(
        Need.objects.filter(pk__in=[n.pk for n in needs]).values_list("pk", "coverage")
    )
    assert coverages[needs[0].pk] == Coverage.COVERED
    assert coverages[needs[1].pk] == Coverage.PARTLY_COVERED
    assert coverages[needs[2].pk] == Coverage.UNMET


def test_recompute_coverage_of_no_needs_writes_nothing(published_need):
    assert services.recompute_coverage([]) == 0


def test_a_link_change_is_attributed_in_history(activity, published_need, staff):
    link = services.link_need(activity=activity, need=published_need, extent="full", user=staff)
    assert link.history.latest().history_user == staff


def test_an_unknown_extent_is_refused(activity, published_need):
    with pytest.raises(ValidationError):
        services.link_need(activity=activity, need=published_need, extent="most")


def test_activity_update_refuses_a_stale_version(activity, staff):
    services.activity_update(activity=activity, seen_version=1, title="First title", user=staff)
    with pytest.raises(ConcurrentEditError) as error:
        services.activity_update(activity=activity, seen_version=1, title="Second", user=staff)
    assert "title" in error.value.changes


def test_activity_update_keeps_dates_in_order(activity, staff):
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=activity,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 1, 1),
            user=staff,
        )


def test_activity_create_sets_the_beneficiary_states(provider, home_state, other_state, staff):
    activity = services.activity_create(
        ref="ACT-1",
        title="Asset recovery mentoring",
        activity_type="mentoring",
        level="regional",
        provider=provider,
        beneficiary_states=[home_state, other_state],
        user=staff,
    )
    assert set(activity.beneficiary_states.all()) == {home_state, other_state}
    assert activity.history.latest().history_user == staff


def test_funding_needs_a_positive_amount_and_a_currency_code(activity):
    donor = factories.DonorFactory()
    with pytest.raises(ValidationError):
        services.funding_add(activity=activity, donor=donor, amount=Decimal(0), year=2024)
    with pytest.raises(ValidationError):
        services.funding_add(
            activity=activity, donor=donor, amount=Decimal(10), year=2024, currency="dollars"
        )
    contribution = services.funding_add(
        activity=activity, donor=donor, amount=Decimal(10), year=2024, currency="eur"
    )
    assert contribution.currency == "EUR"
    services.funding_remove(contribution=contribution)
    assert not FundingContribution.objects.exists()


def test_a_donor_has_one_active_interest_per_need(donor, published_need):
    services.interest_register(
        donor=donor.donor, need=published_need, kind="interest", note="We fund", user=donor
    )
    with pytest.raises(ValidationError):
        services.interest_register(
            donor=donor.donor, need=published_need, kind="commitment", user=donor
        )


def test_a_donor_can_register_again_after_withdrawing(donor, published_need):
    first = services.interest_register(
        donor=donor.donor, need=published_need, kind="interest", user=donor
    )
    services.interest_withdraw(interest=first, user=donor)
    second = services.interest_register(
        donor=donor.donor, need=published_need, kind="commitment", amount=Decimal(5000), user=donor
    )
    assert DonorInterest.objects.filter(withdrawn_at__isnull=True).get() == second


def test_withdrawing_twice_is_refused(donor, published_need):
    interest = services.interest_register(
        donor=donor.donor, need=published_need, kind="interest", user=donor
    )
    services.interest_withdraw(interest=interest, user=donor)
    with pytest.raises(ValidationError):
        services.interest_withdraw(interest=interest, user=donor)


def test_a_negative_interest_amount_is_refused(donor, published_need):
    with pytest.raises(ValidationError):
        services.interest_register(
            donor=donor.donor, need=published_need, kind="interest", amount=Decimal(-1)
        )


def test_every_write_flags_the_figures(monkeypatch, activity, published_need, donor):
    calls = []
    for module in (services, core_services):  # edits go through core.services.model_edit
        monkeypatch.setattr(module, "data_changed", lambda *, sender: calls.append(sender))
    services.link_need(activity=activity, need=published_need, extent="full")
    services.unlink_need(activity=activity, need=published_need)
    interest = services.interest_register(donor=donor.donor, need=published_need, kind="interest")
    services.interest_withdraw(interest=interest)
    services.activity_update(activity=activity, title="New")
    assert len(calls) == 5


def test_the_command_repairs_coverage_changed_outside_the_services(activity, published_need):
    from django.core.management import call_command

    ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    call_command("recompute_coverage")
    assert coverage_of(published_need) == Coverage.COVERED


def test_the_admin_shows_links_and_interest_read_only(admin_client, activity, published_need):
    link = ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    assert (
        admin_client.get(f"/admin/assistance/activityneedlink/{link.pk}/change/").status_code == 200
    )
    assert (
        admin_client.post(
            f"/admin/assistance/activityneedlink/{link.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert ActivityNeedLink.objects.filter(pk=link.pk).exists()
