"""The import pages, the same for every kind of file: upload (one size limit), the job's page
(check, confirmation, progress) and the CSV templates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance.models import Activity
from core.models import ImportJob, ImportStatus
from needs.models import Need
from tests import factories
from tests.needs.import_files import (
    activities_file,
    activity_row,
    need_row,
    needs_file,
    review_row,
    reviews_file,
    signed_in,
)

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


STAFF_PAGES = [
    ("imports:upload", []),
    ("imports:template", ["needs"]),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("donor", 403), ("focal_point", 403), ("staff", 200), ("administrator", 200)],
)
def test_the_import_pages_are_for_staff_only(name, args, role, expected, people):
    response = signed_in(people[role]).get(reverse(name, args=args))

    assert response.status_code == expected


# --- Upload, check, confirmation, progress -------------------------------------------------
def upload(client, data: bytes, name="needs.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("imports:upload"),
        {"kind": "needs", "file": SimpleUploadedFile(name, data), **fields},
    )


def test_a_small_file_is_checked_then_imported_on_confirmation(staff_client, published_review):
    response = upload(staff_client, needs_file([need_row(), need_row(article="6")]))

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    page = staff_client.get(response["Location"])
    assert "2 rows checked, no problems" in " ".join(page.content.decode().split())
    assert "<strong>2</strong> to create" in page.content.decode()
    assert not Need.objects.exists()

    staff_client.post(reverse("imports:job_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert Need.objects.count() == 2
    assert job.data in (b"", memoryview(b""))  # the file is not kept once imported


def test_a_rejected_file_lists_every_problem_and_cannot_be_confirmed(
    staff_client, published_review
):
    upload(staff_client, needs_file([need_row(), need_row(category="x"), need_row(article="99")]))
    job = ImportJob.objects.get()

    page = staff_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    confirm = staff_client.post(reverse("imports:job_confirm", args=[job.pk]))

    assert job.status == ImportStatus.REJECTED
    assert "row 3: category: &#x27;x&#x27; is not a category code." in page
    assert "row 4: article: the Convention has no article 99." in page
    assert confirm.status_code == 409
    assert not Need.objects.exists()


def test_probable_duplicates_can_be_checked_again_and_imported(staff_client, published_review):
    factories.NeedFactory(review=published_review, description="Training for judges")
    upload(staff_client, needs_file([need_row(description="Training for judges")]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REJECTED

    staff_client.post(reverse("imports:job_recheck", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.allow_duplicates, len(job.duplicates)) == (
        ImportStatus.CHECKED,
        True,
        1,
    )
    staff_client.post(reverse("imports:job_confirm", args=[job.pk]))

    assert Need.objects.count() == 2


def test_only_the_uploader_confirms(staff_client, administrator, published_review):
    upload(staff_client, needs_file([need_row()]))
    job = ImportJob.objects.get()

    response = signed_in(administrator).post(reverse("imports:job_confirm", args=[job.pk]))

    assert response.status_code == 409
    assert "Only the person who uploaded the file" in response.content.decode()
    assert not Need.objects.exists()


def test_a_file_too_big_is_refused_with_its_size(staff_client, settings):
    settings.MAX_UPLOAD_BYTES = 1024

    response = upload(staff_client, b"x" * 2048)

    assert response.status_code == 413
    assert (
        "The file is 2.0\xa0KB; files of at most 1.0\xa0KB are accepted"
        in (response.context["form"].errors["file"][0])
    )
    assert not ImportJob.objects.exists()


def test_a_file_of_another_type_is_refused(staff_client):
    response = upload(staff_client, b"%PDF", name="needs.pdf")

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Upload a .csv or .xlsx file."]


def test_reviews_are_imported_from_the_same_page(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.needs.import_files import review_row, reviews_file

    staff_client.post(
        reverse("imports:upload"),
        {"kind": "reviews", "file": SimpleUploadedFile("r.csv", reviews_file([review_row()]))},
    )
    job = ImportJob.objects.get()
    staff_client.post(reverse("imports:job_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.kind, job.status, job.created_count) == ("reviews", ImportStatus.DONE, 1)


def test_the_status_endpoint_reports_progress(staff_client, staff):
    job = ImportJob.objects.create(
        kind="needs",
        filename="big.csv",
        data=b"",
        created_by=staff,
        in_worker=True,
        stage="checking",
        processed_rows=500,
        total_rows=2000,
    )

    status = staff_client.get(reverse("imports:job_status", args=[job.pk])).json()

    assert status == {
        "status": "checking",
        "status_label": "Checking the file",
        "stage": "checking",
        "stage_label": "Checking rows",
        "processed_rows": 500,
        "total_rows": 2000,
        "percent": 25,
        "running": True,
    }


def test_the_template_has_the_import_columns(staff_client):
    response = staff_client.get(reverse("imports:template", args=["needs"]))

    header = b"".join(response.streaming_content).decode("utf-8-sig").strip()
    assert header == (
        "ref,state,cycle,chapter,article,category,subcategory,themes,description,priority,"
        "status,identified_on,source_paragraph,source_excerpt,follows"
    )


# --- One page for every kind ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["reviews", "needs", "actions", "activities"])
def test_the_page_of_each_kind_documents_its_columns(staff_client, kind):
    page = staff_client.get(reverse("imports:upload"), {"kind": kind})

    assert page.status_code == 200
    assert page.context["importer"].kind == kind
    text = page.content.decode()
    for name in page.context["importer"].column_names:
        assert f"<code>{name}</code>" in text
    assert f'<input type="hidden" name="kind" value="{kind}">' in text


def test_the_activity_page_documents_codes_defaults_and_links(staff_client):
    text = staff_client.get(reverse("imports:upload"), {"kind": "activities"}).content.decode()

    assert "legal_advice, legislative_drafting" in text
    assert "(default: planned)" in text
    assert f'href="{reverse("assistance:provider_list")}"' in text
    # Only the need import finds probable duplicates.
    assert "allow_duplicates" not in text


@pytest.mark.parametrize("kind", ["payroll", "NEEDS", "x" * 300])
def test_an_unknown_kind_is_a_404(staff_client, kind):
    assert staff_client.get(reverse("imports:upload"), {"kind": kind}).status_code == 404
    assert staff_client.get(reverse("imports:template", args=[kind])).status_code == 404
    upload = SimpleUploadedFile("n.csv", needs_file([need_row()]))
    response = staff_client.post(reverse("imports:upload"), {"kind": kind, "file": upload})
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_activities_are_uploaded_checked_then_imported_on_confirmation(staff_client, provider):
    upload = SimpleUploadedFile("a.csv", activities_file([activity_row()]))

    response = staff_client.post(reverse("imports:upload"), {"kind": "activities", "file": upload})

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    page = staff_client.get(response["Location"]).content.decode()
    assert "1 row checked, no problems" in " ".join(page.split())
    assert not Activity.objects.exists()
    staff_client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.kind, job.status, job.created_count) == ("activities", ImportStatus.DONE, 1)
    assert Activity.objects.filter(ref="A-1").exists()
    page = staff_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert f'<a href="{reverse("assistance:activity_list")}">See the activities</a>' in page


def test_a_6_mib_activities_file_is_accepted(staff_client, provider, settings):
    assert 20 * MiB == settings.MAX_UPLOAD_BYTES  # the documented default
    settings.IMPORT_IN_WORKER_ABOVE_ROWS = 100_000  # checked during the request, not by a worker
    rows = [
        activity_row(ref=f"A-{n}", description=f"Activity {n}: " + "x" * 15_000) for n in range(430)
    ]
    data = activities_file(rows)
    assert 6 * MiB <= len(data) < 7 * MiB

    response = staff_client.post(
        reverse("imports:upload"),
        {"kind": "activities", "file": SimpleUploadedFile("big.csv", data)},
    )

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.size, job.status, job.created_count) == (len(data), ImportStatus.CHECKED, 430)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("reviews", reviews_file([review_row()] * 40)),
        ("needs", needs_file([need_row()] * 40)),
        ("activities", activities_file([activity_row()] * 40)),
    ],
)
def test_a_file_over_the_limit_is_refused_with_its_size_for_every_kind(
    staff_client, settings, kind, data
):
    settings.MAX_UPLOAD_BYTES = 1024
    assert len(data) > 2048

    response = staff_client.post(
        reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile("f.csv", data)}
    )

    assert response.status_code == 413
    assert "files of at most 1.0\xa0KB are accepted" in response.context["form"].errors["file"][0]
    assert "files of at most 1.0\xa0KB are accepted" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_recent_imports_name_their_kind(staff_client, staff):
    ImportJob.objects.create(kind="activities", filename="a.csv", data=b"", created_by=staff)

    text = staff_client.get(reverse("imports:upload")).content.decode()

    assert "a.csv</a>" in text and "— activities, checking the file" in text
