"""What every API view shares: who sees which rows, role rules, JSON errors, CSV lists,
optimistic locking, and no query parameter it does not read."""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from core.access import VisibleQuerySet
from core.exceptions import ConcurrentEditError

from .access import RoleRules
from .exceptions import Conflict
from .filters import StrictOrderingFilter
from .renderers import CSVRenderer

IF_MATCH_HELP = (
    "The `version` you last read, to refuse the change if someone saved the record since "
    "(409). Also accepted as the `If-Match` header."
)


class KnownQueryParameters:
    """An API view mixin: a query parameter the operation does not read is refused (400).

    Ignored, a misspelt filter (`/api/v1/needs/?ref=X`) would answer the whole list as if it
    were the filtered one. The message names the parameters the operation takes: those
    `query_parameters()` gives, and `format`. Checked after the role rules, so a caller who
    may not call the operation learns nothing from it.
    """

    def query_parameters(self) -> set[str]:
        return set()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS" or not hasattr(self, request.method.lower()):
            return  # not an operation of the API: DRF's metadata, or a 405
        taken = sorted({api_settings.URL_FORMAT_OVERRIDE, *self.query_parameters()})
        unknown = sorted(set(request.query_params) - set(taken))
        if unknown:
            problem = _("Unknown parameter. This request takes: %(names)s.") % {
                "names": ", ".join(taken)
            }
            raise ValidationError({name: [problem] for name in unknown})


class ApiViewSet(KnownQueryParameters, viewsets.GenericViewSet):
    permission_classes = [RoleRules]
    write_rules: dict = {}
    object_rules: dict = {}
    sign_in_to_read = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF reads `?format=` as "no format given"; a client that sends it lost a value.
        if request.query_params.get("format", None) == "":
            raise ValidationError({"format": [_("Use json or csv, or leave the parameter out.")]})

    def get_queryset(self):
        """The view's `queryset`, narrowed by its model's rule to what the caller may see: no
        API view filters by role itself (views that show more extend this one)."""
        queryset = super().get_queryset()
        if isinstance(queryset, VisibleQuerySet):
            queryset = queryset.visible_to(self.request.user)
        return queryset

    def query_parameters(self) -> set[str]:
        """A list takes its filters, `ordering` and the page's; other operations none."""
        if self.action != "list":
            return set()
        readers = [backend() for backend in self.filter_backends]
        if self.paginator is not None:
            readers.append(self.paginator)
        return {
            parameter["name"]
            for reader in readers
            for parameter in reader.get_schema_operation_parameters(self)
        }

    def get_renderers(self):
        # No action: a method the route does not take, answered 405 whatever the format.
        if self.action in ("list", None):
            return [JSONRenderer(), CSVRenderer()]
        return [JSONRenderer()]

    def handle_exception(self, exc):
        # Errors are always JSON, also for a client that asked for CSV.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        if self.action == "list":
            context["csv_filename"] = f"{self.basename}.csv"
            context["csv_header"] = list(self.get_serializer().fields)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.action in ("retrieve", "update", "partial_update")
            and response.status_code < 300
            and isinstance(data, dict)
            and "version" in data
        ):
            response["ETag"] = f'"{data["version"]}"'
        return response

    def represent(self, instance) -> dict | None:
        """The record as a read answers it (the `current` of a 409), read again through the
        view's queryset so that it carries what the list shows and what the caller may see."""
        fresh = self.get_queryset().filter(pk=instance.pk).first()
        if fresh is None:
            return None
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def seen_version(self, validated_data: dict) -> int | None:
        """The version the client edited: `version` in the body, else the If-Match header."""
        version = validated_data.pop("version", None)
        if version is not None:
            return version
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            raise ValidationError(
                {"If-Match": [_('Give the version you read, e.g. If-Match: "3".')]}
            ) from None


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A list and its records one by one."""


class ReferenceApiViewSet(ReadOnlyApiViewSet):
    """Reference data (regional groups, chapters, articles, categories, themes): no FilterSet,
    sorted by the view's `ordering_fields`, read one by one by their code (`lookup_field`)."""

    filter_backends = [StrictOrderingFilter]


@contextlib.contextmanager
def refusal_is_conflict():
    """A service refusing a request without input (a delete, a withdrawal) answers 409: the
    request is fine, the record's current state is what stands in the way."""
    try:
        yield
    except ConcurrentEditError:
        raise
    except DjangoValidationError as error:
        raise Conflict(" ".join(error.messages)) from None
