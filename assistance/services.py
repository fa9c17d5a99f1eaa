"""Writes for assistance: activities, funding, links to needs, coverage, donor interest.

Coverage rule (`recompute_coverage`): a need is *covered* when at least one activity meets it
fully, *partly covered* when activities address it only partly, and *unmet* when no activity
is linked. Links count whatever the activity's status: a planned activity is assistance on its
way, and the activity's status (planned, ongoing, completed) is shown next to it and has its
own filter, so donors are not sent to needs somebody already intends to meet.

Every service that changes a link takes a row lock on the needs involved first, so that two
concurrent link changes on one need cannot both compute coverage from a stale view of the
links.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import data_changed
from core.history import attribute_history
from core.services import model_create, model_edit
from needs.models import Coverage, Need
from reviews.models import State

from .fields import ACTIVITY_FIELDS, DONOR_FIELDS, PROVIDER_FIELDS
from .models import (
    Activity,
    ActivityNeedLink,
    ActivityStatus,
    DeliveryMode,
    Donor,
    DonorInterest,
    Extent,
    FundingContribution,
    InterestKind,
    Provider,
)


# --- Coverage -----------------------------------------------------------------------------
def coverage_expression() -> Case:
    """The coverage a need should have, from its links, as one SQL expression."""
    links = ActivityNeedLink.objects.filter(need=OuterRef("pk"))
    return Case(
        When(Exists(links.filter(extent=Extent.FULL)), then=Value(Coverage.COVERED)),
        When(Exists(links), then=Value(Coverage.PARTLY_COVERED)),
        default=Value(Coverage.UNMET),
    )


def recompute_coverage(need_ids: Iterable[int] | None = None) -> int:
    """Set the coverage of the given needs (all needs when None) from their links.

    One UPDATE statement whatever the number of needs; returns the number of rows written.
    Coverage is derived data, so it is not a user's edit: no history entry, no version bump.
    """
    needs = Need.objects.all()
    if need_ids is not None:
        ids = list(need_ids)
        if not ids:
            return 0
        needs = needs.filter(pk__in=ids)
    return needs.update(coverage=coverage_expression())


def _lock_needs(need_ids: Iterable[int]) -> None:
    """Row-lock the needs (in id order, so concurrent callers never deadlock)."""
    list(Need.objects.select_for_update().filter(pk__in=list(need_ids)).order_by("pk").values("pk"))


# --- Activities ---------------------------------------------------------------------------
def _clean_activity(activity: Activity) -> None:
    """The model's validation, with the constraints' rules said in words first."""
    errors = {}
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if activity.budget is not None and activity.budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    currency = activity.budget_currency or ""
    if len(currency) != 3 or not currency.isalpha():
        errors["budget_currency"] = _("Give a three-letter currency code, e.g. USD or EUR.")
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["beneficiary_states", "needs"])


@transaction.atomic
def activity_create(
    *,
    ref: str,
    title: str,
    activity_type: str,
    level: str,
    provider: Provider,
    description: str = "",
    beneficiary_states: Iterable[State] = (),
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    status: str = ActivityStatus.PLANNED,
    delivery_mode: str = DeliveryMode.IN_PERSON,
    budget: Decimal | None = None,
    budget_currency: str = "USD",
    user=None,
) -> Activity:
    activity = Activity(
        ref=ref.strip(),
        title=title.strip(),
        description=description.strip(),
        activity_type=activity_type,
        level=level,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        status=status,
        delivery_mode=delivery_mode,
        budget=budget,
        budget_currency=(budget_currency or "USD").upper(),
    )
    model_create(
        activity,
        user=user,
        clean=_clean_activity,
        many={"beneficiary_states": beneficiary_states},
    )
    data_changed(sender=Activity)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user=None,
    seen_version: int | None = None,
    beneficiary_states: Iterable[State] | None = None,
    **changes,
) -> Activity:
    """Edit an activity; refused with ConcurrentEditError if saved since `seen_version`."""
    for name in ("ref", "title", "description"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if isinstance(changes.get("budget_currency"), str):
        changes["budget_currency"] = changes["budget_currency"].upper()
    if beneficiary_states is not None:
        changes["beneficiary_states"] = beneficiary_states
    return model_edit(
        Activity,
        activity.pk,
        changes,
        ACTIVITY_FIELDS,
        seen_version=seen_version,
        user=user,
        clean=_clean_activity,
    )


@transaction.atomic
def activity_delete(*, activity: Activity, user=None) -> None:
    """Delete an activity with its funding and links; the needs it addressed are recomputed."""
    need_ids = list(activity.need_links.values_list("need_id", flat=True))
    _lock_needs(need_ids)
    attribute_history(activity, user)
    activity.delete()
    recompute_coverage(need_ids)
    data_changed(sender=Activity)


# --- Funding ------------------------------------------------------------------------------
@transaction.atomic
def funding_add(
    *,
    activity: Activity,
    donor: Donor,
    amount: Decimal,
    year: int,
    currency: str = "USD",
    user=None,
) -> FundingContribution:
    contribution = FundingContribution(
        activity=activity,
        donor=donor,
        amount=amount,
        currency=(currency or "").strip().upper(),
        year=year,
    )
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Give the year the contribution is for (1990-2100).")})
    model_create(contribution, user=user)
    data_changed(sender=FundingContribution)
    return contribution


@transaction.atomic
def funding_remove(*, contribution: FundingContribution, user=None) -> None:
    attribute_history(contribution, user)
    contribution.delete()
    data_changed(sender=FundingContribution)


@transaction.atomic
def activity_set_funding(
    *, activity: Activity, contributions: Iterable[dict], user=None
) -> list[FundingContribution]:
    """Replace the activity's funding with these contributions (donor, amount, currency,
    year); used by the import, where the file is the whole truth about an activity."""
    for contribution in activity.funding.all():
        funding_remove(contribution=contribution, user=user)
    return [funding_add(activity=activity, user=user, **entry) for entry in contributions]


@transaction.atomic
def activity_set_needs(
    *, activity: Activity, links: dict[Need, str], user=None, recompute: bool = True
) -> set[int]:
    """Make the activity's links exactly `links` ({need: extent}); returns the ids of the
    needs whose coverage may have changed. With `recompute=False` the caller recomputes
    them (the import does so once for the whole file)."""
    current = {link.need_id: link for link in activity.need_links.all()}
    wanted = {need.pk: extent for need, extent in links.items()}
    touched = set(current) | set(wanted)
    _lock_needs(touched)
    for need_id, link in current.items():
        if need_id not in wanted:
            attribute_history(link, user)
            link.delete()
    for need_id, extent in wanted.items():
        link = current.get(need_id) or ActivityNeedLink(activity=activity, need_id=need_id)
        if link.pk and link.extent == extent:
            continue
        link.extent = extent
        link.full_clean(exclude=["need", "activity"])
        attribute_history(link, user)
        link.save()
    if recompute:
        recompute_coverage(touched)
    data_changed(sender=ActivityNeedLink)
    return touched


# --- Links between activities and needs ---------------------------------------------------
@transaction.atomic
def link_need(*, activity: Activity, need: Need, extent: str, user=None) -> ActivityNeedLink:
    """Say that the activity addresses the need (fully or partly); changes the extent if linked."""
    if extent not in Extent.values:
        raise ValidationError(
            {"extent": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Extent.values)}}
        )
    _lock_needs([need.pk])
    link = ActivityNeedLink.objects.filter(activity=activity, need=need).first()
    if link is None:
        link = ActivityNeedLink(activity=activity, need=need, extent=extent)
    elif link.extent == extent:
        return link
    link.extent = extent
    link.full_clean()
    attribute_history(link, user)
    link.save()
    recompute_coverage([need.pk])
    data_changed(sender=ActivityNeedLink)
    return link


@transaction.atomic
def unlink_need(*, activity: Activity, need: Need, user=None) -> None:
    _lock_needs([need.pk])
    link = ActivityNeedLink.objects.filter(activity=activity, need=need).first()
    if link is None:
        raise ValidationError(_("This activity is not linked to that need."))
    attribute_history(link, user)
    link.delete()
    recompute_coverage([need.pk])
    data_changed(sender=ActivityNeedLink)


# --- Providers and donors -----------------------------------------------------------------
def _tidy_names(data: dict) -> dict:
    return {
        name: value.strip() if name in ("name", "short_name") else value
        for name, value in data.items()
    }


def _save_organisation(instance, user):
    instance.name, instance.short_name = instance.name.strip(), instance.short_name.strip()
    return model_create(instance, user=user)


@transaction.atomic
def provider_create(
    *, name: str, short_name: str = "", is_unodc: bool = False, website: str = "", user=None
) -> Provider:
    return _save_organisation(
        Provider(name=name, short_name=short_name, is_unodc=is_unodc, website=website), user
    )


@transaction.atomic
def provider_update(*, provider: Provider, user=None, **changes) -> Provider:
    return model_edit(Provider, provider.pk, _tidy_names(changes), PROVIDER_FIELDS, user=user)


@transaction.atomic
def donor_create(
    *,
    name: str,
    short_name: str = "",
    kind: str = "government",
    country: State | None = None,
    website: str = "",
    user=None,
) -> Donor:
    donor = _save_organisation(
        Donor(name=name, short_name=short_name, kind=kind, country=country, website=website), user
    )
    data_changed(sender=Donor)
    return donor


@transaction.atomic
def donor_update(*, donor: Donor, user=None, **changes) -> Donor:
    return model_edit(Donor, donor.pk, _tidy_names(changes), DONOR_FIELDS, user=user)


# --- Donor interest -----------------------------------------------------------------------
@transaction.atomic
def interest_register(
    *,
    donor: Donor,
    need: Need,
    kind: str,
    note: str = "",
    amount: Decimal | None = None,
    currency: str = "USD",
    user=None,
) -> DonorInterest:
    """Register a donor's interest in, or commitment to, a need: one active entry per donor
    and need (a database constraint); after a withdrawal the donor may register again."""
    if kind not in InterestKind.values:
        raise ValidationError(
            {"kind": _("Choose one of: %(choices)s.") % {"choices": ", ".join(InterestKind.values)}}
        )
    _lock_needs([need.pk])
    if DonorInterest.objects.filter(donor=donor, need=need, withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _(
                "%(donor)s has already registered interest in need %(ref)s; withdraw it first "
                "to register a new one."
            )
            % {"donor": donor, "ref": need.ref}
        )
    interest = DonorInterest(
        donor=donor,
        need=need,
        kind=kind,
        note=note.strip(),
        amount=amount,
        currency=(currency or "USD").strip().upper(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    interest.full_clean(exclude=["created_by"])
    attribute_history(interest, user)
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:
        raise ValidationError(
            _("%(donor)s has already registered interest in need %(ref)s.")
            % {"donor": donor, "ref": need.ref}
        ) from None
    data_changed(sender=DonorInterest)
    return interest


@transaction.atomic
def interest_withdraw(*, interest: DonorInterest, user=None) -> DonorInterest:
    current = DonorInterest.objects.select_for_update().get(pk=interest.pk)
    if current.withdrawn_at is not None:
        raise ValidationError(_("This interest was already withdrawn."))
    current.withdrawn_at = timezone.now()
    attribute_history(current, user)
    current.save(update_fields=["withdrawn_at"])
    data_changed(sender=DonorInterest)
    return current
