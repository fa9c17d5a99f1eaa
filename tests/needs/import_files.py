"""Build import files (CSV or XLSX) for the tests of imports, exports and their pages."""

import csv
import io

from django.test import Client

from assistance.imports import COLUMNS as ACTIVITY_COLUMNS
from core.tabular import xlsx_bytes
from needs.imports import NEED_COLUMNS
from reviews.imports import REVIEW_COLUMNS


def table_bytes(columns, rows: list[dict], fmt: str = "csv") -> bytes:
    """A file with `columns` as header; each row gives some of the columns."""
    values = [[row.get(column, "") for column in columns] for row in rows]
    if fmt == "xlsx":
        return xlsx_bytes(list(columns), values)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(values)
    return buffer.getvalue().encode()


def need_row(**values) -> dict:
    """A valid row for the cycle 2 review of Kenya (the `published_review` fixture)."""
    row = {
        "state": "KEN",
        "cycle": "2",
        "chapter": "II",
        "article": "5",
        "category": "capacity_building",
        "description": "Training for the anti-corruption agency",
    }
    row.update(values)
    return row


def needs_file(rows: list[dict], fmt: str = "csv") -> bytes:
    return table_bytes(NEED_COLUMNS, rows, fmt)


def review_row(**values) -> dict:
    row = {
        "state": "KEN",
        "cycle": "2",
        "review_year": "2018",
        "reviewing_states": "PER;FRA",
        "self_assessment_submitted": "2018-03-01",
        "direct_dialogue": "2018-09-01",
        "executive_summary_completed": "2019-02-01",
        "country_report_completed": "",
        "executive_summary_published": "true",
        "country_report_published": "false",
    }
    row.update(values)
    return row


def reviews_file(rows: list[dict], fmt: str = "csv") -> bytes:
    return table_bytes(REVIEW_COLUMNS, rows, fmt)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def activity_row(**values) -> dict:
    """A valid row for a new activity provided by UNODC (the `provider` fixture)."""
    row = {
        "ref": "A-1",
        "title": "Mentoring for prosecutors",
        "type": "mentoring",
        "level": "national",
        "provider": "UNODC",
    }
    row.update(values)
    return row


def activities_file(rows: list[dict], fmt: str = "csv") -> bytes:
    return table_bytes(ACTIVITY_COLUMNS, rows, fmt)
