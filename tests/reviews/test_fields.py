"""A review's editable fields are named once (reviews/fields.py); the form, the API, the
import and the service each offer exactly those."""

import pytest

from reviews import fields
from reviews.api.serializers import ReviewCreateSerializer, ReviewUpdateSerializer
from reviews.forms import ReviewForm
from reviews.imports import FILE_COLUMNS

pytestmark = pytest.mark.django_db


def test_the_form_asks_for_every_editable_field():
    names = set(ReviewForm().fields) - {"state", "cycle", "version"}
    reviewers = {"reviewing_state_1", "reviewing_state_2"}

    assert reviewers <= names
    assert (names - reviewers) | {"reviewing_states"} == set(fields.EDITABLE_FIELDS)


def test_the_api_writes_the_editable_fields():
    assert set(ReviewUpdateSerializer().fields) - {"version"} == set(fields.EDITABLE_FIELDS)
    assert set(ReviewCreateSerializer().fields) == {"state", "cycle", *fields.EDITABLE_FIELDS}


def test_the_import_reads_the_editable_fields_under_their_names():
    names = [column.name for column in FILE_COLUMNS]

    assert names == ["state", "cycle", *fields.IMPORT_FIELDS]


def test_the_milestones_are_the_dates_flags_year_and_kind():
    assert set(fields.MILESTONE_FIELDS) == {
        "review_year",
        "direct_dialogue_kind",
        *fields.DATE_FIELDS,
        *fields.FLAG_FIELDS,
        *fields.LINK_FIELDS,
    }
