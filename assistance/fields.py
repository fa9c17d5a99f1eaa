"""What of each assistance record people edit, named once: the forms, the API's serializers,
the activity import's columns and the services all read these tuples
(tests/assistance/test_fields.py checks that each of them offers exactly these fields)."""

ACTIVITY_FIELDS = (
    "ref",
    "title",
    "description",
    "activity_type",
    "level",
    "provider",
    "beneficiary_states",
    "start_date",
    "end_date",
    "status",
    "delivery_mode",
    "budget",
    "budget_currency",
)
# Set after the activity is saved.
ACTIVITY_MANY_TO_MANY_FIELDS = ("beneficiary_states",)
# The import file names two fields by shorter headers; the others by their own names. The
# file's `funding` and `needs` columns are the activity's contributions and links, which
# have services of their own.
ACTIVITY_IMPORT_HEADERS = {"activity_type": "type", "budget_currency": "currency"}
ACTIVITY_IMPORT_COLUMNS = tuple(ACTIVITY_IMPORT_HEADERS.get(name, name) for name in ACTIVITY_FIELDS)

PROVIDER_FIELDS = ("name", "short_name", "is_unodc", "website")
DONOR_FIELDS = ("name", "short_name", "kind", "country", "website")
FUNDING_FIELDS = ("donor", "amount", "currency", "year")
INTEREST_FIELDS = ("kind", "note", "amount", "currency")
