"""The donors' catalogue of unmet needs: filters with counts, search, sorting, pages, exports,
and each need's page where donors see existing assistance and interest and register theirs.

Everyone may browse it (the public sees published needs only, through `visible_to`);
donor interest is shown to signed-in users only. The filter state lives in the URL (a GET
form), so a list can be shared. Without the `filtered` marker in the URL the catalogue opens
on its default view (needs not covered, not met, not obsolete), said so on the page; any
submitted form carries the marker, so the visitor's own choices then apply as given.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.access import can_see_donor_interest, donor_id, signed_in
from core.changes import data_version
from core.pages import allowed_by, visible_or_404
from needs.action_forms import NeedActionForm
from needs.exports import Column, choice, export_response, reference, value
from needs.filters import NeedFilterSet
from needs.models import Category, Coverage, Need, Priority, Status, Theme
from needs.rules import can_record_need_actions
from needs.selectors import NeedPaginator, actions_of_need, need_neighbours
from reviews.models import CYCLE_CHOICES, Chapter, RegionalGroup
from translations.lookup import localized, translate_reference
from translations.models import ReferenceKind

from . import services
from .forms import InterestForm
from .models import DonorInterest, InterestKind
from .rules import can_register_interest, can_see_who_registered_interest, can_withdraw_interest
from .selectors import (
    active_interests_for,
    cached_facet_counts,
    catalogue_base,
    catalogue_query,
    catalogue_rows,
    need_links_for,
)
from .views import invalid_filter_response

PAGE_SIZE = 25


def catalogue_filterset(request) -> tuple[NeedFilterSet, QueryDict, bool]:
    """The catalogue's FilterSet, the query it was given (defaults filled in when the URL
    has no filter state yet), and whether the defaults are in use."""
    data, using_defaults = catalogue_query(request.GET)
    filterset = NeedFilterSet(data, queryset=catalogue_base(request.user), request=request)
    return filterset, data, using_defaults


def _selected(data: QueryDict, name: str) -> set[str]:
    return {value for value in data.getlist(name) if value != ""}


def _facet_groups(filterset, data: QueryDict, counts: dict) -> list[dict]:
    """Everything the filter panel shows: each facet's options with counts and checked state,
    small facets listing every reference value (also those with no needs now)."""
    reference = {
        "region": [(g.code, localized(g)) for g in RegionalGroup.objects.order_by("name")],
        "chapter": [
            (c.roman, _numbered(c.roman, localized(c)))
            for c in Chapter.objects.filter(reviewed_in_cycle__isnull=False).order_by("number")
        ],
        "category": [(c.code, localized(c)) for c in Category.objects.all()],
        "theme": [(t.code, localized(t)) for t in Theme.objects.all()],
        "priority": list(Priority.choices),
        "status": list(Status.choices),
        "coverage": list(Coverage.choices),
    }
    groups = []
    for name, legend, kind in (
        ("coverage", _("Coverage"), "checkbox"),
        ("status", _("Status"), "checkbox"),
        ("region", _("Regional group"), "checkbox"),
        ("state", _("State"), "select"),
        ("cycle", _("Review cycle"), "radio"),
        ("chapter", _("Chapter"), "checkbox"),
        ("article", _("Article"), "select"),
        ("category", _("Category"), "checkbox"),
        ("theme", _("Theme"), "checkbox"),
        ("priority", _("Priority"), "checkbox"),
        ("stale", _("Last confirmed"), "radio"),
    ):
        selected = _selected(data, name)
        by_value = {_as_param(row["value"]): row for row in counts[name]}
        if name in reference:
            options = [
                {
                    "value": value,
                    "label": label,
                    "count": by_value[value]["count"] if value in by_value else 0,
                }
                for value, label in reference[name]
                if value != "" or value in by_value
            ]
            options += [
                {"value": value, "label": row["label"], "count": row["count"]}
                for value, row in by_value.items()
                if value not in {option["value"] for option in options}
            ]
        else:
            options = [
                {"value": value, "label": _option_label(name, row), "count": row["count"]}
                for value, row in by_value.items()
            ]
            options += [
                {"value": value, "label": value, "count": 0}
                for value in sorted(selected - set(by_value))
            ]
        for option in options:
            option["checked"] = option["value"] in selected
        groups.append(
            {"name": name, "legend": legend, "kind": kind, "options": options, "any": not selected}
        )
    return groups


def _numbered(code, title: str) -> str:
    """A chapter's or article's number with its title ("II: Preventive measures"), punctuated
    as the active language does."""
    return _("%(code)s: %(title)s") % {"code": code, "title": title}


def _as_param(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def _option_label(name: str, row: dict) -> str:
    if name == "state":
        return translate_reference(ReferenceKind.STATE, row["value"], row["label"])
    if name == "article" and row["value"] is not None:
        title = translate_reference(ReferenceKind.ARTICLE, row["value"], row["label"])
        return _numbered(row["value"], title)
    return row["label"]


@require_GET
def catalogue(request):
    filterset, data, using_defaults = catalogue_filterset(request)
    if not filterset.is_valid():
        page = None
        facets = []
        status = 400
    else:
        rows = catalogue_rows(request.user, filterset.qs)
        version = data_version()
        page = NeedPaginator(rows, PAGE_SIZE, version=version).get_page(request.GET.get("page"))
        counts = cached_facet_counts(
            filterset,
            catalogue_base(request.user),
            visibility=Need.objects.visibility_key(request.user),
            data_version=version,
        )
        facets = _facet_groups(filterset, data, counts)
        status = 200
    return render(
        request,
        "assistance/catalogue.html",
        {
            "filterset": filterset,
            "page": page,
            "facets": facets,
            "query": data.urlencode(),
            "using_defaults": using_defaults,
            "sort_choices": filterset.filters["ordering"].field.choices,
            "sort": data.get("ordering", ""),
            "search": data.get("q", ""),
            "can_see_donor_interest": can_see_donor_interest(request.user),
        },
        status=status,
    )


def _numbered_column(header, kind: str, code: str, english: str, none=None) -> Column:
    """ "II: Preventive measures", the title in the active language; `none()` when no code."""

    def cell(row: dict, cells) -> str:
        if row[code] is None:
            return none()
        return _numbered(row[code], cells.name(kind, row[code], row[english]))

    return Column(header, (code, english), cell)


def catalogue_columns(request, with_interest: bool) -> list[Column]:
    """The catalogue export's columns: labels in the active language (codes such as ISO3
    stay), a link to each need's catalogue page."""
    # One reverse() for all rows: the link differs only by the need's ref.
    link = request.build_absolute_uri(reverse("assistance:catalogue_need", args=["REF"]))
    link_prefix, link_suffix = link.rsplit("REF", 1)
    kinds = ReferenceKind
    return [
        value(gettext_lazy("Reference"), "ref"),
        reference(gettext_lazy("State"), kinds.STATE, "review__state__iso3", "review__state__name"),
        value("ISO3", "review__state__iso3"),
        reference(
            gettext_lazy("Regional group"),
            kinds.REGION,
            "review__state__regional_group__code",
            "review__state__regional_group__name",
        ),
        choice(gettext_lazy("Cycle"), "review__cycle", lambda: CYCLE_CHOICES),
        _numbered_column(
            gettext_lazy("Chapter"), kinds.CHAPTER, "chapter__roman", "chapter__title"
        ),
        _numbered_column(
            gettext_lazy("Article"),
            kinds.ARTICLE,
            "article__number",
            "article__title",
            none=lambda: _("In general"),
        ),
        reference(gettext_lazy("Category"), kinds.CATEGORY, "category__code", "category__label"),
        reference(
            gettext_lazy("Subcategory"),
            kinds.SUBCATEGORY,
            "subcategory__code",
            "subcategory__label",
        ),
        Column(gettext_lazy("Themes"), (), lambda row, cells: cells.theme_names(row)),
        value(gettext_lazy("Description"), "description"),
        choice(gettext_lazy("Priority"), "priority", lambda: Priority.choices),
        choice(gettext_lazy("Status"), "status", lambda: Status.choices),
        choice(gettext_lazy("Coverage"), "coverage", lambda: Coverage.choices),
        value(gettext_lazy("Identified on"), "identified_on"),
        value(gettext_lazy("Last confirmed on"), "last_confirmed_on"),
        Column(
            gettext_lazy("Possibly stale"),
            ("is_stale",),
            lambda row, cells: _("yes") if row["is_stale"] else _("no"),
        ),
        value(gettext_lazy("Linked activities"), "activity_count"),
        *(
            [value(gettext_lazy("Active donor interests"), "interest_count")]
            if with_interest
            else []
        ),
        Column(
            gettext_lazy("Link"),
            ("ref",),
            lambda row, cells: f"{link_prefix}{row['ref']}{link_suffix}",
        ),
    ]


