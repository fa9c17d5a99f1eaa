"""OpenAPI: every error an operation can answer, who may call it, and CSV bodies.

drf-spectacular documents the success responses; `ApiAutoSchema` adds the error responses
(400, 401, 403, 404, 409) each operation can actually give, all in the one error shape of
`core.api.exceptions`, and marks the operations that anonymous callers may use.
"""

import django_filters
from django.db import DatabaseError, connections
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from .access import anonymous_may_call


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(help_text="A stable word for programs, e.g. `invalid`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each field concerned, with its problems (`non_field_errors` for the whole "
        "request); empty when no field is at fault.",
    )


class ChangeSerializer(serializers.Serializer):
    seen = serializers.JSONField(help_text="The value when you read the record.", allow_null=True)
    current = serializers.JSONField(help_text="The value saved since.", allow_null=True)


class ConflictSerializer(ErrorSerializer):
    changes = serializers.DictField(
        child=ChangeSerializer(),
        required=False,
        help_text="For `concurrent_edit`: each field changed since the version you sent.",
    )
    current = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="For `concurrent_edit`: the record as it is now, with its new `version`.",
    )


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `detail` says what is wrong and `errors` names each field or query "
    "parameter concerned. A query parameter the operation does not take, or a field a list "
    "cannot sort by, is refused, never ignored: its message lists the ones taken.",
    "401": "Not signed in, or the token is invalid: send `Authorization: Token <key>`.",
    "403": "Signed in, but your role does not allow this (or the session's CSRF token is missing).",
    "404": "No such record, or not one you may see (or no such page of results).",
    "409": "Conflict: someone saved the record since the `version` you sent (`changes` and "
    "`current` tell what), or the change clashes with other records.",
}


MAX_ENUM_VALUES = 1000
# Request bodies list shorter sets only (chapters, articles, the taxonomy): a write with an
# unknown code is refused with 400 and its field named anyway, and listing all 198 States in
# every body would make the schema and its fuzzing several times larger.
MAX_BODY_ENUM_VALUES = 100


class ReferenceDataFilterExtension(DjangoFilterExtension):
    """Model-choice filters documented with the type and the values they accept.

    The shared FilterSets filter on codes (`state=KEN`, `chapter=II`, `theme=technology`):
    the parameter takes the type of that code field, and lists the codes the database
    holds when the schema is generated (reference data: States, chapters, articles,
    categories, themes, regions), so a client or a fuzzer can tell a valid value from a typo.
    """

    target_class = "core.api.filters.StrictFilterBackend"
    priority = 1

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        queryset = getattr(filter_field, "queryset", None)
        if queryset is None or callable(queryset):
            return super()._get_schema_from_model_field(auto_schema, filter_field, model)
        to_field = filter_field.extra.get("to_field_name")
        options = queryset.model._meta
        target = options.get_field(to_field) if to_field else options.pk
        schema = auto_schema._map_model_field(target, direction=None)
        values = _reference_values(queryset, target.attname)
        if values:
            schema["enum"] = values
        return schema

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        bounds = {
            "minimum": filter_field.extra.get("min_value"),
            "maximum": filter_field.extra.get("max_value"),
        }
        for parameter in parameters:
            parameter["schema"].update({k: v for k, v in bounds.items() if v is not None})
        if isinstance(filter_field, django_filters.OrderingFilter):
            # `ordering=` is a mistake (400), not an empty list of sort fields.
            for parameter in parameters:
                parameter["schema"]["minItems"] = 1
        return parameters


def _reference_values(queryset, field_name: str, limit: int = MAX_ENUM_VALUES) -> list | None:
    """The values of `field_name` in `queryset`, if there are few enough to list.

    None while the table does not exist: `check --deploy` generates the schema, possibly before
    `migrate`. Any other database error is raised."""
    try:
        values = list(queryset.order_by(field_name).values_list(field_name, flat=True)[: limit + 1])
    except DatabaseError:
        if queryset.model._meta.db_table in connections[queryset.db].introspection.table_names():
            raise
        return None
    return values if 0 < len(values) <= limit else None


class ApiAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """Request fields that name a record by code (`state`, `chapter`, `themes`...) list
        the codes that exist, like the model-choice filters."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, serializers.DecimalField):
            # DRF reads a JSON number as well as a decimal string: say so.
            number = {"type": "number"}
            for bound in ("minimum", "maximum"):
                if bound in schema:
                    number[bound] = float(schema[bound])
            text = {k: v for k, v in schema.items() if k not in ("nullable", "description")}
            decimal = {"oneOf": [number, text]}
            if schema.get("nullable"):
                decimal["nullable"] = True
            if "description" in schema:
                decimal["description"] = schema["description"]
            return decimal
        queryset = getattr(field, "queryset", None)
        if (
            direction == "request"
            and isinstance(field, serializers.RelatedField)
            and queryset is not None
            and schema.get("type") in ("string", "integer")
        ):
            target = getattr(field, "slug_field", None) or "pk"
            values = _reference_values(queryset, target, MAX_BODY_ENUM_VALUES)
            if values:
                # OpenAPI 3.0: a nullable enum lists null among its values.
                schema["enum"] = [*values, None] if schema.get("nullable") else values
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._describe_parameters(operation)
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            if code not in responses:
                body = ConflictSerializer if code == "409" else ErrorSerializer
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(body, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    ["application/json"],
                )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _describe_parameters(self, operation) -> None:
        """Give path parameters the pattern the URL accepts."""
        lookup = getattr(self.view, "lookup_url_kwarg", None) or getattr(
            self.view, "lookup_field", None
        )
        regex = getattr(self.view, "lookup_value_regex", None)
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if (
                parameter["in"] == "path"
                and parameter["name"] == lookup
                and regex
                and schema.get("type") == "string"
            ):
                schema["pattern"] = f"^{regex}$"

    def _error_codes(self, operation) -> list[str]:
        """The errors this operation can really give, from what it takes and who may call it."""
        parameters = operation.get("parameters", [])
        # Every operation refuses an invalid token, and a query parameter it does not take.
        codes = ["400", "401"]
        if not anonymous_may_call(self.view, self.method):
            codes.append("403")
        if any(p["in"] == "path" for p in parameters) or any(
            p["name"] == "page" for p in parameters
        ):
            codes.append("404")
        if self.method not in SAFE_METHODS:
            codes.append("409")
        return codes

    def get_auth(self):
        auths = super().get_auth()
        if anonymous_may_call(self.view, self.method) and {} not in auths:
            auths.append({})
        return auths


def describe_csv_bodies(result, generator, request, public):
    """A CSV answer is text, one row per record, not the JSON page drf-spectacular assumes."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if "text/csv" in content:
                    content["text/csv"] = {
                        "schema": {
                            "type": "string",
                            "description": "The whole filtered list (not paged), one row per "
                            "record; list values joined with `;`.",
                        }
                    }
    return result


# Text query parameters are read by Django form fields, which refuse the NUL character with
# a 400 ("Null characters are not allowed."); the schema says so, so that no client (and no
# fuzzer) takes such a value for a valid one.
WITHOUT_NUL = "^[^\u0000]*$"


def _refuse_nul(schema: dict) -> None:
    if schema.get("type") == "array":
        _refuse_nul(schema.get("items", {}))
    elif schema.get("type") == "string" and not ({"enum", "format", "pattern"} & schema.keys()):
        schema["pattern"] = WITHOUT_NUL


def describe_text_parameters(result, generator, request, public):
    """Text query parameters match `WITHOUT_NUL`."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _refuse_nul(parameter.get("schema", {}))
    return result
