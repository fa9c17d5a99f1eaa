"""Writing needs: where a need may sit, edits that cross, confirmation, status, proposals,
deletion and restoration, and who did it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import ConcurrentEditError
from needs.models import Acceptance, Need, NeedComment, Status
from needs.services import (
    need_comment,
    need_confirm,
    need_create,
    need_decide_proposal,
    need_delete,
    need_propose,
    need_restore,
    need_set_status,
    need_update,
)
from tests import factories


@pytest.fixture
def review(published_review):
    """Kenya's second-cycle review: chapters II and V."""
    return published_review


@pytest.fixture
def need(review, staff):
    return need_create(
        review=review,
        chapter=factories.chapter("II"),
        article=factories.article(9),
        category=factories.category("capacity_building"),
        subcategory=factories.category("capacity_building").subcategories.get(
            code="procurement_accounting_audit"
        ),
        themes=[factories.theme("technology"), factories.theme("training")],
        description="  Training of procurement officers on e-procurement  ",
        priority="high",
        identified_on=datetime.date(2019, 2, 1),
        user=staff,
    )


def test_it_creates_a_need_with_its_themes_and_history(need, staff):
    assert need.description == "Training of procurement officers on e-procurement"
    assert need.acceptance == Acceptance.ACCEPTED
    assert need.status == Status.UNMET
    assert {t.code for t in need.themes.all()} == {"technology", "training"}
    assert need.history.latest().history_user == staff


def test_it_accepts_a_need_about_the_chapter_in_general(review):
    need = need_create(
        review=review,
        chapter=factories.chapter("V"),
        category=factories.category("legislative_assistance"),
        description="Asset recovery legislation",
    )
    assert need.article is None


def test_it_rejects_a_chapter_not_reviewed_in_the_cycle(review):
    with pytest.raises(ValidationError) as caught:
        need_create(
            review=review,
            chapter=factories.chapter("III"),
            article=factories.article(15),
            category=factories.category("capacity_building"),
            description="Training on bribery",
        )
    assert list(caught.value.message_dict) == ["chapter"]
    assert "cycle 2" in caught.value.message_dict["chapter"][0]
    assert not Need.objects.filter(review=review).exists()


def test_it_rejects_an_article_of_another_chapter(review):
    with pytest.raises(ValidationError) as caught:
        need_create(
            review=review,
            chapter=factories.chapter("II"),
            article=factories.article(46),
            category=factories.category("capacity_building"),
            description="Training on mutual legal assistance",
        )
    assert list(caught.value.message_dict) == ["article"]
    assert not Need.objects.filter(review=review).exists()


def test_it_rejects_a_subcategory_of_another_category(review):
    with pytest.raises(ValidationError) as caught:
        need_create(
            review=review,
            chapter=factories.chapter("II"),
            article=factories.article(5),
            category=factories.category("capacity_building"),
            subcategory=factories.category("legislative_assistance").subcategories.get(
                code="legal_advice"
            ),
            description="Advice on the strategy",
        )
    assert list(caught.value.message_dict) == ["subcategory"]


def test_it_rejects_a_blank_description(review):
    with pytest.raises(ValidationError) as caught:
        need_create(
            review=review,
            chapter=factories.chapter("II"),
            category=factories.category("capacity_building"),
            description="   ",
        )
    assert "description" in caught.value.message_dict


def test_an_update_moving_the_need_out_of_the_cycle_is_refused(need):
    with pytest.raises(ValidationError) as caught:
        need_update(
            need=need,
            seen_version=1,
            chapter=factories.chapter("IV"),
            article=factories.article(46),
        )
    assert "chapter" in caught.value.message_dict
    need.refresh_from_db()
    assert need.chapter.roman == "II"
    assert need.version == 1


def test_an_update_at_the_version_seen_is_saved(need, staff):
    updated = need_update(
        need=need,
        seen_version=1,
        user=staff,
        priority="low",
        themes=[factories.theme("gender")],
    )
    assert updated.version == 2
    assert updated.priority == "low"
    assert [t.code for t in updated.themes.all()] == ["gender"]
    assert updated.history.latest().history_user == staff


def test_an_update_over_a_newer_edit_is_refused_with_the_fields_changed(need, staff):
    need_update(need=need, seen_version=1, user=staff, description="Revised by a colleague")
    with pytest.raises(ConcurrentEditError) as caught:
        need_update(need=need, seen_version=1, user=staff, priority="low")
    assert set(caught.value.changes) == {"description"}
    assert caught.value.changes["description"][1] == "Revised by a colleague"
    current = Need.objects.get(pk=need.pk)
    assert current.priority == "high"
    assert current.version == 2


def test_an_update_rejects_fields_that_are_not_editable(need):
    with pytest.raises(TypeError, match="coverage"):
        need_update(need=need, seen_version=1, coverage="covered")


def test_confirming_records_the_day_and_the_person(need, focal_point):
    confirmed = need_confirm(need=need, user=focal_point)
    assert confirmed.last_confirmed_on == timezone.localdate()
    assert confirmed.last_confirmed_by == focal_point
    assert confirmed.version == 2
    assert confirmed.history.latest().history_user == focal_point


