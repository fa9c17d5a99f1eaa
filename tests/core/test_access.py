"""Who sees what: every role against published and unpublished data of its own State and of
another, for each model with `visible_to`; and the visibility keys derived from the same rules."""

import pytest
from django.contrib.auth.models import AnonymousUser

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from assistance.models import Activity, ActivityNeedLink, DonorInterest, FundingContribution
from core import access
from needs.models import Need
from reviews.models import Review, State
from tests import factories

ROLES = ["anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator"]
EVERY_REVIEW = {"home_published", "home_unpublished", "other_published", "other_unpublished"}
PUBLISHED = {"home_published", "other_published"}
UNACCEPTED = {"home_proposal", "home_declined", "other_proposal", "other_declined"}

VISIBLE_REVIEWS = {
    "anonymous": PUBLISHED,
    "donor": PUBLISHED,
    "focal_point": PUBLISHED | {"home_unpublished"},
    "other_focal_point": PUBLISHED | {"other_unpublished"},
    "staff": EVERY_REVIEW,
    "administrator": EVERY_REVIEW,
}
# Proposals not yet accepted (or declined) count as unpublished: only their State's focal
# point and staff.
VISIBLE_NEEDS = {
    "anonymous": PUBLISHED,
    "donor": PUBLISHED,
    "focal_point": PUBLISHED | {"home_unpublished", "home_proposal", "home_declined"},
    "other_focal_point": PUBLISHED | {"other_unpublished", "other_proposal", "other_declined"},
    "staff": EVERY_REVIEW | UNACCEPTED,
    "administrator": EVERY_REVIEW | UNACCEPTED,
}


def labels(rows, objects: dict) -> set[str]:
    ids = {row.pk for row in rows}
    return {label for label, obj in objects.items() if obj.pk in ids}


@pytest.mark.parametrize("role", ROLES)
def test_visible_reviews(people, world, role):
    visible = Review.objects.visible_to(people[role])
    assert labels(visible, world["reviews"]) == VISIBLE_REVIEWS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_needs(people, world, role):
    visible = Need.objects.visible_to(people[role])
    assert labels(visible, world["needs"]) == VISIBLE_NEEDS[role]


@pytest.mark.parametrize("role", ROLES)
def test_visible_donor_interests_follow_the_needs_for_signed_in_users(people, world, role):
    visible = DonorInterest.objects.visible_to(people[role])
    expected = set() if role == "anonymous" else VISIBLE_NEEDS[role]
    assert labels(visible, world["interests"]) == expected


@pytest.mark.parametrize("role", ROLES)
def test_visible_need_links_follow_the_needs(people, world, role):
    activity = factories.ActivityFactory()
    links = {
        label: factories.ActivityNeedLinkFactory(activity=activity, need=need)
        for label, need in world["needs"].items()
    }
    visible = ActivityNeedLink.objects.visible_to(people[role])
    assert labels(visible, links) == VISIBLE_NEEDS[role]


@pytest.mark.parametrize("role", ROLES)
def test_states_activities_and_funding_are_public(people, world, role):
    activity = factories.ActivityFactory()
    funding = FundingContribution.objects.create(
        activity=activity, donor=factories.DonorFactory(), amount=1000, year=2024
    )
    assert Activity.objects.visible_to(people[role]).filter(pk=activity.pk).exists()
    assert FundingContribution.objects.visible_to(people[role]).filter(pk=funding.pk).exists()
    assert State.objects.count() == 198


def test_a_given_queryset_is_narrowed_not_replaced(people, world):
    second_cycle = Need.objects.filter(review__cycle=2)
    visible = second_cycle.visible_to(people["focal_point"])
    assert labels(visible, world["needs"]) == PUBLISHED | {"home_proposal", "home_declined"}


def test_related_managers_apply_the_same_rule(people, world):
    review = world["reviews"]["home_published"]
    visible = review.needs.visible_to(people["donor"])
    assert labels(visible, world["needs"]) == {"home_published"}


def test_a_deactivated_staff_member_sees_only_published_data(people, world):
    staff = people["staff"]
    staff.is_active = False
    assert labels(Review.objects.visible_to(staff), world["reviews"]) == PUBLISHED
    assert not access.can_manage_needs(staff)


def test_a_superuser_without_a_role_counts_as_staff(world):
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    assert labels(Review.objects.visible_to(root), world["reviews"]) == EVERY_REVIEW
    assert access.can_manage_reviews(root)
    assert access.role_label(root) == "Administrator"


