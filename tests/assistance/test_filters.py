import datetime

import pytest

from assistance.filters import ActivityFilterSet, DonorInterestFilterSet
from assistance.models import ActivityNeedLink, FundingContribution
from tests import factories

pytestmark = pytest.mark.django_db


def filtered(params, queryset, request=None):
    filterset = ActivityFilterSet(params, queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


@pytest.fixture
def two_activities(provider, home_state, other_state):
    kenya = factories.ActivityFactory(
        provider=provider,
        title="Asset recovery training",
        start_date=datetime.date(2022, 3, 1),
        end_date=datetime.date(2022, 6, 1),
    )
    kenya.beneficiary_states.set([home_state])
    peru = factories.ActivityFactory(
        provider=factories.ProviderFactory(),
        title="Legislative drafting",
        activity_type="legislative_drafting",
        level="regional",
        status="ongoing",
        start_date=datetime.date(2023, 1, 1),
    )
    peru.beneficiary_states.set([other_state, home_state])
    return kenya, peru


def test_it_filters_by_beneficiary_state_without_repeating(two_activities):
    from assistance.models import Activity

    assert len(filtered({"state": ["KEN"]}, Activity.objects.all())) == 2
    assert filtered({"state": ["PER"]}, Activity.objects.all()) == [two_activities[1]]


def test_it_filters_by_region_type_level_status(two_activities):
    from assistance.models import Activity

    kenya, peru = two_activities
    qs = Activity.objects.all()
    assert filtered({"region": ["latin_american_caribbean"]}, qs) == [peru]
    assert filtered({"type": ["legislative_drafting"]}, qs) == [peru]
    assert filtered({"level": ["national"]}, qs) == [kenya]
    assert filtered({"status": ["planned"]}, qs) == [kenya]


def test_it_filters_by_year_with_open_ends(two_activities):
    from assistance.models import Activity

    kenya, peru = two_activities
    qs = Activity.objects.all()
    assert filtered({"year": "2022"}, qs) == [kenya]
    assert filtered({"year": "2030"}, qs) == [peru]
    assert set(filtered({"active_from": "2022-05-01", "active_until": "2023-02-01"}, qs)) == {
        kenya,
        peru,
    }


def test_it_searches_title_words(two_activities):
    from assistance.models import Activity

    assert filtered({"q": "asset TRAINING"}, Activity.objects.all()) == [two_activities[0]]


def test_it_filters_by_donor(two_activities):
    from assistance.models import Activity

    donor = factories.DonorFactory()
    FundingContribution.objects.create(
        activity=two_activities[1], donor=donor, amount=10, currency="USD", year=2023
    )
    assert filtered({"donor": [donor.pk]}, Activity.objects.all()) == [two_activities[1]]


def test_linked_need_filters_ignore_needs_the_user_cannot_see(
    rf, two_activities, unpublished_need, published_need, people
):
    from assistance.models import Activity

    kenya, peru = two_activities
    ActivityNeedLink.objects.create(activity=kenya, need=unpublished_need, extent="full")
    ActivityNeedLink.objects.create(activity=peru, need=published_need, extent="full")
    request = rf.get("/")
    request.user = people["donor"]
    chapter = unpublished_need.chapter.roman
    assert filtered({"chapter": [chapter]}, Activity.objects.all(), request) == []
    assert filtered({"need": unpublished_need.ref}, Activity.objects.all(), request) == []
    assert filtered({"need": published_need.ref}, Activity.objects.all(), request) == [peru]
    request.user = people["staff"]
    assert filtered({"chapter": [chapter]}, Activity.objects.all(), request) == [kenya]


def test_it_rejects_an_unknown_state_code(two_activities):
    from assistance.models import Activity

    filterset = ActivityFilterSet({"state": ["XXX"]}, queryset=Activity.objects.all())
    assert not filterset.is_valid()
    assert "state" in filterset.errors


def test_interest_filter_by_active_and_need(published_need, donor):
    from assistance.models import DonorInterest

    active = factories.DonorInterestFactory(need=published_need, donor=donor.donor)
    factories.DonorInterestFactory(
        need=published_need, withdrawn_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    filterset = DonorInterestFilterSet(
        {"active": "true", "need": published_need.ref.lower()},
        queryset=DonorInterest.objects.all(),
    )
    assert list(filterset.qs) == [active]