def test_confirming_as_of_a_given_day(need, staff):
    confirmed = need_confirm(need=need, user=staff, on=datetime.date(2025, 1, 31))
    assert Need.objects.get(pk=need.pk).last_confirmed_on == datetime.date(2025, 1, 31)
    assert confirmed.last_confirmed_by == staff


def test_a_status_change_needs_a_reason(need, focal_point):
    with pytest.raises(ValidationError) as caught:
        need_set_status(need=need, status=Status.MET, comment="  ", user=focal_point)
    assert "comment" in caught.value.message_dict
    assert Need.objects.get(pk=need.pk).status == Status.UNMET
    assert not NeedComment.objects.filter(need=need).exists()


def test_a_status_change_keeps_its_reason_as_a_comment(need, focal_point):
    changed = need_set_status(
        need=need, status=Status.PARTIALLY_MET, comment="Half the staff trained.", user=focal_point
    )
    assert changed.status == Status.PARTIALLY_MET
    comment = NeedComment.objects.get(need=need)
    assert (comment.status_from, comment.status_to) == (Status.UNMET, Status.PARTIALLY_MET)
    assert comment.author == focal_point
    assert comment.text == "Half the staff trained."


def test_an_unknown_status_is_refused(need, focal_point):
    with pytest.raises(ValidationError) as caught:
        need_set_status(need=need, status="done", comment="Finished", user=focal_point)
    assert "status" in caught.value.message_dict


def test_a_status_change_over_a_newer_edit_is_refused(need, staff, focal_point):
    need_update(need=need, seen_version=1, user=staff, priority="low")
    with pytest.raises(ConcurrentEditError):
        need_set_status(
            need=need, status=Status.MET, comment="Done", user=focal_point, seen_version=1
        )
    assert Need.objects.get(pk=need.pk).status == Status.UNMET


def test_an_empty_comment_is_refused(need, focal_point):
    with pytest.raises(ValidationError):
        need_comment(need=need, text=" ", user=focal_point)
    assert need_comment(need=need, text="Still relevant.", user=focal_point).author == focal_point


def test_a_focal_point_proposal_waits_for_the_secretariat(review, focal_point):
    proposal = need_propose(
        review=review,
        user=focal_point,
        chapter=factories.chapter("V"),
        article=factories.article(58),
        category=factories.category("capacity_building"),
        description="Training of financial intelligence analysts",
    )
    assert proposal.acceptance == Acceptance.PROPOSED
    assert proposal.proposed_by == focal_point


@pytest.mark.parametrize(("accept", "outcome"), [(True, "accepted"), (False, "declined")])
def test_the_secretariat_decides_on_a_proposal(review, focal_point, staff, accept, outcome):
    proposal = need_propose(
        review=review,
        user=focal_point,
        chapter=factories.chapter("II"),
        category=factories.category("policymaking"),
        description="A national anti-corruption strategy",
    )
    decided = need_decide_proposal(need=proposal, accept=accept, user=staff, reason="Reviewed.")
    assert decided.acceptance == outcome
    assert decided.history.latest().history_user == staff
    assert NeedComment.objects.get(need=proposal).text == "Reviewed."


def test_a_need_that_is_not_a_proposal_cannot_be_decided(need, staff):
    with pytest.raises(ValidationError):
        need_decide_proposal(need=need, accept=False, user=staff)
    assert Need.objects.get(pk=need.pk).acceptance == Acceptance.ACCEPTED


def test_a_deleted_need_comes_back_from_its_history_with_its_themes(need, staff):
    need_id, ref = need.pk, need.ref
    need_delete(need=need, user=staff)
    assert not Need.objects.filter(pk=need_id).exists()

    deletion = Need.history.get(id=need_id, history_type="-")
    assert deletion.history_user == staff
    restored = need_restore(history_id=deletion.history_id, user=staff)

    assert restored.pk == need_id
    assert restored.ref == ref
    assert restored.description == "Training of procurement officers on e-procurement"
    assert {t.code for t in Need.objects.get(pk=need_id).themes.all()} == {
        "technology",
        "training",
    }
    assert restored.history.latest().history_user == staff


def test_a_need_cannot_be_restored_twice(need, staff):
    need_id = need.pk
    need_delete(need=need, user=staff)
    deletion = Need.history.get(id=need_id, history_type="-")
    need_restore(history_id=deletion.history_id, user=staff)
    with pytest.raises(ValidationError):
        need_restore(history_id=deletion.history_id, user=staff)


def test_restoring_needs_a_deletion_entry(need, staff):
    creation = Need.history.get(id=need.pk, history_type="+")
    with pytest.raises(ValidationError):
        need_restore(history_id=creation.history_id, user=staff)


def test_the_history_shows_who_changed_what(need, staff, focal_point):
    need_update(need=need, seen_version=1, user=staff, priority="medium")
    need_set_status(
        need=need, status=Status.IN_PROGRESS, comment="Project agreed", user=focal_point
    )
    entries = [
        (e.history_user, e.priority, e.status)
        for e in Need.history.filter(id=need.pk).order_by("history_date", "history_id")
    ]
    # Creation may take two entries (the row, then its themes); the edits take one each.
    assert entries[0] == (staff, "high", Status.UNMET)
    assert entries[-2:] == [
        (staff, "medium", Status.UNMET),
        (focal_point, "medium", Status.IN_PROGRESS),
    ]