def test_a_user_without_a_role_sees_only_published_data(world):
    nobody = factories.UserFactory(role="")
    assert labels(Review.objects.visible_to(nobody), world["reviews"]) == PUBLISHED
    assert labels(Need.objects.visible_to(nobody), world["needs"]) == PUBLISHED


def test_an_anonymous_user_object_sees_no_donor_interest(world):
    assert not DonorInterest.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_saved_search_is_seen_by_its_owner_alone(people, role):
    searches = {
        owner: saved_search_create(owner=user, name="Mine", view="catalogue")
        for owner, user in people.items()
        if owner != "anonymous"
    }
    visible = set(SavedSearch.objects.visible_to(people[role]))
    assert visible == ({searches[role]} if role in searches else set())
    keys = {SavedSearch.objects.visibility_key(user) for user in people.values()}
    assert len(keys) == len(people)


# --- Visibility keys: derived from the same rule ------------------------------------------
VISIBLE_MODELS = [Review, Need, Activity, FundingContribution, ActivityNeedLink, DonorInterest]


@pytest.fixture
def audiences(people, world, other_donor):
    """Every kind of person: each role, a second donor, an account without a role and a
    deactivated staff member."""
    inactive = factories.make_user("secretariat", username="inactive", is_active=False)
    activity = factories.ActivityFactory()
    for need in world["needs"].values():
        factories.ActivityNeedLinkFactory(activity=activity, need=need)
    FundingContribution.objects.create(
        activity=activity, donor=factories.DonorFactory(), amount=1000, year=2024
    )
    return {
        **people,
        "other_donor": other_donor,
        "no_role": factories.UserFactory(role=""),
        "inactive": inactive,
    }


def rows_seen(model, user) -> frozenset[int]:
    return frozenset(model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("model", VISIBLE_MODELS, ids=lambda model: model.__name__)
def test_equal_keys_see_equal_rows_and_equal_rows_share_a_key(audiences, model):
    by_key: dict[str, frozenset[int]] = {}
    by_rows: dict[frozenset[int], str] = {}
    for user in audiences.values():
        key, rows = model.objects.visibility_key(user), rows_seen(model, user)
        assert by_key.setdefault(key, rows) == rows
        assert by_rows.setdefault(rows, key) == key


def test_the_keys_tell_the_audiences_of_needs_apart(audiences):
    key = {role: Need.objects.visibility_key(user) for role, user in audiences.items()}
    # The same rows, the same key: whoever sees only what is published.
    assert key["anonymous"] == key["donor"] == key["other_donor"] == key["no_role"]
    assert key["inactive"] == key["anonymous"]
    assert key["staff"] == key["administrator"]
    distinct = {key["anonymous"], key["focal_point"], key["other_focal_point"], key["staff"]}
    assert len(distinct) == 4


def test_the_keys_of_different_models_differ_for_the_same_user(people):
    keys = {model.objects.visibility_key(people["staff"]) for model in VISIBLE_MODELS}
    assert len(keys) == len(VISIBLE_MODELS)


# --- Yes/no questions the role answers ----------------------------------------------------
STAFF_ONLY = {"staff", "administrator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "question",
    [
        "can_manage_reviews",
        "can_manage_needs",
        "can_manage_assistance",
        "can_take_snapshots",
        "can_lift_lockouts",
    ],
)
def test_only_staff_manage_reviews_needs_and_assistance(people, role, question):
    assert getattr(access, question)(people[role]) is (role in STAFF_ONLY)


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_manage_reference_data_and_tokens(people, role):
    assert access.can_manage_reference_data(people[role]) is (role == "administrator")
    assert access.can_manage_api_tokens(people[role]) is (role == "administrator")


@pytest.mark.parametrize("role", ROLES)
def test_personal_data_and_donor_interest_are_for_signed_in_users_only(people, role):
    assert access.can_see_personal_data(people[role]) is (role != "anonymous")
    assert access.can_see_donor_interest(people[role]) is (role != "anonymous")


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("anonymous", "Public"),
        ("donor", "Donor"),
        ("focal_point", "Focal point"),
        ("staff", "Secretariat staff"),
        ("administrator", "Administrator"),
    ],
)
def test_role_labels(people, role, label):
    assert access.role_label(people[role]) == label
