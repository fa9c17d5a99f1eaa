"""The order a review's milestones follow, explained field by field.

The database enforces the same rules (CheckConstraints on Review); this module says what is
wrong in words, next to the field the person should correct, for the form and the import.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

from .models import DOCUMENTS, Review

MILESTONE_ORDER = (
    "self_assessment_submitted",
    "direct_dialogue",
    "executive_summary_completed",
    "country_report_completed",
)
FIRST_REVIEW_YEAR = 2006
LAST_REVIEW_YEAR = 2100

# (earlier milestone, later milestone): what to say when the later one is dated before the
# earlier one. Whole sentences, so that every language can build them its own way.
OUT_OF_ORDER = {
    ("self_assessment_submitted", "direct_dialogue"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the self-assessment checklist was "
        "submitted; the direct dialogue cannot be earlier."
    ),
    ("self_assessment_submitted", "executive_summary_completed"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the self-assessment checklist was "
        "submitted; the completion of the executive summary cannot be earlier."
    ),
    ("self_assessment_submitted", "country_report_completed"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the self-assessment checklist was "
        "submitted; the completion of the country report cannot be earlier."
    ),
    ("direct_dialogue", "executive_summary_completed"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the direct dialogue was held; the "
        "completion of the executive summary cannot be earlier."
    ),
    ("direct_dialogue", "country_report_completed"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the direct dialogue was held; the "
        "completion of the country report cannot be earlier."
    ),
    ("executive_summary_completed", "country_report_completed"): gettext_lazy(
        "%(date)s is before %(earlier_date)s, when the executive summary was completed; the "
        "completion of the country report cannot be earlier."
    ),
}


def milestone_problems(values: dict) -> dict[str, str]:
    """{field: message} for milestones out of order, publication without completion, odd years.

    The messages are in the active language."""
    problems: dict[str, str] = {}
    year = values.get("review_year")
    if year is not None and not FIRST_REVIEW_YEAR <= year <= LAST_REVIEW_YEAR:
        problems["review_year"] = gettext("A review year is between %(first)s and %(last)s.") % {
            "first": FIRST_REVIEW_YEAR,
            "last": LAST_REVIEW_YEAR,
        }
    dated: list[tuple[str, datetime.date]] = [
        (field, values[field]) for field in MILESTONE_ORDER if values.get(field)
    ]
    for index, (field, date) in enumerate(dated):
        for earlier_field, earlier_date in dated[:index]:
            if date < earlier_date:
                problems.setdefault(
                    field,
                    str(OUT_OF_ORDER[earlier_field, field])
                    % {"date": date.isoformat(), "earlier_date": earlier_date.isoformat()},
                )
    if values.get("executive_summary_published") and not values.get("executive_summary_completed"):
        problems["executive_summary_published"] = gettext(
            "An executive summary can only be published once it is completed: "
            "give its completion date."
        )
    if values.get("country_report_published") and not values.get("country_report_completed"):
        problems["country_report_published"] = gettext(
            "A country report can only be published once it is completed: give its completion date."
        )
    problems.update(document_link_problems(values))
    return problems


def document_link_problems(values: dict) -> dict[str, str]:
    """{field: message} for links to documents that are not marked published, or that are
    not web addresses (http or https). Fields absent from `values` are not checked."""
    problems: dict[str, str] = {}
    messages = {
        "executive_summary": gettext(
            "Mark the executive summary as published to give its link, or leave the link empty."
        ),
        "country_report": gettext(
            "Mark the country report as published to give its link, or leave the link empty."
        ),
    }
    for document in DOCUMENTS:
        url = values.get(f"{document}_url")
        if not url:
            continue
        if not url.lower().startswith(("https://", "http://")):
            problems[f"{document}_url"] = gettext(
                "A link starts with https:// or http://, e.g. %(example)s."
            ) % {"example": "https://www.unodc.org/"}
        elif f"{document}_published" in values and not values[f"{document}_published"]:
            problems[f"{document}_url"] = messages[document]
    return problems


EXECUTIVE_SUMMARY_PUBLISHED = gettext_lazy("Executive summary published")
COUNTRY_REPORT_PUBLISHED = gettext_lazy("Country report published")


@dataclass(frozen=True)
class Milestone:
    # `field` says which milestone it is in any language; `label` is in the active language.
    field: str
    label: str
    date: object
    done: bool


def review_stage(review: Review) -> str:
    """The furthest milestone the review has reached, as a short label in the active language."""
    if review.country_report_published:
        return str(COUNTRY_REPORT_PUBLISHED)
    if review.executive_summary_published:
        return str(EXECUTIVE_SUMMARY_PUBLISHED)
    for field, label in reversed(Review.MILESTONES):
        if getattr(review, field):
            return str(label)
    if review.review_year:
        return gettext("Under way (review year %(year)s)") % {"year": review.review_year}
    return gettext("Started")


def review_timeline(review: Review) -> list[Milestone]:
    milestones = [
        Milestone(
            field=field,
            label=str(label),
            date=getattr(review, field),
            done=bool(getattr(review, field)),
        )
        for field, label in Review.MILESTONES
    ]
    published = {
        "executive_summary_published": EXECUTIVE_SUMMARY_PUBLISHED,
        "country_report_published": COUNTRY_REPORT_PUBLISHED,
    }
    milestones += [
        Milestone(field=field, label=str(label), date=None, done=getattr(review, field))
        for field, label in published.items()
    ]
    return milestones
