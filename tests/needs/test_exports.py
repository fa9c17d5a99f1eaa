"""Export of any filtered list of needs, in the import format: export then import = no change."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.tabular import read_table
from needs.exports import EXPORT_COLUMNS
from needs.imports import NEED_COLUMNS, import_needs
from needs.models import Need
from tests import factories
from tests.needs.import_files import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_needs(published_review, unpublished_review):
    """Needs with every kind of value the format carries, including formula-like text."""
    first = factories.NeedFactory(
        review=published_review,
        subcategory=factories.category("capacity_building").subcategories.first(),
        priority="high",
        status="partially_met",
        description='=HYPERLINK("http://example.org")\nsecond line, with "quotes"; and ;',
    )
    first.themes.set([factories.theme("training"), factories.theme("gender")])
    second = factories.NeedFactory(
        review=published_review,
        chapter=factories.chapter("V"),
        article=None,
        category=factories.category("legislative_assistance"),
        description="-starts with a minus, accents: àéü",
        identified_on=None,
    )
    third = factories.NeedFactory(review=unpublished_review, description="@unpublished")
    return [first, second, third]


def download(client, fmt: str, **filters) -> bytes:
    response = client.get(reverse("needs:need_export", args=[fmt]), filters)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(fmt, staff, varied_needs):
    data = download(signed_in(staff), fmt)
    before = list(Need.objects.order_by("pk").values())
    history_before = Need.history.count()

    result = import_needs(data=data, filename=f"needs.{fmt}", user=staff, dry_run=False)

    assert result.messages() == [] and not result.duplicates
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Need.objects.order_by("pk").values()) == before
    assert Need.history.count() == history_before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_the_import_columns_and_labels_next_to_the_codes(fmt, staff, varied_needs):
    table = read_table(download(signed_in(staff), fmt), f"needs.{fmt}")

    assert table.headers == list(EXPORT_COLUMNS)
    assert set(NEED_COLUMNS) <= set(table.headers)
    rows = {row["ref"]: row for _number, row in table.rows}
    first = rows[varied_needs[0].ref]
    assert (first["state"], first["state_name"], first["cycle"]) == ("KEN", "Kenya", "2")
    assert (first["chapter"], first["article"]) == ("II", "5")
    assert first["article_title"].startswith("Preventive anti-corruption policies")
    assert (first["category"], first["category_label"]) == (
        "capacity_building",
        "Capacity-building",
    )
    assert (first["themes"], first["theme_labels"]) == (
        "training;gender",
        "Training; Gender dimensions of corruption",
    )
    assert first["status_label"] == "Partially met"
    second = rows[varied_needs[1].ref]
    assert (second["article"], second["article_title"]) == ("", "Chapter in general")


def test_the_raw_csv_neutralises_formulas(staff, varied_needs):
    text = download(signed_in(staff), "csv").decode("utf-8-sig")

    assert "'=HYPERLINK" in text and "'-starts with a minus" in text and "'@unpublished" in text


def test_the_export_follows_the_filters(staff, varied_needs):
    table = read_table(download(signed_in(staff), "csv", chapter="V"), "needs.csv")

    assert [row["ref"] for _n, row in table.rows] == [varied_needs[1].ref]


@pytest.mark.parametrize(
    ("role", "visible"),
    [("anonymous", 2), ("donor", 2), ("focal_point", 3), ("other_focal_point", 2), ("staff", 3)],
)
def test_the_export_holds_only_what_the_person_may_see(people, role, visible, varied_needs):
    user = people[role]
    client = signed_in(user) if user.is_authenticated else __import__("django.test").test.Client()

    table = read_table(download(client, "csv"), "needs.csv")

    assert len(table.rows) == visible


def test_a_bad_filter_is_a_400_with_the_reason(staff):
    response = signed_in(staff).get(reverse("needs:need_export", args=["csv"]), {"cycle": "9"})

    assert response.status_code == 400
    assert "cycle" in response.content.decode()


def test_an_unknown_format_is_a_404(staff):
    response = signed_in(staff).get(reverse("needs:need_export", args=["pdf"]))

    assert response.status_code == 404


def test_the_export_costs_the_same_queries_for_few_and_many_needs(
    staff, published_review, django_assert_max_num_queries
):
    client = signed_in(staff)
    factories.NeedFactory.create_batch(2, review=published_review)
    with django_assert_max_num_queries(8) as few:
        download(client, "csv")
    for need in factories.NeedFactory.create_batch(50, review=published_review):
        need.themes.set([factories.theme("training")])
    with django_assert_max_num_queries(8) as many:
        download(client, "csv")

    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_command_writes_the_format_of_the_extension(tmp_path, varied_needs):
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"needs.{fmt}"
        call_command("export_needs", str(path), "--filter", "state=KEN", "--filter", "cycle=2")
        table = read_table(path.read_bytes(), path.name)
        assert sorted(row["ref"] for _n, row in table.rows) == sorted(
            n.ref for n in varied_needs[:2]
        )


def test_the_command_round_trips_with_import_needs(tmp_path, varied_needs, capsys):
    path = tmp_path / "needs.xlsx"
    call_command("export_needs", str(path))
    call_command("import_needs", str(path))

    assert "3 rows imported: 0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["needs.pdf"], "must end in .csv or .xlsx"),
        (["needs.csv", "--filter", "colour=red"], "Unknown filters: colour"),
        (["needs.csv", "--filter", "cycle=9"], "Invalid filters: cycle"),
        (["needs.csv", "--filter", "cycle"], "write NAME=VALUE"),
    ],
)
def test_the_command_refuses_bad_arguments(tmp_path, arguments, message):
    arguments[0] = str(tmp_path / arguments[0])

    with pytest.raises(CommandError, match=message):
        call_command("export_needs", *arguments)


def test_dates_survive_the_round_trip_in_xlsx_as_dates(staff, varied_needs):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download(signed_in(staff), "xlsx"))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("identified_on")
    values = [row[column].value for row in sheet.iter_rows(min_row=2)]

    assert datetime.datetime(2019, 2, 1) in values
