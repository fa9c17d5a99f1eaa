"""The follow-up figure: what became of the first cycle's needs, per region, counted by the
database and shown as a chart and a table in the second cycle's view."""

import pytest
from django.urls import reverse

from dashboard.figures import dashboard_figures
from dashboard.selectors import compute_figures
from dashboard.services import recompute_figures
from needs.models import Acceptance, Need, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(regional_reviews):
    """Kenya's first cycle: two needs carried over (one of them also met), one met, one
    obsolete, one unmet; China's: one unmet, one whose only successor is a proposal
    (dropped, since a proposal does not count), one declined proposal (not counted)."""
    kenya_1, kenya_2 = regional_reviews[("KEN", 1)], regional_reviews[("KEN", 2)]
    china_1 = regional_reviews[("CHN", 1)]
    china_2 = factories.ReviewFactory(state=factories.state("CHN"), cycle=2)
    carried = [factories.NeedFactory(review=kenya_1, status=s) for s in (Status.UNMET, Status.MET)]
    for need in carried:
        successor = factories.NeedFactory(review=kenya_2)
        Need.objects.filter(pk=successor.pk).update(follows=need)
    # Two successors of one need count it once.
    Need.objects.filter(pk=factories.NeedFactory(review=kenya_2).pk).update(follows=carried[0])
    for status in (Status.MET, Status.OBSOLETE, Status.UNMET):
        factories.NeedFactory(review=kenya_1, status=status)
    factories.NeedFactory(review=china_1)
    proposed_only = factories.NeedFactory(review=china_1, status=Status.MET)
    proposal = factories.NeedFactory(review=china_2, acceptance=Acceptance.PROPOSED)
    Need.objects.filter(pk=proposal.pk).update(follows=proposed_only)
    factories.NeedFactory(review=china_1, acceptance=Acceptance.DECLINED)


def test_it_counts_carried_over_met_and_dropped_per_region(follow_up):
    figures = compute_figures()

    overall = figures[(2, "all")]["follow_up"]
    assert overall["totals"] == {"earlier_needs": 7, "carried_over": 2, "met": 2, "dropped": 3}
    by_region = {row["region"]: row for row in overall["by_region"]}
    assert by_region["african"] == {
        "region": "african",
        "label": by_region["african"]["label"],
        "earlier_needs": 5,
        "carried_over": 2,
        "met": 1,
        "dropped": 2,
    }
    assert by_region["asia_pacific"]["met"] == 1 and by_region["asia_pacific"]["dropped"] == 1
    assert figures[(2, "asia_pacific")]["follow_up"]["totals"]["earlier_needs"] == 2
    assert figures[(1, "all")]["follow_up"]["totals"] == dict.fromkeys(
        ("earlier_needs", "carried_over", "met", "dropped"), 0
    )


def test_the_figures_agree_with_a_direct_count(follow_up):
    totals = compute_figures()[(2, "all")]["follow_up"]["totals"]
    earlier = Need.objects.filter(Need.COUNTED, review__cycle=1)
    carried = earlier.filter(followed_by__acceptance=Acceptance.ACCEPTED).distinct()

    assert totals["carried_over"] == carried.count()
    assert totals["met"] == earlier.exclude(pk__in=carried).filter(status=Status.MET).count()
    assert sum(totals[key] for key in ("carried_over", "met", "dropped")) == earlier.count()


def test_the_second_cycle_shows_a_chart_and_a_table_and_the_first_does_not(follow_up, client):
    recompute_figures()

    second = client.get(reverse("dashboard:index"), {"cycle": 2})
    first = client.get(reverse("dashboard:index"), {"cycle": 1})

    assert "Follow-up of the earlier cycle" in second.content.decode()
    assert "Follow-up of the earlier cycle" not in first.content.decode()
    stored = compute_figures()[(2, "all")]
    [figure] = [
        f
        for f in dashboard_figures(stored, history=[], computed_at=None, with_donor_interest=False)
        if f.slug == "follow-up"
    ]
    assert figure.table[0] == ["All regional groups", 7, 2, 2, 3]
    assert figure.chart is not None


def test_the_follow_up_csv_has_the_table_columns(follow_up, client):
    recompute_figures()

    response = client.get(reverse("dashboard:figure_csv", args=["follow-up"]), {"cycle": 2})

    assert response.status_code == 200
    header = b"".join(response.streaming_content if response.streaming else [response.content])
    assert b"Carried over" in header.splitlines()[0]
