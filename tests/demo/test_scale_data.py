"""generate_scale_data: today's volume at scale 1, the same rows for the same seed."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from assistance.models import Activity, ActivityNeedLink, DonorInterest
from assistance.services import coverage_expression
from core.models import Role, User
from dashboard.models import ALL_REGIONS, FigureSet
from needs.models import Acceptance, Need
from reviews.models import Review, State
from tests import factories
from tests.benchmarks.generated import clear_generated_data, fingerprint

pytestmark = pytest.mark.django_db


def generate(scale: str, *extra: str) -> None:
    call_command("generate_scale_data", "--scale", scale, *extra, stdout=io.StringIO())


def test_scale_one_is_todays_volume_and_the_same_rows_every_time():
    generate("1")

    parties = State.objects.filter(is_party=True, regional_group__isnull=False).count()
    assert Review.objects.count() == 2 * parties
    assert Need.objects.count() == 4100
    assert Activity.objects.count() == 200
    assert ActivityNeedLink.objects.count() == 1000
    assert DonorInterest.objects.count() == 50
    assert {Role.SECRETARIAT, Role.ADMINISTRATOR, Role.DONOR, Role.FOCAL_POINT} == set(
        User.objects.values_list("role", flat=True)
    )
    wrong_coverage = Need.objects.annotate(derived=coverage_expression()).exclude(
        coverage=F("derived")
    )
    assert not wrong_coverage.exists()
    second_cycle = FigureSet.objects.get(cycle=2, scope=ALL_REGIONS)
    assert second_cycle.figures["totals"]["needs"] == (
        Need.objects.filter(review__cycle=2, acceptance=Acceptance.ACCEPTED).count()
    )

    first = fingerprint()
    clear_generated_data()
    generate("1")

    assert fingerprint() == first


def test_another_seed_gives_other_rows():
    generate("0.02")
    first = fingerprint()
    clear_generated_data()
    generate("0.02", "--seed", "7")

    assert Need.objects.count() == 82
    assert fingerprint() != first


def test_it_refuses_a_database_that_has_reviews_already():
    factories.ReviewFactory(state=factories.state("KEN"))

    with pytest.raises(CommandError, match="already holds 1 reviews"):
        generate("1")

    assert not Need.objects.exists()


def test_it_refuses_a_scale_that_is_not_positive():
    with pytest.raises(CommandError, match="--scale"):
        generate("0")
