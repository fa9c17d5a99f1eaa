from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.changes import data_changed
from core.history import attribute_history
from core.services import model_create, model_edit

from .fields import EDITABLE_FIELDS, MILESTONE_FIELDS
from .milestones import document_link_problems
from .models import DOCUMENTS, Review, State


def _check_document_links(review: Review) -> None:
    """Each link is a web address, given only for a published document (the database refuses
    the rest too, without saying which field to correct)."""
    values = {
        name: getattr(review, name)
        for document in DOCUMENTS
        for name in (f"{document}_url", f"{document}_published")
    }
    problems = document_link_problems(values)
    if problems:
        raise ValidationError(problems)


def _validate_reviewing_states(state: State, reviewing_states: list[State]) -> None:
    errors = []
    if len(reviewing_states) > 2:
        errors.append(gettext("A review has two reviewing States, not more."))
    if len({s.pk for s in reviewing_states}) != len(reviewing_states):
        errors.append(gettext("The same State is listed twice as a reviewing State."))
    if any(s.pk == state.pk for s in reviewing_states):
        errors.append(gettext("A State cannot review itself."))
    not_parties = [s.iso3 for s in reviewing_states if not s.is_party]
    if not_parties:
        errors.append(
            gettext("Reviewing States must be parties to the Convention: %(codes)s.")
            % {"codes": ", ".join(not_parties)}
        )
    if errors:
        raise ValidationError({"reviewing_states": errors})


def _clean_with(reviewing_states: list[State] | None):
    """The review's validation, with its reviewing States' rules when they are given."""

    def clean(review: Review) -> None:
        _check_document_links(review)
        review.full_clean()
        if reviewing_states is not None:
            _validate_reviewing_states(review.state, reviewing_states)

    return clean


@transaction.atomic
def review_create(
    *,
    state: State,
    cycle: int,
    reviewing_states: Iterable[State] = (),
    user=None,
    **milestones,
) -> Review:
    unknown = set(milestones) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown review fields: {', '.join(sorted(unknown))}")
    reviewing_states = list(reviewing_states)
    review = Review(state=state, cycle=cycle, updated_by=user, **milestones)
    model_create(
        review,
        user=user,
        clean=_clean_with(reviewing_states),
        many={"reviewing_states": reviewing_states},
    )
    data_changed(sender=Review)
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    user=None,
    seen_version: int | None = None,
    reviewing_states: Iterable[State] | None = None,
    **changes,
) -> Review:
    """Change a review's milestones; refused if someone saved it since `seen_version`."""
    if reviewing_states is not None:
        changes["reviewing_states"] = reviewing_states = list(reviewing_states)
    return model_edit(
        Review,
        review.pk,
        changes,
        EDITABLE_FIELDS,
        seen_version=seen_version,
        user=user,
        clean=_clean_with(reviewing_states),
    )


@transaction.atomic
def review_delete(*, review: Review, user=None) -> None:
    if review.needs.exists():
        raise ValidationError(gettext("This review has needs; delete or move them first."))
    attribute_history(review, user)
    review.delete()
    data_changed(sender=Review)
