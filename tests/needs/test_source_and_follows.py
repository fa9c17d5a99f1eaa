"""A need's source in the review (paragraph, excerpt) and the earlier-cycle need it follows:
the rules, the database's own checks, the history, the staff form, the import and export."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from needs.exports import EXPORT_COLUMNS, export_bytes
from needs.forms import NeedForm
from needs.imports import import_needs
from needs.models import SOURCE_EXCERPT_MAX_LENGTH, Need
from needs.services import need_create, need_delete, need_restore, need_update
from tests import factories

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def earlier(unpublished_review):
    """A need of Kenya's first cycle."""
    return factories.NeedFactory(review=unpublished_review, ref="N-EARLIER")


@pytest.fixture
def later(published_review):
    """A need of Kenya's second cycle."""
    return factories.NeedFactory(review=published_review, ref="N-LATER")


def _create(review, **fields):
    return need_create(
        review=review,
        chapter=factories.chapter("II" if review.cycle == 2 else "III"),
        category=factories.category("capacity_building"),
        description="Training for the anti-corruption agency",
        **fields,
    )


# --- Source -------------------------------------------------------------------------------
def test_it_keeps_the_source_paragraph_and_excerpt_trimmed(published_review, staff):
    need = _create(
        published_review,
        source_paragraph=" para 42 ",
        source_excerpt="  Kenya needs training on asset declarations.  ",
        user=staff,
    )

    need.refresh_from_db()
    assert need.source_paragraph == "para 42"
    assert need.source_excerpt == "Kenya needs training on asset declarations."


def test_it_refuses_an_excerpt_over_2000_characters_with_a_clear_message(published_review):
    with pytest.raises(ValidationError) as refused:
        _create(published_review, source_excerpt="x" * (SOURCE_EXCERPT_MAX_LENGTH + 1))

    [message] = refused.value.message_dict["source_excerpt"]
    assert "at most 2000 characters (this one has 2001)" in message
    assert not Need.objects.exists()


def test_the_database_refuses_an_excerpt_over_2000_characters_too(later):
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=later.pk).update(source_excerpt="x" * 2001)


def test_the_form_says_how_long_an_excerpt_may_be(published_review):
    form = NeedForm(
        {
            "placement": "article:9",
            "category": factories.category("capacity_building").pk,
            "description": "Training",
            "status": "unmet",
            "source_excerpt": "y" * 2001,
        },
        review=published_review,
    )

    assert not form.is_valid()
    assert form.errors["source_excerpt"] == [
        "A source excerpt has at most 2000 characters (this one has 2001): quote the sentence "
        "that identifies the need."
    ]


# --- Follows ------------------------------------------------------------------------------
def test_a_second_cycle_need_follows_a_first_cycle_need_of_its_state(earlier, published_review):
    need = _create(published_review, follows=earlier)

    assert need.follows == earlier
    assert list(earlier.followed_by.all()) == [need]


def test_it_refuses_a_need_of_another_state(published_review, other_state):
    other = factories.NeedFactory(review=factories.ReviewFactory(state=other_state, cycle=1))

    with pytest.raises(ValidationError) as refused:
        _create(published_review, follows=other)

    assert refused.value.message_dict["follows"] == [
        f"Need {other.ref} is a need of another State; a need follows a need of its own State."
    ]


def test_it_refuses_a_need_of_the_same_or_a_later_cycle(earlier, later, unpublished_review):
    with pytest.raises(ValidationError) as same_cycle:
        need_update(need=later, follows=factories.NeedFactory(review=later.review))
    with pytest.raises(ValidationError) as later_cycle:
        _create(unpublished_review, follows=later)

    assert "can only follow a need of an earlier cycle" in same_cycle.value.messages[0]
    assert later_cycle.value.message_dict["follows"] == [
        "Need N-LATER was identified in cycle 2; a need of cycle 1 can only follow a need of "
        "an earlier cycle."
    ]