@require_GET
def catalogue_export(request, fmt: str):
    """The whole filtered list (not just one page), with readable labels."""
    filterset, _query, _defaults = catalogue_filterset(request)
    if not filterset.is_valid():
        return invalid_filter_response(filterset)
    return export_response(
        catalogue_rows(request.user, filterset.qs),
        fmt,
        catalogue_columns(request, can_see_donor_interest(request.user)),
        filename=f"unmet-needs.{fmt}",
        sheet_title=_("Unmet needs"),
    )


# --- One need -----------------------------------------------------------------------------
def _need_or_404(request, ref: str):
    return get_object_or_404(catalogue_rows(request.user, catalogue_base(request.user)), ref=ref)


def _need_page(request, need, form=None, status=200):
    user = request.user
    links = list(need_links_for(user, need))
    interests = list(active_interests_for(user, need))
    own_donor = donor_id(user)
    own_interest = next((i for i in interests if i.donor_id == own_donor), None)
    others = [i for i in interests if i.donor_id != own_donor]
    may_register = can_register_interest(user) and own_interest is None
    earlier, later = need_neighbours(user, need)
    may_record_actions = can_record_need_actions(user, need)
    if form is None and may_register:
        form = InterestForm()
    return render(
        request,
        "assistance/catalogue_need.html",
        {
            "need": need,
            "earlier_need": earlier,
            "later_needs": later,
            "links": links,
            "interests": interests,
            "other_interests": others,
            "own_interest": own_interest,
            "form": form if may_register else None,
            "can_register_interest": can_register_interest(user),
            "can_see_donor_interest": can_see_donor_interest(user),
            "can_see_who_registered_interest": can_see_who_registered_interest(user),
            "withdrawable": {i.pk for i in interests if can_withdraw_interest(user, i)},
            "back_query": request.GET.get("back", ""),
            "actions": actions_of_need(user, need),
            "can_record_actions": may_record_actions,
            "action_form": NeedActionForm() if may_record_actions else None,
        },
        status=status,
    )


