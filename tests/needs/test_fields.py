"""A need's editable fields, and its follow-up actions', are named once (needs/fields.py);
the forms, the API, the import and the service each offer exactly those."""

import pytest

from needs import fields
from needs.action_forms import NeedActionForm
from needs.api.serializers import (
    NeedActionWriteSerializer,
    NeedCreateSerializer,
    NeedUpdateSerializer,
)
from needs.focal_point_forms import NeedProposalForm
from needs.forms import NeedForm
from needs.imports import FILE_COLUMNS
from needs.services import need_action_create, need_action_update, need_create, need_update
from tests import factories

pytestmark = pytest.mark.django_db


def form_fields(form) -> set[str]:
    """The need's fields a form asks for: its placement is the chapter and the article."""
    names = set(form.fields) - {"version", "placement"}
    return names | (set(fields.PLACEMENT_FIELDS) if "placement" in form.fields else set())


def test_the_staff_form_asks_for_every_editable_field(published_review):
    form = NeedForm(review=published_review)

    assert form_fields(form) == set(fields.EDITABLE_FIELDS)
    assert form.edited_fields == fields.EDITABLE_FIELDS


def test_the_proposal_form_asks_for_the_fields_of_a_proposal(published_review):
    form = NeedProposalForm(reviews=[published_review])

    assert form_fields(form) == set(fields.PROPOSAL_FIELDS)


def test_both_forms_encode_the_placement_alike(published_review):
    staff = NeedForm(review=published_review).fields["placement"].choices
    proposal = NeedProposalForm(reviews=[published_review]).fields["placement"].choices

    def values(choices):
        return [value for _group, options in choices[1:] for value, _text in options]

    assert values(staff) == values(proposal)
    assert "chapter:II" in values(staff) and "article:5" in values(staff)


def test_the_api_writes_the_editable_fields():
    assert set(NeedUpdateSerializer().fields) - {"version"} == set(fields.EDITABLE_FIELDS)
    assert set(NeedCreateSerializer().fields) == {"state", "cycle", *fields.EDITABLE_FIELDS}


def test_the_import_reads_the_editable_fields_under_their_names():
    names = [column.name for column in FILE_COLUMNS]

    assert names == ["ref", "state", "cycle", *fields.IMPORT_FIELDS]


@pytest.fixture
def need(published_review):
    return need_create(
        review=published_review,
        chapter=factories.chapter("II"),
        category=factories.category("capacity_building"),
        description="Training",
    )


def test_the_service_refuses_a_field_that_is_not_editable(need, staff):
    with pytest.raises(TypeError, match="acceptance"):
        need_update(need=need, user=staff, acceptance="declined")


def test_an_edit_that_changes_nothing_writes_nothing(need, staff):
    same = need_update(need=need, user=staff, description=" Training ", themes=[])

    assert same.version == need.version == 1
    assert need.history.count() == 1


def test_a_follow_up_action_is_edited_through_its_one_list_of_fields():
    assert set(NeedActionForm().fields) - {"version"} == set(fields.ACTION_FIELDS)
    assert set(NeedActionWriteSerializer().fields) - {"version"} == set(fields.ACTION_FIELDS)


def test_an_action_edit_that_changes_nothing_writes_nothing(need, staff):
    action = need_action_create(need=need, what="Draft the law", user=staff)
    same = need_action_update(action=action, user=staff, what="Draft the law", seen_version=1)

    assert same.version == 1
    assert action.history.count() == 1
    with pytest.raises(TypeError, match="need"):
        need_action_update(action=action, user=staff, need=need)
