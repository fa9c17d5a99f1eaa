import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard.models import ALL_REGIONS
from dashboard.selectors import compute_figures, percent
from needs.models import Acceptance, Coverage, Status
from reviews.models import State
from tests import factories


def _row(rows: list[dict], **match) -> dict:
    return next(row for row in rows if all(row[k] == v for k, v in match.items()))


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, 12.5), (1, 3, 33.3), (2, 3, 66.7), (1, 16, 6.3), (223, 455, 49.0), (0, 0, 0.0)],
)
def test_percent_has_one_decimal_and_rounds_halves_up(part, whole, expected):
    assert percent(part, whole) == expected


def test_it_counts_every_status_but_leaves_out_proposals_not_accepted(regional_reviews):
    review = regional_reviews[("KEN", 2)]
    for status in Status.values:
        factories.NeedFactory(review=review, status=status)
    factories.NeedFactory(review=review, acceptance=Acceptance.PROPOSED)
    factories.NeedFactory(review=review, acceptance=Acceptance.DECLINED)

    figures = compute_figures()[(2, ALL_REGIONS)]

    assert figures["totals"]["needs"] == len(Status.values)
    assert figures["totals"]["states_with_needs"] == 1
    assert {row["status"]: row["needs"] for row in figures["by_status"]} == dict.fromkeys(
        Status.values, 1
    )


def test_the_european_union_counts_for_all_regions_only(regional_reviews):
    factories.NeedFactory(review=regional_reviews[("EUU", 2)])
    factories.NeedFactory(review=regional_reviews[("KEN", 2)])

    figures = compute_figures()

    assert figures[(2, ALL_REGIONS)]["totals"]["needs"] == 2
    assert figures[(2, ALL_REGIONS)]["totals"]["states_with_needs"] == 2
    assert figures[(2, "african")]["totals"]["needs"] == 1
    regional_needs = sum(
        figures[(2, r["region"])]["totals"]["needs"] for r in figures[(2, ALL_REGIONS)]["by_region"]
    )
    assert regional_needs == 1
    assert [row["region"] for row in figures[(2, ALL_REGIONS)]["by_region"]] == [
        "african",
        "asia_pacific",
        "eastern_european",
        "latin_american_caribbean",
        "western_european_other",
    ]
    assert figures[(2, "african")]["by_region"] == [
        _row(figures[(2, ALL_REGIONS)]["by_region"], region="african")
    ]


def test_states_parties_counts_parties_only_in_the_region(regional_reviews):
    before = compute_figures()
    State.objects.filter(iso3="KEN").update(is_party=False)

    after = compute_figures()

    for cycle in (1, 2):
        for scope in (ALL_REGIONS, "african"):
            assert (
                after[(cycle, scope)]["totals"]["states_parties"]
                == before[(cycle, scope)]["totals"]["states_parties"] - 1
            )
    assert (
        after[(2, "asia_pacific")]["totals"]["states_parties"]
        == (before[(2, "asia_pacific")]["totals"]["states_parties"])
    )


def test_reviews_count_at_any_stage_and_summaries_when_completed(regional_reviews):
    figures = compute_figures()

    assert figures[(1, ALL_REGIONS)]["totals"]["reviews"] == 2
    assert figures[(1, ALL_REGIONS)]["totals"]["executive_summaries"] == 1
    assert figures[(1, "asia_pacific")]["totals"]["executive_summaries"] == 0
    assert figures[(2, ALL_REGIONS)]["totals"]["reviews"] == 4


