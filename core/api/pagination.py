from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


def _positive_int(request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum:
            problem = _("Give a whole number between 1 and %(maximum)s.") % {"maximum": maximum}
        else:
            problem = _("Give a whole number of 1 or more.")
        raise ValidationError({name: [problem]}, code="invalid")
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of `page_size` rows (50 unless asked, at most 500).

    Bad values are refused with 400 instead of being silently replaced by the default, so
    a client never mistakes a different page for the one it asked for. CSV answers are not
    paged: they carry the whole filtered list, like the exports of the HTML pages.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        return _positive_int(request, self.page_size_query_param, self.max_page_size) or (
            self.page_size
        )

    def get_page_number(self, request) -> int:
        """The page asked for (1 unless asked); 400 for anything but a whole number of 1 or
        more."""
        return _positive_int(request, self.page_query_param) or 1

    def no_such_page(self, number: int, last: int) -> NotFound:
        return NotFound(
            _("There is no page %(number)s; the last page is %(last)s.")
            % {"number": number, "last": last}
        )

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        page_number = self.get_page_number(request)
        if getattr(request.accepted_renderer, "format", None) == "csv":
            return None
        # A view may page its long lists its own way (`core.paging`).
        paginator_class = getattr(view, "django_paginator_class", self.django_paginator_class)
        paginator = paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            raise self.no_such_page(page_number, paginator.num_pages) from None
        self.request = request
        return list(self.page)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
