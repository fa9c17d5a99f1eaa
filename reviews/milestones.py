"""The order a review's milestones follow, explained field by field.

The database enforces the same rules (CheckConstraints on Review); this module says what is
wrong in words, next to the field the person should correct, for the form and the import.
"""

import datetime

MILESTONE_ORDER = (
    ("self_assessment_submitted", "the self-assessment checklist was submitted"),
    ("direct_dialogue", "the direct dialogue"),
    ("executive_summary_completed", "the executive summary was completed"),
    ("country_report_completed", "the country report was completed"),
)
FIRST_REVIEW_YEAR = 2006
LAST_REVIEW_YEAR = 2100


def milestone_problems(values: dict) -> dict[str, str]:
    """{field: message} for milestones out of order, publication without completion, odd years."""
    problems: dict[str, str] = {}
    year = values.get("review_year")
    if year is not None and not FIRST_REVIEW_YEAR <= year <= LAST_REVIEW_YEAR:
        problems["review_year"] = (
            f"A review year is between {FIRST_REVIEW_YEAR} and {LAST_REVIEW_YEAR}."
        )
    dated: list[tuple[str, str, datetime.date]] = [
        (field, words, values[field]) for field, words in MILESTONE_ORDER if values.get(field)
    ]
    for index, (field, words, date) in enumerate(dated):
        for _earlier_field, earlier_words, earlier_date in dated[:index]:
            if date < earlier_date:
                problems.setdefault(
                    field,
                    f"{date.isoformat()} is before {earlier_date.isoformat()}, when "
                    f"{earlier_words}; {words} cannot be earlier.",
                )
    if values.get("executive_summary_published") and not values.get("executive_summary_completed"):
        problems["executive_summary_published"] = (
            "An executive summary can only be published once it is completed: "
            "give its completion date."
        )
    if values.get("country_report_published") and not values.get("country_report_completed"):
        problems["country_report_published"] = (
            "A country report can only be published once it is completed: give its completion date."
        )
    return problems
