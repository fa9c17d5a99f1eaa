"""The country page's summary: the part a whole audience shares, cached, and the person's own,
read at each request.

The shared part (reviews and their milestones, needs by status, category and chapter with
their charts, the latest assistance, the figures) depends on the State, the language, the
rows the person may read (each model's `visibility_key`), whether they are signed in, the data
version (moved on by every write, so a change shows at once) and the day staleness is counted
from: equal keys, equal HTML. Personal data, donors' interest and the focal point's actions
are never in it.
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


def context(user, state: State, version: int) -> dict:
    """The summary's context for this user: the shared part, then what is theirs."""
    part = shared_part(user, state, version)
    result = {
        "shared": mark_safe(part["html"]),  # rendered by our own template, escaped there
        "figures": part["figures"],
        "focal_points": selectors.state_focal_points(user, state),
        "to_confirm_query": TO_CONFIRM_QUERY,
        "stale_after_days": settings.NEED_STALE_AFTER_DAYS,
        "download_formats": EXPORT_FORMATS,
        "can_maintain": can_maintain_state_needs(user, state),
        "can_see_donor_interest": can_see_donor_interest(user),
    }
    if result["can_maintain"]:
        # Those who maintain the State's needs see all its reviews.
        result["can_propose"] = part["has_review"]
    return result | signed_in_lists(
        user,
        state,
        version,
        maintain=result["can_maintain"],
        donor_interest=result["can_see_donor_interest"],
    )


def signed_in_lists(user, state: State, version: int, *, maintain: bool, donor_interest: bool):
    """What signed-in audiences see besides the shared part: for those who maintain the
    State's needs, the latest proposals and the needs waiting for confirmation; for those who
    see donors' interest, the latest interest. Each list is read once per audience and data
    version (at 100 times today's data they cost 15 ms a request, counting a State's
    thousands of needs and interests)."""
    if not (maintain or donor_interest):
        return {}
    key = cache_key(
        "country-lists",
        state.pk,
        version,
        stale_before().isoformat(),
        can_see_personal_data(user),  # who proposed a need
        maintain,
        donor_interest,
        Need.objects.visibility_key(user),
        DonorInterest.objects.visibility_key(user),
    )
    lists = cache.get(key)
    if lists is None:
        lists = {}
        if maintain:
            proposals, proposal_total = selectors.first_with_total(
                selectors.state_proposals(user, state), LATEST
            )
            lists |= {
                "to_confirm": list(selectors.needs_waiting_for_confirmation(user, state)[:LATEST]),
                "proposals": proposals,
                "proposal_total": proposal_total,
            }
        if donor_interest:
            interests, interest_total = selectors.first_with_total(
                selectors.state_donor_interests(user, state).order_by("-created_at", "-id"),
                LATEST,
            )
            lists |= {"interests": interests, "interest_total": interest_total}
        cache.set(key, lists, SHARED_CACHE_SECONDS)
    return lists


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
