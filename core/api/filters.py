import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

# What Django's NullBooleanField reads as yes or no; anything else it would read as "any".
BOOLEAN_WORDS = {"true", "True", "1", "false", "False", "0"}


def _counts_whole_numbers(filterset, filter_) -> bool:
    """A number filter on an integer column: `review_year=0.5` is a mistake, not a filter."""
    if not isinstance(filter_, django_filters.NumberFilter) or filter_.method:
        return False
    model = filterset._meta.model
    try:
        *relations, last = filter_.field_name.split("__")
        for name in relations:
            model = model._meta.get_field(name).related_model
        return isinstance(model._meta.get_field(last), models.IntegerField)
    except (FieldDoesNotExist, AttributeError):
        return False


def _sort_problem(values: list[str], fields) -> str | None:
    """What is wrong with the `ordering` values sent, given the fields a list sorts by."""
    if any(value.strip() == "" for value in values):
        return _("Give a value, or leave the parameter out.")
    parts = [part for value in values for part in value.split(",")]
    if any(part.strip() == "" for part in parts):
        return _("Name the fields to sort by, separated by commas.")
    unknown = [part for part in parts if part.removeprefix("-") not in fields]
    if not unknown:
        return None
    return _(
        "Cannot sort by %(unknown)s. Sort by %(fields)s, or several of them separated by "
        "commas; a leading “-” reverses the order."
    ) % {"unknown": ", ".join(unknown), "fields": ", ".join(fields)}


class StrictFilterBackend(DjangoFilterBackend):
    """The shared FilterSets, with two gaps closed for machine clients.

    On an HTML form a yes/no filter with any other value, or an empty value, simply means
    "any"; an API client that sends `stale=maybe` or `cycle=` has made a mistake and is
    told so (400) instead of silently receiving the unfiltered list. Django's form would refuse
    an unknown sort field too, without saying which ones exist; this names them.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            self._refuse_ambiguous_values(request, filterset)
        return filterset

    @staticmethod
    def _refuse_ambiguous_values(request, filterset) -> None:
        errors = {}
        for name, filter_ in filterset.filters.items():
            if name not in request.query_params:
                continue
            values = request.query_params.getlist(name)
            if isinstance(filter_, django_filters.CharFilter):
                continue  # free text may be empty
            if any(value.strip() == "" for value in values):
                errors[name] = [_("Give a value, or leave the parameter out.")]
            elif isinstance(filter_, django_filters.OrderingFilter):
                problem = _sort_problem(values, list(filter_.param_map))
                if problem:
                    errors[name] = [problem]
            elif isinstance(filter_, django_filters.BooleanFilter) and any(
                value not in BOOLEAN_WORDS for value in values
            ):
                errors[name] = [_("Use true or false.")]
            elif _counts_whole_numbers(filterset, filter_) and not all(
                value.strip().lstrip("-").isdigit() for value in values
            ):
                errors[name] = [_("Give a whole number.")]
        if errors:
            raise ValidationError(errors)

    def get_schema_operation_parameters(self, view):
        """The FilterSet's parameters, by name: what `ApiViewSet` lets a list take (the schema
        itself is written by `core.api.schema.ReferenceDataFilterExtension`)."""
        filterset_class = self.get_filterset_class(view, view.get_queryset())
        if filterset_class is None:
            return []
        return [
            {"name": name, "required": False, "in": "query", "schema": {"type": "string"}}
            for name in filterset_class.base_filters
        ]


class StrictOrderingFilter(OrderingFilter):
    """`ordering` for the lists without a FilterSet (`ordering_fields` on the view).

    DRF drops the fields it cannot sort by and, if none is left, sorts as usual: a client that
    misspells one gets a differently sorted list without noticing. This refuses it (400),
    naming the fields it can sort by, like the FilterSets' `ordering`.
    """

    def _fields(self, view) -> list[str]:
        return [name for name, _label in self.get_valid_fields(None, view)]

    def get_ordering(self, request, queryset, view):
        values = request.query_params.getlist(self.ordering_param)
        if values:
            problem = _sort_problem(values, self._fields(view))
            if problem:
                raise ValidationError({self.ordering_param: [problem]})
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        fields = self._fields(view)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by one or more of these fields; a leading `-` reverses "
                "the order.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [*fields, *(f"-{f}" for f in fields)]},
                    "minItems": 1,
                },
                "style": "form",
                "explode": False,
            }
        ]
