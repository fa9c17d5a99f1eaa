"""The country page's summary: the part a whole audience shares, cached, and the person's own,
read at each request.

The shared part (reviews and their milestones, needs by status, category and chapter with
their charts, the latest assistance, the figures) depends on the State, the language, the
rows the person may read (each model's `visibility_key`), whether they are signed in, the data
version (moved on by every write, so a change shows at once) and the day staleness is counted
from: equal keys, equal HTML. Personal data, donors' interest and the focal point's actions
are never in it: they are sections of their own (`signed_in_sections`), cached per audience
and address.
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from assistance.models import Activity, DonorInterest, FundingContribution
from core.access import can_see_donor_interest, can_see_personal_data, signed_in
from core.changes import cache_key
from core.charts import bar_chart
from core.pages import filled_csrf_token, render_public_page
from needs.digest import TO_CONFIRM_QUERY
from needs.exports import FORMATS as EXPORT_FORMATS
from needs.models import Need, stale_before
from needs.rules import can_maintain_state_needs
from reviews.milestones import review_stage, review_timeline
from reviews.models import CYCLE_CHOICES, Review, State
from translations.lookup import localized

from . import selectors

# A reference label corrected in the admin (which moves no data version) shows within this.
SHARED_CACHE_SECONDS = 60 * 60
LATEST = 5
# The models the shared part reads, whose visibility rules it follows.
SHARED_MODELS = (Need, Review, Activity, FundingContribution)


def context(request, state: State, version: int) -> dict:
    """The summary's context for the person asking: the shared part, then what is theirs."""
    user = request.user
    part = shared_part(user, state, version)
    maintain = can_maintain_state_needs(user, state)
    return {
        "shared": mark_safe(part["html"]),  # rendered by our own template, escaped there
        "figures": part["figures"],
        "focal_points": selectors.state_focal_points(user, state),
        "stale_after_days": settings.NEED_STALE_AFTER_DAYS,
        "download_formats": EXPORT_FORMATS,
    } | signed_in_sections(
        request,
        state,
        version,
        figures=part["figures"],
        maintain=maintain,
        # Those who maintain the State's needs see all its reviews.
        can_propose=maintain and part["has_review"],
        donor_interest=can_see_donor_interest(user),
    )


def signed_in_sections(
    request, state: State, version: int, *, figures, maintain, can_propose, donor_interest
) -> dict:
    """The sections signed-in audiences see besides the shared part, as HTML: for those who
    maintain the State's needs ("maintained"), the needs waiting for confirmation and the
    latest proposals; for those who see donors' interest ("interest"), the latest interest.
    Rendered once per audience, language, address and data version, with each person's
    CSRF token put in: at 100 times today's data their lists are full and rendering them
    cost a third of the focal point's page."""
    if not (maintain or donor_interest):
        return {}
    user = request.user
    key = cache_key(
        "country-sections",
        state.pk,
        version,
        stale_before().isoformat(),
        get_language(),
        request.get_full_path(),  # the confirm forms come back to it
        can_see_personal_data(user),  # who proposed a need
        maintain,
        can_propose,
        donor_interest,
        Need.objects.visibility_key(user),
        DonorInterest.objects.visibility_key(user),
    )
    sections = cache.get(key)
    if sections is None:
        sections = _render_signed_in_sections(
            request,
            state,
            figures=figures,
            maintain=maintain,
            can_propose=can_propose,
            donor_interest=donor_interest,
        )
        cache.set(key, sections, SHARED_CACHE_SECONDS)
    return {name: filled_csrf_token(request, html) for name, html in sections.items()}


def _render_signed_in_sections(
    request, state: State, *, figures, maintain, can_propose, donor_interest
) -> dict[str, str]:
    user = request.user
    context = {
        "state": state,
        "figures": figures,
        "can_see_personal_data": can_see_personal_data(user),
    }
    sections = {}
    if maintain:
        proposals, proposal_total = selectors.first_with_total(
            selectors.state_proposals(user, state), LATEST
        )
        sections["maintained"] = render_public_page(
            request,
            "countries/_summary_maintained.html",
            context
            | {
                "to_confirm": list(selectors.needs_waiting_for_confirmation(user, state)[:LATEST]),
                "to_confirm_query": TO_CONFIRM_QUERY,
                "stale_after_days": settings.NEED_STALE_AFTER_DAYS,
                "proposals": proposals,
                "proposal_total": proposal_total,
                "can_propose": can_propose,
            },
        )
    if donor_interest:
        interests, interest_total = selectors.first_with_total(
            selectors.state_donor_interests(user, state).order_by("-created_at", "-id"), LATEST
        )
        sections["interest"] = render_public_page(
            request,
            "countries/_summary_interest.html",
            context | {"interests": interests, "interest_total": interest_total},
        )
    return sections


def shared_part(user, state: State, version: int) -> dict:
    """{"html", "figures", "has_review"} of the summary for the user's audience, from the
    cache when the same audience saw the same data today."""
    key = _shared_key(user, state, version)
    part = cache.get(key)
    if part is None:
        part = _build_shared_part(user, state)
        cache.set(key, part, SHARED_CACHE_SECONDS)
    return part


def _shared_key(user, state: State, version: int) -> str:
    return cache_key(
        "country-summary",
        state.pk,
        get_language(),
        signed_in(user),
        version,
        stale_before().isoformat(),
        *(model.objects.visibility_key(user) for model in SHARED_MODELS),
    )


def _build_shared_part(user, state: State) -> dict:
    reviews = {review.cycle: review for review in selectors.state_reviews(user, state)}
    figures = selectors.need_figures(user, state)
    by_status = selectors.needs_by_status(figures)
    by_category = selectors.needs_by_category(user, state)
    activities, activity_total = selectors.first_with_total(
        selectors.state_activities(user, state), LATEST
    )
    name = localized(state)
    # The summary counts them; the needs section lists them (the summary stays short).
    chains = selectors.state_follow_chains(user, state)
    html = render_to_string(
        "countries/_summary_shared.html",
        {
            "state": state,
            "signed_in": signed_in(user),
            "cycles": [
                (
                    cycle,
                    reviews.get(cycle),
                    review_timeline(reviews[cycle]) if cycle in reviews else [],
                    review_stage(reviews[cycle]) if cycle in reviews else "",
                )
                for cycle, _label in CYCLE_CHOICES
            ],
            "figures": figures,
            "by_status": by_status,
            "by_category": by_category,
            "by_chapter": selectors.needs_by_chapter(user, state),
            "category_chart": bar_chart(
                title=gettext("Needs of %(name)s by category") % {"name": name},
                labels=[label for label, _count, _code in by_category],
                series={gettext("Needs"): [count for _label, count, _code in by_category]},
            ),
            "status_chart": bar_chart(
                title=gettext("Needs of %(name)s by status") % {"name": name},
                labels=[label for label, _count, _value in by_status],
                series={gettext("Needs"): [count for _label, count, _value in by_status]},
            ),
            "chain_total": len(chains),
            "activities": activities,
            "activity_total": activity_total,
            "activity_pages": selectors.url_name_resolves("assistance:activity_detail", "REF"),
        },
    )
    return {"html": html, "figures": figures, "has_review": bool(reviews)}
