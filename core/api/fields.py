"""Serializer fields that take JSON at its word.

DRF, made for HTML forms too, reads "true", "1" or 1 as a yes, and "" as "none" for a
relation. An API client that sends them has most likely made a mistake, so these fields
refuse them with a message, and the schema says exactly what they take.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": _("Use true or false (JSON booleans).")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class CodeField(serializers.SlugRelatedField):
    """A record named by its code; null (where allowed) means none, an empty string is an error."""

    default_error_messages = {"blank": _("Give a code, or null for none.")}

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


class StrictJsonTypes:
    """Serializer mixin: each field takes the JSON type the schema gives it.

    DRF turns 0 into "0" for a text field, "5" into 5 for a number, and iterates over an
    object given for a list; a client that sends those has the wrong type and is told so. A
    text's length is that of the text as sent, as the schema's maxLength says.
    """

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.fields.items():
                if field.read_only or name not in data:
                    continue
                problem = _json_type_problem(field, data[name])
                if problem:
                    errors[name] = [problem]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _is_integer_field(field) -> bool:
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return True
    if isinstance(field, serializers.SlugRelatedField):
        target = field.get_queryset().model._meta.get_field(field.slug_field)
        return target.get_internal_type().endswith("IntegerField")
    if isinstance(field, serializers.ChoiceField) and field.choices:
        return all(isinstance(key, int) for key in field.choices)
    return False


def _json_type_problem(field, value) -> str | None:
    if value is None:
        return None  # null is checked by the field itself (allow_null)
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        if not isinstance(value, list):
            return gettext("Give a list.")
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        bad = next((v for v in value if child and _json_type_problem(child, v)), None)
        return _json_type_problem(child, bad) if bad is not None else None
    if _is_integer_field(field):
        if isinstance(value, bool) or not isinstance(value, int):
            return gettext("Give a whole number.")
        return None
    text_field = serializers.CharField | serializers.SlugRelatedField | serializers.ChoiceField
    if isinstance(field, text_field) and not isinstance(value, str):
        return gettext("Give text.")
    # The schema's maxLength counts the text as sent; DRF would count it after trimming the
    # spaces around it, and so accept a longer text than the schema allows.
    max_length = getattr(field, "max_length", None)
    if isinstance(field, serializers.CharField) and max_length and len(value) > max_length:
        return str(field.error_messages["max_length"]).format(max_length=max_length)
    return None
