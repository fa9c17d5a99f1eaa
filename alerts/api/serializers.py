from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alerts.models import SavedSearch
from core.api.fields import StrictJsonTypes

QUERY_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
    "example": {"region": ["african"], "chapter": ["V"], "coverage": ["unmet"]},
}


@extend_schema_field(QUERY_SCHEMA)
class QueryField(serializers.Field):
    """The filters, as the view's address gives them: {filter: value or [values]}."""

    default_error_messages = {
        "invalid": _("Give an object of filters: each name with a text or a list of texts."),
        "values": _("Give each filter a text or a list of texts."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        query = {}
        for name, values in data.items():
            values = [values] if isinstance(values, str) else values
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                self.fail("values")
            query[name] = values
        return query

    def to_representation(self, value):
        return dict(sorted(value.items()))


class SavedSearchSerializer(StrictJsonTypes, serializers.ModelSerializer):
    query = QueryField(
        required=False,
        help_text="The filters of the needs list (`/api/v1/needs/` takes the same) or of the "
        "catalogue; only those that filter are kept, sorted. For the catalogue, as in its "
        "address: without `filtered` its defaults are added (needs not covered, not met, not "
        "obsolete); with `filtered` the filters apply as given.",
    )
    url = serializers.SerializerMethodField(help_text="The view opened with these filters.")

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "name",
            "view",
            "query",
            "alert",
            "url",
            "last_alerted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_alerted_at", "created_at", "updated_at"]

    def get_url(self, search) -> str:
        return search.get_absolute_url()
