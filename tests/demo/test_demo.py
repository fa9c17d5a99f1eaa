"""load_demo: volumes, spread, consistency, labelling, idempotence and determinism.

The dataset is loaded once for the module inside a transaction that is rolled back at the
end (each test runs in a savepoint within it), so other modules never see it.
"""

import hashlib
import io
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings

from assistance.models import (
    Activity,
    ActivityNeedLink,
    Donor,
    DonorInterest,
    FundingContribution,
    Provider,
)
from core.models import Role, User
from demo.demo import DEMO_ACCOUNTS, DEMO_LABEL, DEMO_REF_PREFIX, is_demo_loaded
from needs.models import Acceptance, Need, NeedComment
from reviews.models import RegionalGroup, Review

MODELS = (
    Review,
    Need,
    NeedComment,
    Activity,
    ActivityNeedLink,
    FundingContribution,
    DonorInterest,
    Provider,
    Donor,
    User,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def fingerprint() -> str:
    """A digest of what the generator decided (not of ids or creation times)."""
    rows = [
        list(
            Review.objects.order_by("state__iso3", "cycle").values_list(
                "state__iso3",
                "cycle",
                "review_year",
                "self_assessment_submitted",
                "executive_summary_completed",
                "executive_summary_published",
            )
        ),
        list(
            Need.objects.order_by("ref").values_list(
                "ref",
                "review__state__iso3",
                "article__number",
                "category__code",
                "subcategory__code",
                "description",
                "status",
                "priority",
                "coverage",
                "identified_on",
                "last_confirmed_on",
            )
        ),
        list(
            Need.themes.through.objects.order_by("need__ref", "theme__code").values_list(
                "need__ref", "theme__code"
            )
        ),
        list(
            Activity.objects.order_by("ref").values_list(
                "ref", "title", "provider__name", "start_date", "end_date", "status", "budget"
            )
        ),
        list(
            ActivityNeedLink.objects.order_by("activity__ref", "need__ref").values_list(
                "activity__ref", "need__ref", "extent"
            )
        ),
        list(
            DonorInterest.objects.order_by("need__ref", "donor__name").values_list(
                "need__ref", "donor__name", "kind", "amount"
            )
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def load() -> tuple[str, float]:
    out = io.StringIO()
    started = time.monotonic()
    call_command("load_demo", stdout=out)
    return out.getvalue(), time.monotonic() - started


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            before = counts()
            # Load, take the fingerprint, undo; load again: the second run must match.
            first_try = transaction.savepoint()
            load()
            first_fingerprint = fingerprint()
            transaction.savepoint_rollback(first_try)
            undone = counts()
            output, seconds = load()
            yield {
                "before": before,
                "undone": undone,
                "output": output,
                "seconds": seconds,
                "fingerprints": (first_fingerprint, fingerprint()),
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Runs before the module's `demo` fixture loads anything.
def test_an_empty_database_has_no_demo_data(db):
    assert not is_demo_loaded()


def test_it_loads_quickly_and_reports_what_it_did(demo, db):
    assert "Demo data loaded" in demo["output"]
    assert "demo-staff-2026" in demo["output"]
    assert demo["seconds"] < 60
    assert is_demo_loaded()


def test_the_same_seed_gives_the_same_data(demo, db):
    first, second = demo["fingerprints"]
    assert first == second
    assert demo["undone"] == demo["before"]


def test_running_it_again_changes_nothing(demo, db):
    before = counts()
    output, _ = load()
    assert "already loaded" in output
    assert counts() == before


def test_reviews_cover_both_cycles_and_every_regional_group(demo, db):
    assert Review.objects.count() >= 120
    regions = RegionalGroup.objects.count()
    for cycle in (1, 2):
        in_cycle = Review.objects.filter(cycle=cycle)
        assert in_cycle.count() >= 60
        groups = in_cycle.values("state__regional_group").distinct().count()
        assert groups == regions == 5


def test_reviews_have_two_other_parties_as_reviewers(demo, db):
    assert not Review.objects.annotate(n=Count("reviewing_states")).exclude(n=2).exists()
    assert not Review.objects.filter(reviewing_states=F("state")).exists()
    assert not Review.objects.filter(reviewing_states__is_party=False).exists()


def test_reviews_are_at_every_stage_published_or_not(demo, db):
    assert Review.objects.filter(executive_summary_published=True).exists()
    assert Review.objects.filter(
        executive_summary_completed__isnull=False, executive_summary_published=False
    ).exists()
    assert Review.objects.filter(executive_summary_completed__isnull=True).exists()
    assert Review.objects.filter(country_report_published=True).exists()


def test_needs_are_numerous_and_spread(demo, db):
    needs = Need.objects.all()
    assert needs.count() >= 2500
    assert needs.values("article").distinct().count() >= 50
    assert needs.filter(article__isnull=True).exists()
    assert needs.values("category").distinct().count() == 7
    assert needs.values("subcategory").distinct().count() >= 19
    assert needs.values("themes").distinct().count() >= 11
    assert needs.values("status").distinct().count() == 5
    assert needs.values("priority").distinct().count() == 4
    capacity_building = needs.filter(category__code="capacity_building").count()
    assert 0.4 < capacity_building / needs.count() < 0.6


def test_every_need_is_placed_in_its_cycle_chapters_and_taxonomy(demo, db):
    misplaced = Need.objects.filter(
        ~Q(chapter__reviewed_in_cycle=F("review__cycle"))
        | Q(article__isnull=False) & ~Q(article__chapter=F("chapter"))
        | Q(subcategory__isnull=False) & ~Q(subcategory__category=F("category"))
    )
    assert misplaced.count() == 0


def test_no_need_has_more_than_three_themes(demo, db):
    assert not Need.objects.annotate(n=Count("themes")).filter(n__gt=3).exists()


def test_dates_are_in_order(demo, db):
    assert not Need.objects.filter(last_confirmed_on__lt=F("identified_on")).exists()
    assert not Need.objects.filter(
        identified_on__lt=F("review__self_assessment_submitted")
    ).exists()
    assert not Activity.objects.filter(end_date__lt=F("start_date")).exists()


def test_some_needs_are_stale_and_some_fresh(demo, db):
    staleness = Need.objects.with_staleness()
    assert staleness.filter(is_stale=True).count() > 500
    assert staleness.filter(is_stale=False).count() > 500


def test_coverage_follows_the_links(demo, db):
    needs = Need.objects.annotate(
        links=Count("activity_links"),
        full_links=Count("activity_links", filter=Q(activity_links__extent="full")),
    )
    assert not needs.filter(full_links__gt=0).exclude(coverage="covered").exists()
    assert not needs.filter(links__gt=0, full_links=0).exclude(coverage="partly_covered").exists()
    assert not needs.filter(links=0).exclude(coverage="unmet").exists()
    assert needs.filter(coverage="covered").exists()
    assert needs.filter(coverage="partly_covered").exists()


def test_assistance_has_providers_donors_funding_and_links(demo, db):
    assert Activity.objects.filter(need_links__isnull=False).distinct().count() >= 80
    assert Activity.objects.values("level").distinct().count() == 3
    assert Activity.objects.values("status").distinct().count() == 3
    assert Activity.objects.values("activity_type").distinct().count() >= 8
    assert Provider.objects.filter(is_unodc=True).exists()
    assert Provider.objects.count() >= 5
    assert Donor.objects.values("kind").distinct().count() >= 3
    assert FundingContribution.objects.count() >= 80
    assert ActivityNeedLink.objects.values("extent").distinct().count() == 2


def test_donor_interest_includes_interests_commitments_and_withdrawals(demo, db):
    interests = DonorInterest.objects.all()
    assert interests.filter(kind="interest").exists()
    assert interests.filter(kind="commitment", amount__gt=0).exists()
    assert interests.filter(withdrawn_at__isnull=False).exists()
    shared = interests.values("need").annotate(n=Count("donor")).filter(n__gt=1)
    assert shared.exists()


def test_everything_is_labelled_as_demo_data(demo, db):
    assert not Need.objects.exclude(description__startswith=DEMO_LABEL).exists()
    assert not Need.objects.exclude(ref__startswith=DEMO_REF_PREFIX).exists()
    assert not Activity.objects.exclude(title__startswith=DEMO_LABEL).exists()
    assert not DonorInterest.objects.exclude(note__startswith=DEMO_LABEL).exists()
    assert not NeedComment.objects.exclude(text__startswith=DEMO_LABEL).exists()


def test_history_entries_exist_for_the_demo_rows(demo, db):
    staff = User.objects.get(username="staff")
    assert Need.history.filter(history_user=staff).count() == Need.objects.count()
    need = Need.objects.filter(themes__isnull=False).first()
    snapshot = need.history.earliest()
    assert set(snapshot.themes.values_list("theme_id", flat=True)) == set(
        need.themes.values_list("pk", flat=True)
    )


def test_there_is_one_demo_account_per_role(demo, db):
    users = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    }
    assert {u.role for u in users.values()} == set(Role.values)
    for account in DEMO_ACCOUNTS:
        assert users[account.username].check_password(account.password)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["focal.ken"].state.iso3 == "KEN"
    assert users["focal.per"].state.iso3 == "PER"
    assert users["donor.demo"].donor.name == "Government of Norway"


def test_the_kenyan_focal_point_has_unpublished_needs_to_look_after(demo, db):
    focal_point = User.objects.get(username="focal.ken")
    donor = User.objects.get(username="donor.demo")
    unpublished = Need.objects.filter(
        review__state__iso3="KEN", review__cycle=2, review__executive_summary_published=False
    )
    assert unpublished.filter(acceptance=Acceptance.ACCEPTED).count() >= 10
    assert unpublished.filter(acceptance=Acceptance.PROPOSED, proposed_by=focal_point).exists()
    assert unpublished.visible_to(focal_point).count() == unpublished.count()
    assert not unpublished.visible_to(donor).exists()
    assert Activity.objects.filter(beneficiary_states__iso3="KEN").exists()


def test_the_peruvian_focal_point_has_a_published_second_cycle_review(demo, db):
    review = Review.objects.get(state__iso3="PER", cycle=2)
    assert review.executive_summary_published
    assert review.needs.exists()
