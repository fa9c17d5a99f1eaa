"""Serializer fields that take JSON at its word.

DRF, made for HTML forms too, reads "true", "1" or 1 as a yes, and "" as "none" for a
relation. An API client that sends them has most likely made a mistake, so these fields
refuse them with a message, and the schema says exactly what they take.
"""

from rest_framework import serializers
from rest_framework.fields import empty


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Use true or false (JSON booleans)."}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class CodeField(serializers.SlugRelatedField):
    """A record named by its code; null (where allowed) means none, an empty string is an error."""

    default_error_messages = {"blank": "Give a code, or null for none."}

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)
