import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from assistance.iati import alpha_2
from assistance.models import ActivityNeedLink, FundingContribution
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parent / "iati_schema_2_03" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture
def full_activity(activity, published_need, other_state):
    activity.title = "Asset recovery mentoring"
    activity.status = "ongoing"
    activity.start_date = datetime.date(2023, 1, 1)
    activity.end_date = datetime.date(2099, 12, 31)
    activity.budget = Decimal("125000.50")
    activity.save()
    activity.beneficiary_states.add(other_state, factories.state("EUU"))
    donor = factories.DonorFactory(name="Norway")
    FundingContribution.objects.create(
        activity=activity, donor=donor, amount=Decimal(50000), currency="NOK", year=2024
    )
    ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    return activity


def fetch(client, **params):
    response = client.get(reverse("assistance:iati"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_the_export_is_valid_against_the_iati_2_03_schema(client, full_activity, schema):
    root = fetch(client)
    schema.assertValid(root)
    assert root.get("version") == "2.03"


def test_an_activity_without_dates_or_funding_is_valid_too(client, provider, schema):
    factories.ActivityFactory(provider=provider, status="planned")
    schema.assertValid(fetch(client))


def test_it_writes_countries_sector_tags_and_funding(client, full_activity, published_need):
    activity = fetch(client).find("iati-activity")
    assert activity.findtext("iati-identifier").endswith(f"-{full_activity.ref}")
    countries = {c.get("code"): c.get("percentage") for c in activity.findall("recipient-country")}
    assert countries == {"KE": "50.00", "PE": "50.00"}
    assert any("EUU" in comment.text for comment in activity.iter(etree.Comment))
    sector = activity.find("sector")
    assert (sector.get("code"), sector.get("vocabulary")) == ("15113", "1")
    tags = {(t.get("vocabulary"), t.get("code")) for t in activity.findall("tag")}
    assert ("99", f"UNCAC-ART-{published_need.article.number}") in tags
    assert ("3", "16.5") in tags
    roles = {
        (p.get("role"), p.findtext("narrative")) for p in activity.findall("participating-org")
    }
    assert roles == {("4", "UNODC"), ("1", "Norway")}
    assert activity.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"2": "2023-01-01", "3": "2099-12-31"}
    transaction = activity.find("transaction")
    assert transaction.find("transaction-type").get("code") == "11"
    assert transaction.find("value").get("currency") == "NOK"


def test_tags_leave_out_needs_the_reader_cannot_see(client, activity, unpublished_need):
    ActivityNeedLink.objects.create(activity=activity, need=unpublished_need, extent="full")
    tags = [t.get("code") for t in fetch(client).iter("tag")]
    assert tags == ["16.5"]


def test_the_export_follows_the_activity_filters(client, activity, provider, other_state):
    peru = factories.ActivityFactory(provider=provider)
    peru.beneficiary_states.set([other_state])
    identifiers = [e.text for e in fetch(client, state="PER").iter("iati-identifier")]
    assert len(identifiers) == 1
    assert identifiers[0].endswith(peru.ref)


def test_a_bad_filter_gets_a_400(client, activity):
    assert client.get(reverse("assistance:iati"), {"state": "XXX"}).status_code == 400


def test_a_future_actual_date_is_written_as_planned(client, activity):
    activity.status = "completed"
    activity.start_date = datetime.date(2020, 1, 1)
    activity.end_date = datetime.date(2099, 1, 1)
    activity.save()
    dates = {d.get("type") for d in fetch(client).iter("activity-date")}
    assert dates == {"2", "3"}


def test_alpha_2_has_no_code_for_the_european_union():
    assert alpha_2("KEN") == "KE"
    assert alpha_2("EUU") is None


def test_the_export_costs_fixed_queries(client, provider, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            activity = factories.ActivityFactory(provider=provider)
            activity.beneficiary_states.set([factories.state("KEN")])
            FundingContribution.objects.create(
                activity=activity, donor=factories.DonorFactory(), amount=1, year=2024
            )

    add(2)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("assistance:iati"))
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("assistance:iati"))
