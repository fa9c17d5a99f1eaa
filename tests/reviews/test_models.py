"""The Review and State invariants hold in the database itself, whatever code writes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reviews.models import Review, State
from tests import factories

D = datetime.date


@pytest.fixture
def kenya(db):
    return factories.state("KEN")


def valid_milestones(**changes) -> dict:
    milestones = {
        "review_year": 2018,
        "self_assessment_submitted": D(2018, 3, 1),
        "direct_dialogue": D(2018, 9, 1),
        "executive_summary_completed": D(2019, 2, 1),
        "country_report_completed": D(2019, 6, 1),
        "executive_summary_published": True,
        "country_report_published": True,
    }
    return {**milestones, **changes}


def assert_rejected_by(constraint: str, write, *, sqlite_says: str | None = None) -> None:
    """The write fails on the named constraint (SQLite names a unique one by its columns)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    message = str(caught.value)
    assert constraint in message or (sqlite_says is not None and sqlite_says in message)


def test_it_accepts_a_review_with_milestones_in_order(kenya):
    review = Review.objects.create(state=kenya, cycle=2, **valid_milestones())
    assert Review.objects.filter(pk=review.pk).exists()


def test_it_accepts_a_review_with_no_milestones_yet(kenya):
    Review.objects.create(state=kenya, cycle=1)
    assert Review.objects.filter(state=kenya, cycle=1).exists()


def test_it_rejects_a_second_review_of_a_state_in_the_same_cycle(kenya):
    Review.objects.create(state=kenya, cycle=2)
    assert_rejected_by(
        "one_review_per_state_and_cycle",
        lambda: Review.objects.create(state=kenya, cycle=2),
        sqlite_says="reviews_review.state_id, reviews_review.cycle",
    )
    assert Review.objects.filter(state=kenya, cycle=2).count() == 1


def test_it_allows_one_review_per_cycle_for_the_same_state(kenya):
    Review.objects.create(state=kenya, cycle=1)
    Review.objects.create(state=kenya, cycle=2)
    assert Review.objects.filter(state=kenya).count() == 2


@pytest.mark.parametrize("cycle", [0, 3])
def test_it_rejects_a_cycle_other_than_1_or_2(kenya, cycle):
    assert_rejected_by(
        "review_cycle_1_or_2", lambda: Review.objects.create(state=kenya, cycle=cycle)
    )


@pytest.mark.parametrize("year", [1999, 2005, 2101])
def test_it_rejects_an_implausible_review_year(kenya, year):
    assert_rejected_by(
        "review_year_plausible",
        lambda: Review.objects.create(state=kenya, cycle=1, review_year=year),
    )


@pytest.mark.parametrize(
    ("constraint", "changes"),
    [
        ("dialogue_after_self_assessment", {"direct_dialogue": D(2018, 2, 1)}),
        (
            "summary_after_dialogue",
            {
                "executive_summary_completed": D(2018, 8, 1),
                "country_report_completed": None,
                "country_report_published": False,
            },
        ),
        (
            "summary_after_self_assessment",
            {
                "direct_dialogue": None,
                "executive_summary_completed": D(2018, 1, 1),
                "country_report_completed": None,
                "country_report_published": False,
            },
        ),
        ("report_after_summary", {"country_report_completed": D(2019, 1, 1)}),
        (
            "summary_published_only_when_completed",
            {
                "executive_summary_completed": None,
                "country_report_completed": None,
                "country_report_published": False,
            },
        ),
        ("report_published_only_when_completed", {"country_report_completed": None}),
    ],
)
def test_it_rejects_milestones_out_of_order_on_create(kenya, constraint, changes):
    assert_rejected_by(
        constraint,
        lambda: Review.objects.create(state=kenya, cycle=2, **valid_milestones(**changes)),
    )


@pytest.mark.parametrize(
    ("constraint", "changes"),
    [
        ("dialogue_after_self_assessment", {"self_assessment_submitted": D(2018, 10, 1)}),
        ("report_after_summary", {"executive_summary_completed": D(2019, 7, 1)}),
        ("summary_published_only_when_completed", {"executive_summary_completed": None}),
    ],
)
def test_it_rejects_an_update_that_breaks_the_order(kenya, constraint, changes):
    review = Review.objects.create(state=kenya, cycle=2, **valid_milestones())
    assert_rejected_by(constraint, lambda: Review.objects.filter(pk=review.pk).update(**changes))
    review.refresh_from_db()
    assert review.self_assessment_submitted == D(2018, 3, 1)
    assert review.executive_summary_completed == D(2019, 2, 1)


def test_milestones_on_the_same_day_are_in_order(kenya):
    day = D(2019, 5, 5)
    Review.objects.create(
        state=kenya,
        cycle=2,
        self_assessment_submitted=day,
        direct_dialogue=day,
        executive_summary_completed=day,
        country_report_completed=day,
    )
    assert Review.objects.filter(state=kenya, direct_dialogue=day).exists()


@pytest.mark.parametrize("iso3", ["ken", "KE", "K3N", "K N"])
def test_it_rejects_a_state_code_that_is_not_three_capital_letters(db, iso3):
    assert_rejected_by(
        "state_iso3_upper", lambda: State.objects.create(iso3=iso3, name="Somewhere")
    )


def test_it_accepts_a_new_state_with_a_proper_code(db):
    State.objects.create(iso3="XKX", name="Somewhere")
    assert State.objects.filter(iso3="XKX").exists()