@require_GET
def catalogue_need(request, ref: str):
    return _need_page(request, _need_or_404(request, ref))


def _need_page_url(request, ref: str, **kwargs) -> str:
    """Where a form's target sends a visitor to sign in from: back to the need's page."""
    return reverse("assistance:catalogue_need", args=[ref])


@require_POST
@allowed_by(
    can_register_interest,
    gettext_lazy("Only donors register interest in needs."),
    after_sign_in=_need_page_url,
)
def interest_register(request, ref: str):
    need = _need_or_404(request, ref)
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.interest_register(
                donor=request.user.donor, need=need, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["kind"] == InterestKind.COMMITMENT:
                text = _(
                    "Your commitment to need %(ref)s is registered; staff, the State's focal "
                    "point and other donors can now see it."
                )
            else:
                text = _(
                    "Your interest in need %(ref)s is registered; staff, the State's focal "
                    "point and other donors can now see it."
                )
            messages.success(request, text % {"ref": need.ref})
            return redirect("assistance:catalogue_need", ref=need.ref)
    return _need_page(request, need, form=form, status=400)


@require_POST
@allowed_by(signed_in, after_sign_in=_need_page_url)
def interest_withdraw(request, ref: str, interest_id: int):
    interest = visible_or_404(
        DonorInterest.objects.select_related("need"), request.user, pk=interest_id, need__ref=ref
    )
    if not can_withdraw_interest(request.user, interest):
        raise PermissionDenied(
            _("Only the donor who registered this interest, or staff, may withdraw it.")
        )
    try:
        services.interest_withdraw(interest=interest, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The interest of %(donor)s in %(ref)s is withdrawn.")
            % {"donor": interest.donor, "ref": ref},
        )
    return redirect("assistance:catalogue_need", ref=ref)
