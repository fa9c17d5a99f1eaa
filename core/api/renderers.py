"""`?format=csv` on every list endpoint: the rows a JSON list would give, as a spreadsheet.

Written with the formula neutralisation of `core.tabular`, like every other export. Nested
values are flattened: a list of plain values becomes one cell joined by `;` (as the import
files write themes), an object becomes one column per key (`state.iso3`), anything deeper
is written as JSON text.
"""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

from core.tabular import neutralise


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)
    return str(value)


def _flatten(row: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = _cell(value)
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = [_flatten(row) for row in data] if isinstance(data, list) else [_flatten(data)]
        header: list[str] = list(renderer_context.get("csv_header") or [])
        for row in rows:
            header.extend(column for column in row if column not in header)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(row.get(column, "")) for column in header])
        response = renderer_context.get("response")
        if response is not None and response.status_code < 400:
            filename = renderer_context.get("csv_filename") or "export.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # A byte order mark so that spreadsheet programs read the accents right.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
