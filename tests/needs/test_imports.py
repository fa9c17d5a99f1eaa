"""Import of needs: checked first, written whole or not at all, updates by ref, duplicates."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from needs.imports import import_needs
from needs.models import Need, Status
from needs.services import need_delete, need_restore, need_update
from tests import factories
from tests.needs.import_files import need_row, needs_file

pytestmark = pytest.mark.django_db


def run(rows, *, dry_run=False, user=None, fmt="csv", **options):
    return import_needs(
        data=needs_file(rows, fmt), filename=f"needs.{fmt}", user=user, dry_run=dry_run, **options
    )


@pytest.fixture
def review(published_review):
    """Kenya, cycle 2 (chapters II and V)."""
    return published_review


def test_it_creates_needs_with_their_codes_resolved(review, staff):
    rows = [
        need_row(
            subcategory="preventive_tools",
            themes="training; technology",
            priority="High",
            status="in_progress",
            identified_on="2019-02-01",
        ),
        need_row(chapter="V", article="", category="legislative_assistance", description="Law"),
    ]

    result = run(rows, user=staff)

    assert result.written and (result.created, result.updated) == (2, 0)
    first, second = Need.objects.order_by("id")
    assert (first.chapter.roman, first.article.number, first.subcategory.code) == (
        "II",
        5,
        "preventive_tools",
    )
    assert sorted(first.themes.values_list("code", flat=True)) == ["technology", "training"]
    assert (first.priority, first.status, first.identified_on) == (
        "high",
        "in_progress",
        datetime.date(2019, 2, 1),
    )
    assert first.ref.startswith("N-") and first.review == review
    assert (second.chapter.roman, second.article, second.status) == ("V", None, Status.UNMET)


def test_history_records_the_user_and_the_themes(review, staff):
    run([need_row(themes="training")], user=staff)
    need = Need.objects.get()

    [entry] = need.history.all()

    assert entry.history_user == staff
    assert entry.history_type == "+"
    assert entry.history_change_reason == "Imported from needs.csv"
    assert list(entry.themes.values_list("theme__code", flat=True)) == ["training"]


def test_an_imported_need_deleted_then_restored_gets_its_themes_back(review, staff):
    run([need_row(themes="training;gender")], user=staff)
    need = Need.objects.get()
    need_delete(need=need, user=staff)
    deletion = Need.history.get(history_type="-")

    restored = need_restore(history_id=deletion.history_id, user=staff)

    assert sorted(restored.themes.values_list("code", flat=True)) == ["gender", "training"]


def test_a_dry_run_counts_creations_and_updates_and_writes_nothing(review):
    existing = factories.NeedFactory(review=review, ref="KEN-1", description="Old text")

    result = run(
        [need_row(ref="KEN-1", description="New text"), need_row(), need_row(ref="KEN-2")],
        dry_run=True,
    )

    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 2, 1, 0)
    assert not result.problems and not result.written
    existing.refresh_from_db()
    assert existing.description == "Old text"
    assert Need.objects.count() == 1


def test_three_bad_rows_write_nothing_and_are_exactly_the_rows_reported(review):
    rows = [need_row(description=f"Good need {n}") for n in range(10)]
    rows[2] = need_row(article="15")  # article 15 is in chapter III, not reviewed in cycle 2
    rows[5] = need_row(category="no_such_category")
    rows[8] = need_row(state="PER")  # Peru has no cycle 2 review

    result = run(rows)

    assert not result.written
    assert result.messages() == [
        "row 4: article: Article 15 is not in chapter II.",
        "row 7: category: 'no_such_category' is not a category code.",
        "row 10: state: there is no review of PER in cycle 2; import or create it first.",
    ]
    assert not Need.objects.exists()


def test_every_kind_of_bad_cell_is_explained(review):
    result = run(
        [
            need_row(
                chapter="III",
                subcategory="legal_advice",
                themes="training;nope",
                priority="urgent",
                status="done",
                identified_on="2019-31-12",
                description="",
            ),
            need_row(cycle="x", chapter="IX", article="500"),
        ]
    )

    assert result.messages() == [
        "row 2: article: Article 5 is not in chapter III.",
        "row 2: chapter: Chapter III is not reviewed in cycle 2.",
        "row 2: description: is required.",
        "row 2: identified_on: '2019-31-12' is not a date written as YYYY-MM-DD.",
        "row 2: priority: 'urgent' is not one of high, medium, low.",
        "row 2: status: 'done' is not one of unmet, in_progress, partially_met, met, obsolete.",
        "row 2: subcategory: Subcategory legal_advice does not belong to category "
        "capacity_building.",
        "row 2: themes: 'nope' is not a theme code.",
        "row 3: article: the Convention has no article 500.",
        "row 3: chapter: 'IX' is not a chapter of the Convention (I to VIII).",
        "row 3: cycle: 'x' is not one of 1, 2.",
    ]


def test_a_row_with_a_known_ref_updates_that_need_instead_of_duplicating_it(review, staff):
    need = factories.NeedFactory(review=review, ref="KEN-1", description="Old text")
    need.themes.set([factories.theme("training")])

    result = run([need_row(ref="KEN-1", description="New text", themes="gender")], user=staff)

    assert (result.created, result.updated) == (0, 1)
    need.refresh_from_db()
    assert need.description == "New text"
    assert list(need.themes.values_list("code", flat=True)) == ["gender"]
    assert need.version == 2
    latest = need.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user) == ("~", staff)
    assert list(latest.themes.values_list("theme__code", flat=True)) == ["gender"]
    assert Need.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing(review, staff):
    rows = [need_row(ref="KEN-1", themes="training"), need_row(ref="KEN-2", article="")]
    run(rows, user=staff)
    history_before = Need.history.count()

    again = run(rows, user=staff)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Need.objects.count() == 2
    assert Need.history.count() == history_before


def test_a_row_with_an_unknown_ref_creates_a_need_keeping_that_ref(review):
    run([need_row(ref="LEGACY-17")])

    assert Need.objects.get().ref == "LEGACY-17"


def test_an_empty_status_keeps_the_status_of_an_existing_need(review):
    need = factories.NeedFactory(review=review, ref="KEN-1", status=Status.MET)

    result = run([need_row(ref="KEN-1", description=need.description, identified_on="2019-02-01")])

    need.refresh_from_db()
    assert need.status == Status.MET
    assert result.unchanged == 1


def test_a_column_left_out_leaves_that_field_as_it_is(review):
    need = factories.NeedFactory(review=review, ref="KEN-1", priority="high")
    need.themes.set([factories.theme("training")])
    data = b"ref,state,cycle,chapter,article,category,description\n"
    data += f"KEN-1,KEN,2,II,5,capacity_building,{need.description}\n".encode()

    result = import_needs(data=data, filename="needs.csv", user=None, dry_run=False)

    assert result.unchanged == 1
    need.refresh_from_db()
    assert need.priority == "high"
    assert list(need.themes.values_list("code", flat=True)) == ["training"]


def test_a_need_cannot_move_to_another_review(review):
    factories.ReviewFactory(state=factories.state("PER"), cycle=2)
    factories.NeedFactory(review=review, ref="KEN-1")

    result = run([need_row(ref="KEN-1", state="PER")])

    assert result.messages() == [
        "row 2: state: need KEN-1 belongs to another review; a need cannot move to another "
        "review (leave out its ref to create a new need)."
    ]


def test_a_ref_given_twice_is_refused(review):
    result = run([need_row(ref="A-1"), need_row(ref="A-1", description="Other")])

    assert result.messages() == ["row 3: ref: A-1 is also on row 2."]


def test_a_probable_duplicate_is_reported_in_the_dry_run_and_rejects_the_file(review):
    existing = factories.NeedFactory(review=review, description="Training for judges")

    rows = [need_row(description="  training for JUDGES "), need_row(description="Other need")]
    checked = run(rows, dry_run=True)
    imported = run(rows)

    expected = [
        f"row 2: description: probable duplicate of need {existing.ref} (same review, article, "
        "category and description); give the row that need's ref to update it instead."
    ]
    assert checked.messages() == expected
    assert [str(d) for d in checked.duplicates] == expected
    assert imported.messages() == expected and not imported.written
    assert Need.objects.count() == 1


def test_rows_repeating_each_other_are_probable_duplicates_too(review):
    result = run([need_row(), need_row(), need_row(article="6")])

    assert [str(d) for d in result.duplicates] == [
        "row 3: description: probable duplicate of row 2 (same review, article, category and "
        "description); give the row that need's ref to update it instead."
    ]


def test_probable_duplicates_are_imported_when_asked(review):
    factories.NeedFactory(review=review, description="Training for judges")

    result = run([need_row(description="Training for judges")], allow_duplicates=True)

    assert result.written and len(result.duplicates) == 1 and not result.problems
    assert Need.objects.count() == 2


def test_a_need_saved_after_the_check_is_not_overwritten(review, staff):
    need = factories.NeedFactory(review=review, ref="KEN-1", description="Old text")
    checked = run([need_row(ref="KEN-1", description="From the file")], dry_run=True)
    need_update(need=need, user=staff, seen_version=1, description="A colleague's edit")

    result = run(
        [need_row(ref="KEN-1", description="From the file")], seen_versions=checked.seen_versions
    )

    assert result.messages() == [
        "row 2: ref: need KEN-1 was saved by someone else after the file was checked; check "
        "the file again to see the current values."
    ]
    need.refresh_from_db()
    assert need.description == "A colleague's edit"


def test_an_xlsx_file_is_read_like_a_csv_file(review):
    result = run([need_row(description="=cmd|' /C calc'!A0", article="")], fmt="xlsx")

    assert result.written
    assert Need.objects.get().description == "=cmd|' /C calc'!A0"


def test_an_unreadable_file_is_refused_as_a_whole(review):
    result = import_needs(data=b"\xff\xfe\x00", filename="needs.csv", user=None, dry_run=True)

    assert result.rejected and "not UTF-8" in result.file_error


def test_the_command_checks_imports_and_exits_non_zero_on_rejection(
    review, tmp_path, capsys, staff
):
    good = tmp_path / "good.csv"
    good.write_bytes(needs_file([need_row()]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(needs_file([need_row(), need_row(category="x")], "xlsx"))

    call_command("import_needs", str(good), "--dry-run")
    assert not Need.objects.exists()
    call_command("import_needs", str(good), "--user", staff.username)
    assert Need.objects.get().history.first().history_user == staff
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_needs", str(bad))

    assert "row 3: category: 'x' is not a category code." in capsys.readouterr().err
    assert Need.objects.count() == 1


def test_the_command_reports_duplicates_and_imports_them_when_asked(review, tmp_path):
    factories.NeedFactory(review=review, description="Training for judges")
    path = tmp_path / "needs.csv"
    path.write_bytes(needs_file([need_row(description="Training for judges")]))

    with pytest.raises(CommandError):
        call_command("import_needs", str(path))
    call_command("import_needs", str(path), "--allow-duplicates")

    assert Need.objects.count() == 2


def test_cells_written_unusually_are_read_as_the_row_by_row_check_reads_them(review, staff):
    # The common row is checked by dictionary lookups; any other goes through the check
    # that explains each cell. Both must read a valid row the same way.
    usual = need_row(
        ref="KEN-7",
        subcategory="preventive_tools",
        themes="technology;training",
        priority="high",
        status="in_progress",
        identified_on="2019-02-01",
        description="Usual spelling",
    )
    unusual = need_row(
        ref="KEN-8",
        state="ken",
        article="+5",
        category="Capacity_Building",
        subcategory="PREVENTIVE_TOOLS",
        themes=" Training ; technology;training ",
        priority="HIGH",
        status="In_Progress",
        identified_on="2019-02-01",
        description="Unusual spelling",
    )

    result = run([usual, unusual], user=staff)

    assert result.written and result.created == 2
    first, second = Need.objects.order_by("id")
    fields = ("review_id", "chapter_id", "article_id", "category_id", "subcategory_id")
    fields += ("priority", "status", "identified_on", "acceptance", "version")
    assert [getattr(first, name) for name in fields] == [getattr(second, name) for name in fields]
    assert set(first.themes.all()) == set(second.themes.all())
    assert (first.ref, second.ref) == ("KEN-7", "KEN-8")


def test_text_with_tabs_newlines_and_backslashes_is_stored_as_written(review, staff):
    description = 'Line one\twith a tab\nline two \\N, a backslash \\ and "quotes"'

    result = run([need_row(description=description, themes="training")], user=staff)

    assert result.written
    need = Need.objects.get()
    assert need.description == description
    [entry] = need.history.all()
    assert entry.description == description and entry.ref == need.ref
    assert list(entry.themes.values_list("theme__code", flat=True)) == ["training"]


def test_every_new_need_gets_its_own_history_entry_with_its_own_themes(review, staff):
    rows = [
        need_row(description="No theme"),
        need_row(description="Two themes", themes="gender;training"),
        need_row(description="One theme", themes="technology", article=""),
    ]

    run(rows, user=staff)

    for need in Need.objects.all():
        [entry] = need.history.all()
        assert (entry.history_type, entry.history_user, entry.description) == (
            "+",
            staff,
            need.description,
        )
        assert sorted(entry.themes.values_list("theme_id", flat=True)) == sorted(
            need.themes.values_list("id", flat=True)
        )
    assert Need.history.count() == 3


def test_the_search_column_is_filled_for_imported_needs(review, staff):
    run([need_row(description="Forensic accounting for investigators")], user=staff)

    assert Need.objects.filter(search_vector="forensic").exists()
