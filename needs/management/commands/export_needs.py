from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from needs.exports import FORMATS, export_bytes
from needs.filters import NeedFilterSet
from needs.models import Need


class Command(BaseCommand):
    help = (
        "Write needs to FILE (.csv or .xlsx, by its extension) in the format import_needs "
        "reads, with readable labels next to the codes. Filters as on the needs page, e.g. "
        "--filter state=KEN --filter cycle=2 --filter status=unmet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter of the needs list (repeatable).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError("FILE must end in .csv or .xlsx.")
        params = QueryDict(mutable=True)
        for item in options["filter"]:
            name, equals, value = item.partition("=")
            if not equals:
                raise CommandError(f"--filter {item!r}: write NAME=VALUE.")
            params.appendlist(name.strip(), value.strip())
        unknown = set(params) - set(NeedFilterSet.base_filters)
        if unknown:
            raise CommandError(
                f"Unknown filters: {', '.join(sorted(unknown))}. "
                f"Known: {', '.join(NeedFilterSet.base_filters)}."
            )
        filterset = NeedFilterSet(params, queryset=Need.objects.all())
        if not filterset.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
            )
            raise CommandError(f"Invalid filters: {problems}")
        queryset = filterset.qs
        try:
            path.write_bytes(export_bytes(queryset, fmt))
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {queryset.count()} needs to {path}.")