def test_breakdowns_count_needs_and_distinct_states(regional_reviews):
    kenya, peru = regional_reviews[("KEN", 2)], regional_reviews[("PER", 2)]
    chapter_ii, chapter_v = factories.chapter("II"), factories.chapter("V")
    article_5 = factories.article(5)
    legislative = factories.category("legislative_assistance")
    technology, training = factories.theme("technology"), factories.theme("training")
    first = factories.NeedFactory(review=kenya, chapter=chapter_ii, article=article_5)
    first.themes.set([technology, training])
    factories.NeedFactory(review=kenya, chapter=chapter_ii, article=article_5).themes.set(
        [technology]
    )
    factories.NeedFactory(review=peru, chapter=chapter_v, article=None, category=legislative)

    figures = compute_figures()[(2, ALL_REGIONS)]

    chapter = _row(figures["by_chapter"], chapter="II")
    assert (chapter["needs"], chapter["states"]) == (2, 1)
    assert _row(figures["by_chapter"], chapter="V")["needs"] == 1
    assert _row(figures["by_article"], article=5)["needs"] == 2
    assert _row(figures["by_article"], article=5)["states"] == 1
    general_v = _row(figures["by_article"], chapter="V", article=None)
    assert (general_v["needs"], general_v["states"]) == (1, 1)
    capacity = _row(figures["by_category"], category="capacity_building")
    assert (capacity["needs"], capacity["percent"], capacity["states"]) == (2, 66.7, 1)
    assert _row(figures["by_category"], category="legislative_assistance")["percent"] == 33.3
    technology_row = _row(figures["by_theme"], theme="technology")
    assert (technology_row["needs"], technology_row["states"]) == (2, 1)
    assert technology_row["percent_of_states"] == 50.0
    assert _row(figures["by_theme"], theme="sport")["needs"] == 0


def test_articles_come_in_order_with_the_chapter_in_general_last(regional_reviews):
    figures = compute_figures()[(2, ALL_REGIONS)]

    chapter_ii = [row["article"] for row in figures["by_article"] if row["chapter"] == "II"]
    assert chapter_ii == [*range(5, 15), None]
    assert [row["chapter"] for row in figures["by_chapter"]] == ["II", "V"]


def test_coverage_is_counted_overall_by_chapter_and_by_region(regional_reviews):
    kenya = regional_reviews[("KEN", 2)]
    factories.NeedFactory(review=kenya, coverage=Coverage.COVERED)
    factories.NeedFactory(review=kenya, coverage=Coverage.PARTLY_COVERED)
    factories.NeedFactory(review=regional_reviews[("PER", 2)])

    figures = compute_figures()[(2, ALL_REGIONS)]

    assert figures["coverage"] == {"unmet": 1, "partly_covered": 1, "covered": 1}
    chapter = _row(figures["by_chapter"], chapter="II")
    assert (chapter["unmet"], chapter["partly_covered"], chapter["covered"]) == (1, 1, 1)
    african = _row(figures["by_region"], region="african")
    assert (african["unmet"], african["partly_covered"], african["covered"]) == (0, 1, 1)


def test_donor_interest_counts_active_entries_in_counted_needs(regional_reviews):
    kenya = regional_reviews[("KEN", 2)]
    need = factories.NeedFactory(review=kenya)
    other_need = factories.NeedFactory(review=kenya)
    proposal = factories.NeedFactory(review=kenya, acceptance=Acceptance.PROPOSED)
    donor, other_donor = factories.DonorFactory(), factories.DonorFactory()
    factories.DonorInterestFactory(donor=donor, need=need, kind="interest")
    factories.DonorInterestFactory(donor=other_donor, need=need, kind="commitment")
    factories.DonorInterestFactory(
        donor=donor, need=other_need, kind="commitment", withdrawn_at=timezone.now()
    )
    factories.DonorInterestFactory(donor=donor, need=proposal, kind="interest")

    interest = compute_figures()[(2, ALL_REGIONS)]["donor_interest"]

    assert interest["totals"] == {
        "interests": 1,
        "commitments": 1,
        "donors": 2,
        "needs_with_interest": 1,
        "needs_with_commitment": 1,
        "unmet_needs_without_interest": 1,
    }
    assert _row(interest["by_chapter"], chapter="II")["needs_with_interest"] == 1
    assert _row(interest["by_region"], region="african")["commitments"] == 1
    assert {row["donor"]: row["needs"] for row in interest["by_donor"]} == {
        donor.name: 1,
        other_donor.name: 1,
    }


def test_it_makes_the_same_number_of_queries_whatever_the_data_size(regional_reviews):
    kenya = regional_reviews[("KEN", 2)]
    factories.NeedFactory(review=kenya)
    with CaptureQueriesContext(connection) as few:
        compute_figures()
    for review in regional_reviews.values():
        for _ in range(15):
            factories.NeedFactory(review=review, identified_on=datetime.date(2021, 1, 1))
    factories.DonorInterestFactory(need=factories.NeedFactory(review=kenya))
    with CaptureQueriesContext(connection) as many:
        compute_figures()

    # 32, and one for the States with needs in a national action plan.
    assert len(many) == len(few) <= 33