@on_postgresql
def test_the_database_refuses_a_link_across_states_or_cycles(earlier, later, other_state):
    other = factories.NeedFactory(review=factories.ReviewFactory(state=other_state, cycle=1))

    for follows, need in ((other, later), (later, earlier), (later, later)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Need.objects.filter(pk=need.pk).update(follows=follows)

    Need.objects.filter(pk=later.pk).update(follows=earlier)
    later.refresh_from_db()
    assert later.follows_id == earlier.pk


def test_the_history_records_source_and_link(earlier, later, staff):
    need_update(
        need=later, follows=earlier, source_paragraph="para 7", source_excerpt="Quoted.", user=staff
    )

    entry = later.history.latest()
    assert (entry.follows_id, entry.source_paragraph, entry.source_excerpt) == (
        earlier.pk,
        "para 7",
        "Quoted.",
    )
    assert entry.history_user == staff


def test_deleting_the_earlier_need_unlinks_and_restoring_the_later_one_survives(
    earlier, later, staff
):
    need_update(need=later, follows=earlier)
    need_delete(need=earlier, user=staff)
    later.refresh_from_db()
    assert later.follows_id is None
    unlinked = later.history.latest()
    assert (unlinked.follows_id, unlinked.history_user) == (None, staff)

    need_delete(need=later, user=staff)
    restored = need_restore(history_id=later.history.model.objects.latest("history_id").pk)
    assert restored.follows_id is None


def test_the_staff_form_offers_the_states_earlier_needs_only(
    earlier, later, published_review, unpublished_review, other_state
):
    factories.NeedFactory(review=factories.ReviewFactory(state=other_state, cycle=1))

    second = NeedForm(review=published_review)
    first = NeedForm(review=unpublished_review)

    assert list(second.fields["follows"].queryset) == [earlier]
    assert "follows" not in first.fields


# --- Import and export --------------------------------------------------------------------
HEADER = (
    "ref,state,cycle,chapter,article,category,description,source_paragraph,source_excerpt,follows"
)


def _import(rows: list[str], user, dry_run=False):
    data = "\n".join([HEADER, *rows]).encode()
    return import_needs(data=data, filename="needs.csv", user=user, dry_run=dry_run)


def test_the_import_links_a_need_to_one_recorded_or_on_another_row(
    earlier, published_review, unpublished_review, staff
):
    result = _import(
        [
            "N-NEW1,KEN,1,III,15,capacity_building,Training on bribery,para 3,Quoted one.,",
            'N-NEW2,KEN,2,II,9,capacity_building,Procurement,para 9,"Quoted, two.",N-NEW1',
            "N-NEW3,KEN,2,II,9,legislative_assistance,Drafting,,,N-EARLIER",
        ],
        staff,
    )

    assert result.problems == [] and result.written
    new1, new2, new3 = (Need.objects.get(ref=f"N-NEW{n}") for n in (1, 2, 3))
    assert new2.follows == new1 and new3.follows == earlier
    assert (new2.source_paragraph, new2.source_excerpt) == ("para 9", "Quoted, two.")
    assert new2.history.latest().follows_id == new1.pk


def test_the_import_reports_each_bad_link_and_writes_nothing(earlier, published_review, staff):
    long_excerpt = "z" * 2001
    result = _import(
        [
            "N-A,KEN,2,II,9,capacity_building,One,,,N-NOPE",
            "N-B,KEN,2,II,9,capacity_building,Two,,,N-B",
            "N-C,KEN,1,III,15,capacity_building,Three,,,N-A",
            f"N-D,KEN,2,II,9,capacity_building,Four,,{long_excerpt},",
        ],
        staff,
    )

    assert not result.written
    assert [str(problem) for problem in result.problems] == [
        "row 3: follows: a need cannot follow itself.",
        "row 5: source_excerpt: a source excerpt has at most 2000 characters (this one has "
        "2001): quote the sentence that identifies the need.",
        "row 2: follows: there is no need N-NOPE, recorded or on another row of the file.",
        "row 4: follows: need N-A was identified in cycle 2; a need of cycle 1 can only follow "
        "a need of an earlier cycle.",
    ]
    assert not Need.objects.filter(ref__in=["N-A", "N-B", "N-C", "N-D"]).exists()


def test_an_update_row_sets_and_clears_the_link(earlier, later, staff):
    linked = _import(["N-LATER,KEN,2,II,9,capacity_building,Changed,,,N-EARLIER"], staff)
    later.refresh_from_db()
    assert linked.updated == 1 and later.follows == earlier

    cleared = _import(["N-LATER,KEN,2,II,9,capacity_building,Changed,,,"], staff)
    later.refresh_from_db()
    assert cleared.updated == 1 and later.follows is None


def test_the_export_writes_the_columns_the_import_reads_back_unchanged(earlier, later, staff):
    need_update(
        need=later,
        follows=earlier,
        source_paragraph="para 12",
        source_excerpt="Kenya, it was found, needs help.",
    )
    assert EXPORT_COLUMNS[-3:] == ("source_paragraph", "source_excerpt", "follows")

    data = export_bytes(Need.objects.order_by("pk"), "csv")
    text = data.decode("utf-8-sig")
    assert 'para 12,"Kenya, it was found, needs help.",N-EARLIER' in text

    again = import_needs(data=data, filename="export.csv", user=staff, dry_run=True)
    assert again.problems == [] and again.unchanged == 2


def test_dates_do_not_matter_to_the_link(earlier, later):
    """The cycle decides which need comes first, whatever dates they were identified on."""
    earlier.identified_on = datetime.date(2024, 1, 1)
    earlier.save()

    assert need_update(need=later, follows=earlier).follows == earlier
