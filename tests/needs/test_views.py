"""Staff pages for needs: list with filters and export buttons, add/edit/delete from the
review page, and the import pages (upload, check, confirm, progress)."""

import pytest
from django.urls import reverse

from needs.models import ImportJob, ImportStatus, Need, Subcategory
from tests import factories
from tests.needs.import_files import need_row, needs_file, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


def need_form(**values) -> dict:
    form = {
        "placement": "article:5",
        "category": factories.category("capacity_building").pk,
        "subcategory": "",
        "themes": [factories.theme("training").pk, factories.theme("technology").pk],
        "description": "Training for judges on asset declarations",
        "priority": "high",
        "status": "unmet",
        "identified_on": "2019-02-01",
    }
    form.update(values)
    return form


STAFF_PAGES = [
    ("needs:need_list", []),
    ("needs:deleted_needs", []),
    ("needs:import_upload", []),
    ("needs:import_template", ["needs"]),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("donor", 403), ("focal_point", 403), ("staff", 200), ("administrator", 200)],
)
def test_need_pages_are_for_staff_only(name, args, role, expected, people):
    response = signed_in(people[role]).get(reverse(name, args=args))

    assert response.status_code == expected


@pytest.mark.parametrize("name", ["needs:need_edit", "needs:need_delete", "needs:need_history"])
def test_focal_points_cannot_edit_even_their_own_needs_here(name, people, published_need):
    response = signed_in(people["focal_point"]).get(reverse(name, args=[published_need.pk]))

    assert response.status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("needs:need_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_filters_and_offers_the_filtered_export(staff_client, published_review):
    factories.NeedFactory(review=published_review, description="Judges training", status="met")
    factories.NeedFactory(review=published_review, description="Asset recovery office")

    response = staff_client.get(reverse("needs:need_list"), {"status": "met", "state": "KEN"})

    assert [n.description for n in response.context["page"]] == ["Judges training"]
    page = response.content.decode()
    assert reverse("needs:need_export", args=["csv"]) + "?status=met&amp;state=KEN" in page
    assert reverse("needs:need_export", args=["xlsx"]) + "?status=met&amp;state=KEN" in page


def test_the_list_costs_the_same_queries_for_few_and_many_needs(
    staff_client, published_review, django_assert_max_num_queries
):
    factories.NeedFactory.create_batch(2, review=published_review)
    with django_assert_max_num_queries(16) as few:
        staff_client.get(reverse("needs:need_list"))
    for need in factories.NeedFactory.create_batch(60, review=published_review):
        need.themes.set(factories.Theme.objects.all()[:2])
    with django_assert_max_num_queries(16) as many:
        staff_client.get(reverse("needs:need_list"))

    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_add_form_offers_only_the_chapters_of_the_cycle(staff_client, published_review):
    response = staff_client.get(reverse("needs:need_create", args=[published_review.pk]))

    choices = response.context["form"].fields["placement"].choices
    groups = [label for label, _options in choices[1:]]
    values = [value for _label, options in choices[1:] for value, _text in options]
    assert [group.split(":")[0] for group in groups] == ["Chapter II", "Chapter V"]
    assert values[0] == "chapter:II" and "article:5" in values and "chapter:V" in values
    assert "article:15" not in values  # chapter III is reviewed in the first cycle


def test_staff_add_a_need_from_the_review_page(staff_client, staff, published_review):
    response = staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]), need_form()
    )

    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#need-{need.pk}")
    assert (need.review, need.chapter.roman, need.article.number) == (published_review, "II", 5)
    assert sorted(need.themes.values_list("code", flat=True)) == ["technology", "training"]
    assert need.history.first().history_user == staff


def test_a_need_about_a_chapter_in_general(staff_client, published_review):
    staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]),
        need_form(placement="chapter:V"),
    )

    need = Need.objects.get()
    assert (need.chapter.roman, need.article) == ("V", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"placement": "article:15"}, "placement", "Select a valid choice"),
        (
            {"subcategory": "legal_advice"},
            "subcategory",
            "is not a subcategory of “Capacity-building”",
        ),
        ({"description": "  "}, "description", "This field is required"),
        ({"priority": "urgent"}, "priority", "Select a valid choice"),
    ],
)
def test_each_mistake_is_explained_next_to_its_field(
    staff_client, published_review, changes, field, message
):
    if changes.get("subcategory"):
        changes["subcategory"] = Subcategory.objects.get(code=changes["subcategory"]).pk

    response = staff_client.post(
        reverse("needs:need_create", args=[published_review.pk]), need_form(**changes)
    )

    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Need.objects.exists()


def test_staff_edit_a_need(staff_client, published_need):
    url = reverse("needs:need_edit", args=[published_need.pk])
    initial = staff_client.get(url).context["form"].initial

    response = staff_client.post(
        url, need_form(description="Updated text", version=initial["version"], themes=[])
    )

    assert response.status_code == 302
    published_need.refresh_from_db()
    assert published_need.description == "Updated text"
    assert published_need.version == 2


def test_staff_delete_a_need(staff_client, published_need):
    response = staff_client.post(reverse("needs:need_delete", args=[published_need.pk]))

    assert response.status_code == 302
    assert not Need.objects.exists()


# --- Import pages --------------------------------------------------------------------------
def upload(client, data: bytes, name="needs.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("needs:import_upload"),
        {"kind": "needs", "file": SimpleUploadedFile(name, data), **fields},
    )


def test_a_small_file_is_checked_then_imported_on_confirmation(staff_client, published_review):
    response = upload(staff_client, needs_file([need_row(), need_row(article="6")]))

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("needs:import_job", args=[job.pk])
    page = staff_client.get(response["Location"])
    assert "2 rows checked, no problems" in " ".join(page.content.decode().split())
    assert "<strong>2</strong> to create" in page.content.decode()
    assert not Need.objects.exists()

    staff_client.post(reverse("needs:import_job_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert Need.objects.count() == 2
    assert job.data in (b"", memoryview(b""))  # the file is not kept once imported


def test_a_rejected_file_lists_every_problem_and_cannot_be_confirmed(
    staff_client, published_review
):
    upload(staff_client, needs_file([need_row(), need_row(category="x"), need_row(article="99")]))
    job = ImportJob.objects.get()

    page = staff_client.get(reverse("needs:import_job", args=[job.pk])).content.decode()
    confirm = staff_client.post(reverse("needs:import_job_confirm", args=[job.pk]))

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

    staff_client.post(reverse("needs:import_job_recheck", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.allow_duplicates, len(job.duplicates)) == (
        ImportStatus.CHECKED,
        True,
        1,
    )
    staff_client.post(reverse("needs:import_job_confirm", args=[job.pk]))

    assert Need.objects.count() == 2


def test_only_the_uploader_confirms(staff_client, administrator, published_review):
    upload(staff_client, needs_file([need_row()]))
    job = ImportJob.objects.get()

    response = signed_in(administrator).post(reverse("needs:import_job_confirm", args=[job.pk]))

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
        reverse("needs:import_upload"),
        {"kind": "reviews", "file": SimpleUploadedFile("r.csv", reviews_file([review_row()]))},
    )
    job = ImportJob.objects.get()
    staff_client.post(reverse("needs:import_job_confirm", args=[job.pk]))

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

    status = staff_client.get(reverse("needs:import_job_status", args=[job.pk])).json()

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
    response = staff_client.get(reverse("needs:import_template", args=["needs"]))

    header = b"".join(response.streaming_content).decode("utf-8-sig").strip()
    assert header == (
        "ref,state,cycle,chapter,article,category,subcategory,themes,description,priority,"
        "status,identified_on"
    )
