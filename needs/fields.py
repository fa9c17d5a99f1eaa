"""What of a need people edit, named once: the need forms, the API's write serializers, the
import's columns and `need_update` all read these tuples (tests/needs/test_fields.py checks
that each of them offers exactly these fields)."""

# In the order the forms, the API and the file list them. The review (State and cycle) is
# not among them: it is given when the need is created and never changes.
EDITABLE_FIELDS = (
    "chapter",
    "article",
    "category",
    "subcategory",
    "themes",
    "description",
    "description_language",
    "priority",
    "status",
    "identified_on",
    "source_paragraph",
    "source_excerpt",
    "follows",
)
# Set after the need is saved.
MANY_TO_MANY_FIELDS = ("themes",)
# The forms ask for the chapter and article as one choice, "placement".
PLACEMENT_FIELDS = ("chapter", "article")
# A focal point proposes a need: the status is staff's to set, the date is the proposal's.
PROPOSAL_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in ("status", "identified_on"))
# The import file's columns carry the fields under their own names, all but the language of
# the description (not a column of the file format: new needs get the model's default).
IMPORT_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "description_language")

# A follow-up action of a need (`NeedAction`): its form, API serializer, import and
# `need_action_update`.
ACTION_FIELDS = (
    "what",
    "responsible_institution",
    "due_date",
    "status",
    "in_national_action_plan",
)
