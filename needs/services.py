import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.changes import data_changed
from core.history import attribute_history, lock_for_edit
from core.services import model_create, model_edit
from reviews.models import Article, Chapter, Review

from .fields import ACTION_FIELDS, EDITABLE_FIELDS
from .models import (
    Acceptance,
    ActionStatus,
    Category,
    Need,
    NeedAction,
    NeedComment,
    Status,
    Subcategory,
    Theme,
)

STRIPPED_FIELDS = ("description", "source_paragraph", "source_excerpt")


def validate_need_placement(
    *,
    review: Review,
    chapter: Chapter | None,
    article: Article | None,
    category: Category | None,
    subcategory: Subcategory | None,
) -> None:
    """A need's article belongs to its chapter, which the review's cycle covers."""
    errors: dict[str, list[str]] = {}
    if chapter is not None and chapter.reviewed_in_cycle != review.cycle:
        errors.setdefault("chapter", []).append(
            gettext("Chapter %(roman)s is not reviewed in cycle %(cycle)s.")
            % {"roman": chapter.roman, "cycle": review.cycle}
        )
    if article is not None and chapter is not None and article.chapter_id != chapter.pk:
        errors.setdefault("article", []).append(
            gettext("Article %(number)s is not in chapter %(roman)s.")
            % {"number": article.number, "roman": chapter.roman}
        )
    if subcategory is not None and category is not None and subcategory.category_id != category.pk:
        errors.setdefault("subcategory", []).append(
            gettext("Subcategory %(subcategory)s does not belong to category %(category)s.")
            % {"subcategory": subcategory.code, "category": category.code}
        )
    if errors:
        raise ValidationError(errors)


def validate_need_follows(*, need: Need, follows: Need | None, review: Review) -> None:
    """A need follows a need of the same State identified in an earlier cycle (checked
    again by a trigger on PostgreSQL)."""
    if follows is None:
        return
    earlier = follows.review
    problem = None
    if need.pk is not None and follows.pk == need.pk:
        problem = gettext("A need cannot follow itself.")
    elif earlier.state_id != review.state_id:
        problem = gettext(
            "Need %(ref)s is a need of another State; a need follows a need of its own State."
        ) % {"ref": follows.ref}
    elif follows.acceptance != Acceptance.ACCEPTED:
        problem = gettext(
            "Need %(ref)s is a proposal staff have not accepted; a need follows an accepted need."
        ) % {"ref": follows.ref}
    elif earlier.cycle >= review.cycle:
        problem = gettext(
            "Need %(ref)s was identified in cycle %(earlier)s; a need of cycle %(cycle)s can only "
            "follow a need of an earlier cycle."
        ) % {"ref": follows.ref, "earlier": earlier.cycle, "cycle": review.cycle}
    if problem:
        raise ValidationError({"follows": problem})


def _clean(need: Need) -> None:
    need.full_clean(
        exclude=["review", "themes", "ref", "follows"] if need.pk else ["themes", "follows"]
    )
    validate_need_follows(need=need, follows=need.follows, review=need.review)
    validate_need_placement(
        review=need.review,
        chapter=need.chapter,
        article=need.article,
        category=need.category,
        subcategory=need.subcategory,
    )


@transaction.atomic
def need_create(
    *,
    review: Review,
    chapter: Chapter,
    category: Category,
    description: str,
    article: Article | None = None,
    subcategory: Subcategory | None = None,
    themes: Iterable[Theme] = (),
    priority: str = "",
    status: str = Status.UNMET,
    identified_on: datetime.date | None = None,
    description_language: str = "en",
    ref: str | None = None,
    acceptance: str = Acceptance.ACCEPTED,
    source_paragraph: str = "",
    source_excerpt: str = "",
    follows: Need | None = None,
    user=None,
) -> Need:
    need = Need(
        review=review,
        chapter=chapter,
        article=article,
        category=category,
        subcategory=subcategory,
        description=description.strip(),
        description_language=description_language,
        priority=priority,
        status=status,
        identified_on=identified_on,
        source_paragraph=source_paragraph.strip(),
        source_excerpt=source_excerpt.strip(),
        follows=follows,
        acceptance=acceptance,
        proposed_by=user if acceptance == Acceptance.PROPOSED else None,
        updated_by=user,
    )
    if ref:
        need.ref = ref
    model_create(need, user=user, clean=_clean, many={"themes": themes})
    data_changed(sender=Need)
    return need


@transaction.atomic
def need_update(
    *,
    need: Need,
    user=None,
    seen_version: int | None = None,
    themes: Iterable[Theme] | None = None,
    **changes,
) -> Need:
    """Edit a need; refused with ConcurrentEditError if it was saved since `seen_version`."""
    for field in STRIPPED_FIELDS:
        if field in changes:
            changes[field] = changes[field].strip()
    if themes is not None:
        changes["themes"] = themes
    return model_edit(
        Need, need.pk, changes, EDITABLE_FIELDS, seen_version=seen_version, user=user, clean=_clean
    )


@transaction.atomic
def need_delete(*, need: Need, user=None) -> None:
    # The later needs that follow it lose the link, each with a history entry saying so
    # (the database's SET NULL would leave no trace).
    for successor in Need.objects.select_for_update().filter(follows=need).order_by("pk"):
        successor.follows = None
        successor.updated_by = user
        successor.version += 1
        attribute_history(successor, user)
        successor.save()
    attribute_history(need, user)
    need.delete()
    data_changed(sender=Need)


