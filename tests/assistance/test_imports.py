import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assistance.imports import import_activities
from assistance.models import Activity, ActivityNeedLink, FundingContribution
from needs.models import Coverage, Need
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "ref,title,type,level,provider,beneficiary_states,start_date,end_date,status,"
    "budget,currency,funding,needs\n"
)


@pytest.fixture
def norway(db):
    return factories.DonorFactory(name="Norway", short_name="NO")


def csv_bytes(*rows, header=HEADER):
    return (header + "".join(row + "\n" for row in rows)).encode()


def test_a_good_file_is_checked_then_imported(provider, norway, published_need, staff):
    data = csv_bytes(
        f"A-1,Mentoring,mentoring,national,UNODC,KEN;PER,2024-01-01,2024-12-31,ongoing,1000,usd,"
        f"NO:500:EUR:2024,{published_need.ref}:full"
    )
    report = import_activities(data, "a.csv", dry_run=True, user=staff)
    assert not report.rejected and (report.created, report.updated) == (1, 0)
    assert not Activity.objects.exists()
    report = import_activities(data, "a.csv", dry_run=False, user=staff)
    assert report.written
    activity = Activity.objects.get(ref="A-1")
    assert {s.iso3 for s in activity.beneficiary_states.all()} == {"KEN", "PER"}
    assert activity.budget_currency == "USD"
    assert FundingContribution.objects.get().currency == "EUR"
    assert Need.objects.get(pk=published_need.pk).coverage == Coverage.COVERED
    assert activity.history.latest().history_user == staff


def test_every_bad_row_is_reported_and_nothing_is_written(provider, norway):
    data = csv_bytes(
        "A-1,Good,training,national,UNODC,KEN,,,,,,,",
        "A-2,,lecture,planet,Nobody,XXX,2024-13-01,,,abc,,NO:0:EUR:year,N-NOPE:most",
        "A-1,Again,training,national,UNODC,,,,,,,,",
    )
    report = import_activities(data, "a.csv", dry_run=False)
    assert not Activity.objects.exists()
    problems = "\n".join(report.messages())
    for expected in (
        "row 3: title: required",
        "row 3: type: 'lecture' is not one of",
        "row 3: level: 'planet'",
        "row 3: provider: no provider named 'Nobody'",
        "row 3: beneficiary_states: unknown State code 'XXX'",
        "row 3: start_date: '2024-13-01' is not a date",
        "row 3: budget: 'abc' is not a number",
        "row 3: funding: amount '0' must be more than 0",
        "row 3: funding: 'year' is not a year",
        "row 3: needs: no need with reference 'N-NOPE'",
        "row 4: ref: 'A-1' is also in row 2",
    ):
        assert expected in problems


def test_a_rule_checked_by_the_database_rolls_back_the_whole_file(provider):
    data = csv_bytes(
        "A-1,Fine,training,national,UNODC,,,,,,,,",
        "A-2,Dates,training,national,UNODC,,2024-05-01,2024-01-01,,,,,",
    )
    report = import_activities(data, "a.csv", dry_run=False)
    assert report.messages() == ["row 3: end_date: The end date is before the start date."]
    assert not Activity.objects.exists()


def test_a_row_with_an_existing_ref_updates_it_and_replaces_its_links(
    activity, published_review, staff
):
    first, second = factories.NeedFactory.create_batch(2, review=published_review)
    ActivityNeedLink.objects.create(activity=activity, need=first, extent="full")
    Need.objects.filter(pk=first.pk).update(coverage=Coverage.COVERED)
    data = csv_bytes(
        f"{activity.ref},New title,training,national,UNODC,,,,,,,,{second.ref}",
        header="ref,title,type,level,provider,beneficiary_states,start_date,end_date,status,"
        "budget,currency,funding,needs\n",
    )
    report = import_activities(data, "a.csv", dry_run=False, user=staff)
    assert (report.created, report.updated) == (0, 1)
    activity.refresh_from_db()
    assert activity.title == "New title"
    assert activity.version == 2
    assert [link.need for link in activity.need_links.all()] == [second]
    assert Need.objects.get(pk=first.pk).coverage == Coverage.UNMET
    assert Need.objects.get(pk=second.pk).coverage == Coverage.PARTLY_COVERED


def test_columns_left_out_leave_existing_data_alone(activity, home_state):
    data = csv_bytes(
        f"{activity.ref},Renamed,training,national,UNODC",
        header="ref,title,type,level,provider\n",
    )
    assert import_activities(data, "a.csv", dry_run=False).written
    assert list(activity.beneficiary_states.all()) == [home_state]


def test_unknown_and_missing_columns_are_file_errors(provider):
    assert (
        "Missing columns: provider"
        in import_activities(
            b"ref,title,type,level\nA,B,training,global\n", "a.csv", dry_run=True
        ).file_error
    )
    assert (
        "Unknown columns: colour"
        in import_activities(
            b"ref,title,type,level,provider,colour\n", "a.csv", dry_run=True
        ).file_error
    )


def test_xlsx_files_are_read_with_spreadsheet_row_numbers(provider):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ref", "title", "type", "level", "provider"])
    sheet.append(["A-1", "Fine", "training", "national", "UNODC"])
    sheet.append(["A-2", "Bad", "training", "nowhere", "UNODC"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_activities(buffer.getvalue(), "a.xlsx", dry_run=True)
    assert report.messages() == ["row 3: level: 'nowhere' is not one of global, regional, national"]


def test_the_export_reads_back_as_the_same_activities(
    client, staff, activity, norway, published_need
):
    FundingContribution.objects.create(activity=activity, donor=norway, amount=10, year=2024)
    ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    client.force_login(staff)
    response = client.get("/assistance/activities.csv")
    data = b"".join(response.streaming_content)
    report = import_activities(data, "export.csv", dry_run=False)
    assert report.written and report.updated == 1
    activity.refresh_from_db()
    assert activity.funding.get().amount == 10
    assert activity.need_links.get().extent == "full"


def test_the_command_reports_problems_and_fails(tmp_path, provider, capsys):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes("A-1,Fine,training,nowhere,UNODC,,,,,,,,"))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_activities", str(path))
    assert "row 2: level:" in capsys.readouterr().err


def test_the_command_dry_run_writes_nothing(tmp_path, provider, capsys):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes("A-1,Fine,training,national,UNODC,,,,,,,,"))
    call_command("import_activities", str(path), "--dry-run")
    assert "would create 1" in capsys.readouterr().out
    assert not Activity.objects.exists()
    call_command("import_activities", str(path))
    assert Activity.objects.filter(ref="A-1").exists()
