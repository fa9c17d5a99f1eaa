"""What of a review people edit, named once: the review form, the API's serializers, the
import's columns and the services all read these tuples (tests/reviews/test_fields.py checks
that each of them offers exactly these fields)."""

# The review's milestones, in the order of the review cycle. The State and cycle are not
# among the editable fields: they are given when the review is created and never change.
MILESTONE_FIELDS = (
    "review_year",
    "self_assessment_submitted",
    "direct_dialogue",
    "direct_dialogue_kind",
    "executive_summary_completed",
    "country_report_completed",
    "executive_summary_published",
    "country_report_published",
    "executive_summary_url",
    "country_report_url",
)
DATE_FIELDS = (
    "self_assessment_submitted",
    "direct_dialogue",
    "executive_summary_completed",
    "country_report_completed",
)
FLAG_FIELDS = ("executive_summary_published", "country_report_published")
# The links to the published documents: optional columns of the import file (files made
# before the links existed stay valid; without the column the links stay as they are).
LINK_FIELDS = ("executive_summary_url", "country_report_url")
EDITABLE_FIELDS = ("review_year", "reviewing_states", *MILESTONE_FIELDS[1:])
# The import file's columns carry the fields under their own names, all but the kind of
# direct dialogue (not a column of the file format: an import leaves it as it is).
IMPORT_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "direct_dialogue_kind")