@transaction.atomic
def need_restore(*, history_id: int, user=None) -> Need:
    """Bring back a deleted need, as it was when deleted, with its themes."""
    historical = Need.history.filter(history_id=history_id, history_type="-").first()
    if historical is None:
        raise ValidationError(gettext("There is no deleted need with that history entry."))
    if Need.objects.filter(pk=historical.id).exists():
        raise ValidationError(gettext("This need exists already; there is nothing to restore."))
    restored = historical.instance
    if Need.objects.filter(ref=restored.ref).exists():
        raise ValidationError(
            gettext("Another need now uses the reference %(ref)s.") % {"ref": restored.ref}
        )
    # The deletion entry has no themes left (they went with the row): take the last state.
    before_deletion = (
        Need.history.filter(id=historical.id, history_date__lte=historical.history_date)
        .exclude(history_type="-")
        .order_by("-history_date")
        .first()
    )
    theme_source = before_deletion or historical
    themes = list(Theme.objects.filter(pk__in=theme_source.themes.values("theme_id")))
    if restored.follows_id and not Need.objects.filter(pk=restored.follows_id).exists():
        # The earlier need went too; the link stays in the history.
        restored.follows = None
    restored.version += 1
    restored.updated_by = user
    attribute_history(restored, user)
    restored.save(force_insert=True)
    restored.themes.set(themes)
    data_changed(sender=Need)
    return restored


@transaction.atomic
def need_confirm(*, need: Need, user, on: datetime.date | None = None) -> Need:
    """Record that the need is still relevant, as of `on` (today by default), and by whom."""
    current = lock_for_edit(Need, need.pk, None)
    current.last_confirmed_on = on or timezone.localdate()
    current.last_confirmed_by = user
    current.updated_by = user
    current.version += 1
    attribute_history(current, user)
    current.save()
    # Which needs are possibly stale changes: the country page's cached figures show it.
    data_changed(sender=Need)
    return current


@transaction.atomic
def need_set_status(
    *, need: Need, status: str, comment: str, user, seen_version: int | None = None
) -> Need:
    """Change a need's status, keeping the reason given as a comment."""
    if status not in Status.values:
        raise ValidationError(
            {"status": gettext("Unknown status %(status)s.") % {"status": repr(status)}}
        )
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": gettext("Say why the status changes.")})
    current = lock_for_edit(Need, need.pk, seen_version)
    previous = current.status
    current.status = status
    current.updated_by = user
    current.version += 1
    attribute_history(current, user)
    current.save()
    NeedComment.objects.create(
        need=current, author=user, text=comment, status_from=previous, status_to=status
    )
    data_changed(sender=Need)
    return current


@transaction.atomic
def need_comment(*, need: Need, text: str, user) -> NeedComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": gettext("A comment cannot be empty.")})
    return NeedComment.objects.create(need=need, author=user, text=text)


def need_propose(*, review: Review, user, **fields) -> Need:
    """A focal point proposes a need for their State; it counts once staff accept it."""
    return need_create(review=review, acceptance=Acceptance.PROPOSED, user=user, **fields)


@transaction.atomic
def need_decide_proposal(*, need: Need, accept: bool, user, reason: str = "") -> Need:
    current = lock_for_edit(Need, need.pk, None)
    if current.acceptance != Acceptance.PROPOSED:
        raise ValidationError(gettext("This need is not a proposal waiting for a decision."))
    current.acceptance = Acceptance.ACCEPTED if accept else Acceptance.DECLINED
    current.updated_by = user
    current.version += 1
    attribute_history(current, user)
    current.save()
    if reason.strip():
        NeedComment.objects.create(need=current, author=user, text=reason.strip())
    data_changed(sender=Need)
    return current


# --- Follow-up actions --------------------------------------------------------------------
def _clean_action(action: NeedAction) -> None:
    action.what = (action.what or "").strip()
    action.responsible_institution = (action.responsible_institution or "").strip()
    action.full_clean(exclude=["need"] if action.pk else None)


@transaction.atomic
def need_action_create(
    *,
    need: Need,
    what: str,
    responsible_institution: str = "",
    due_date: datetime.date | None = None,
    status: str = ActionStatus.PLANNED,
    in_national_action_plan: bool = False,
    user=None,
) -> NeedAction:
    action = NeedAction(
        need=need,
        what=what,
        responsible_institution=responsible_institution,
        due_date=due_date,
        status=status,
        in_national_action_plan=in_national_action_plan,
        created_by=user,
        updated_by=user,
    )
    model_create(action, user=user, clean=_clean_action)
    # The dashboard counts the States with needs in an action plan.
    data_changed(sender=NeedAction)
    return action


@transaction.atomic
def need_action_update(
    *, action: NeedAction, user=None, seen_version: int | None = None, **changes
) -> NeedAction:
    """Change an action; refused with ConcurrentEditError if saved since `seen_version`."""
    return model_edit(
        NeedAction,
        action.pk,
        changes,
        ACTION_FIELDS,
        seen_version=seen_version,
        user=user,
        clean=_clean_action,
    )


@transaction.atomic
def need_action_delete(*, action: NeedAction, user=None) -> None:
    attribute_history(action, user)
    action.delete()
    data_changed(sender=NeedAction)
