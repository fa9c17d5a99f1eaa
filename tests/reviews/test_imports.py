"""Import of reviews: whole file or nothing, every problem as `row N: column: problem`."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from reviews.imports import import_reviews
from reviews.models import Review
from tests import factories
from tests.needs.import_files import review_row, reviews_file

pytestmark = pytest.mark.django_db


def run(rows, *, dry_run=False, user=None, fmt="csv"):
    return import_reviews(
        data=reviews_file(rows, fmt), filename=f"reviews.{fmt}", user=user, dry_run=dry_run
    )


def test_it_creates_reviews_with_their_reviewing_states(staff):
    result = run(
        [review_row(), review_row(state="PER", cycle="1", reviewing_states="KEN")], user=staff
    )

    assert result.written and not result.problems
    assert (result.created, result.updated) == (2, 0)
    kenya = Review.objects.get(state__iso3="KEN", cycle=2)
    assert kenya.direct_dialogue == datetime.date(2018, 9, 1)
    assert kenya.executive_summary_published is True
    assert sorted(kenya.reviewing_states.values_list("iso3", flat=True)) == ["FRA", "PER"]
    assert kenya.history.first().history_user == staff


def test_a_row_for_an_existing_review_updates_it_and_an_identical_row_changes_nothing(staff):
    run([review_row()], user=staff)
    review = Review.objects.get(state__iso3="KEN", cycle=2)

    again = run([review_row()], user=staff)
    changed = run([review_row(country_report_completed="2019-06-01")], user=staff)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (changed.created, changed.updated) == (0, 1)
    review.refresh_from_db()
    assert review.country_report_completed == datetime.date(2019, 6, 1)
    assert review.version == 2
    assert Review.objects.count() == 1


def test_a_dry_run_counts_and_writes_nothing():
    factories.ReviewFactory(state=factories.state("PER"), cycle=2)

    result = run(
        [review_row(), review_row(state="PER", review_year="2019", reviewing_states="KEN")],
        dry_run=True,
    )

    assert not result.problems
    assert (result.created, result.updated, result.written) == (1, 1, False)
    assert not Review.objects.filter(state__iso3="KEN").exists()
    assert Review.objects.get(state__iso3="PER").review_year == 2018


def test_bad_rows_are_all_reported_and_nothing_is_written():
    rows = [
        review_row(),
        review_row(state="XYZ"),
        review_row(
            state="PER", cycle="3", executive_summary_published="maybe", reviewing_states=""
        ),
        review_row(state="FRA", direct_dialogue="2018-01-01", reviewing_states="KEN"),
        review_row(state="DEU", reviewing_states="DEU"),
    ]

    result = run(rows)

    assert result.rejected and not result.written
    assert result.messages() == [
        "row 3: state: 'XYZ' is not a known ISO 3166 alpha-3 code.",
        "row 4: cycle: '3' is not one of 1, 2.",
        "row 4: executive_summary_published: 'maybe' is neither true nor false.",
        "row 5: direct_dialogue: 2018-01-01 is before 2018-03-01, when the self-assessment "
        "checklist was submitted; the direct dialogue cannot be earlier.",
        "row 6: reviewing_states: a State cannot review itself.",
    ]
    assert not Review.objects.exists()


def test_publication_needs_a_completion_date():
    result = run([review_row(executive_summary_completed="", executive_summary_published="true")])

    assert [str(p) for p in result.problems] == [
        "row 2: executive_summary_published: An executive summary can only be published once "
        "it is completed: give its completion date."
    ]


def test_two_rows_for_one_state_and_cycle_are_refused():
    result = run([review_row(), review_row(review_year="2019")])

    assert result.messages() == [
        "row 3: state: row 2 is already about KEN in cycle 2; keep one row."
    ]


def test_a_file_without_its_columns_is_refused_as_a_whole():
    result = import_reviews(
        data=b"state,cycle\nKEN,2\n", filename="reviews.csv", user=None, dry_run=False
    )

    assert result.file_error.startswith("Missing columns: review_year, reviewing_states")
    assert result.messages() == [result.file_error]


def test_an_xlsx_file_is_read_like_a_csv_file():
    result = run([review_row()], fmt="xlsx")

    assert result.written and result.created == 1


def test_the_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "reviews.csv"
    path.write_bytes(reviews_file([review_row()]))

    call_command("import_reviews", str(path), "--dry-run")
    assert not Review.objects.exists()
    call_command("import_reviews", str(path))

    assert Review.objects.count() == 1
    assert "1 rows imported: 1 created" in capsys.readouterr().out


def test_the_command_fails_with_every_problem_on_a_bad_file(tmp_path, capsys):
    path = tmp_path / "reviews.csv"
    path.write_bytes(reviews_file([review_row(), review_row(state="ZZZ", cycle="9")]))

    with pytest.raises(CommandError, match="2 problems, so nothing was imported"):
        call_command("import_reviews", str(path))

    errors = capsys.readouterr().err
    assert "row 3: state: 'ZZZ' is not a known ISO 3166 alpha-3 code." in errors
    assert "row 3: cycle: '9' is not one of 1, 2." in errors
    assert not Review.objects.exists()


def test_the_command_exits_non_zero(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_bytes(reviews_file([review_row(state="ZZZ")]))

    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "import_reviews", str(path)]).execute()

    assert exit_info.value.code != 0
