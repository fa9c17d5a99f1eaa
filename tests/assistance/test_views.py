import pytest
from django.urls import reverse

from assistance.models import Activity, ActivityNeedLink, Donor, FundingContribution, Provider
from needs.models import Coverage, Need
from tests import factories

pytestmark = pytest.mark.django_db


def activity_form_data(activity=None, **changes):
    data = {
        "ref": "ACT-NEW",
        "title": "Legislative drafting on asset recovery",
        "description": "",
        "activity_type": "legislative_drafting",
        "level": "national",
        "provider": "",
        "beneficiary_states": [],
        "start_date": "2024-01-01",
        "end_date": "2024-06-30",
        "status": "planned",
        "delivery_mode": "remote",
        "budget": "",
        "budget_currency": "USD",
    }
    if activity is not None:
        data.update(
            ref=activity.ref,
            title=activity.title,
            activity_type=activity.activity_type,
            level=activity.level,
            provider=activity.provider_id,
            version=activity.version,
        )
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["anonymous", "donor", "focal_point", "staff"])
def test_everyone_reads_the_activity_list_and_detail(client, people, role, activity):
    if role != "anonymous":
        client.force_login(people[role])
    assert client.get(reverse("assistance:activity_list")).status_code == 200
    detail = client.get(reverse("assistance:activity_detail", args=[activity.ref]))
    assert detail.status_code == 200
    assert (b"link-form" in detail.content) == (role == "staff")


@pytest.mark.parametrize(
    "name,args",
    [
        ("activity_create", []),
        ("provider_list", []),
        ("donor_list", []),
        ("provider_create", []),
        ("donor_create", []),
    ],
)
def test_only_staff_open_the_management_pages(client, people, name, args):
    url = reverse(f"assistance:{name}", args=args)
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for role in ("donor", "focal_point", "other_focal_point"):
        client.force_login(people[role])
        assert client.get(url).status_code == 403, role
    client.force_login(people["staff"])
    assert client.get(url).status_code == 200


def test_non_staff_cannot_write(client, people, activity, published_need):
    client.force_login(people["focal_point"])
    urls = [
        reverse("assistance:activity_edit", args=[activity.ref]),
        reverse("assistance:activity_delete", args=[activity.ref]),
        reverse("assistance:activity_link_need", args=[activity.ref]),
        reverse("assistance:funding_add", args=[activity.ref]),
    ]
    for url in urls:
        assert (
            client.post(url, {"need_ref": published_need.ref, "extent": "full"}).status_code == 403
        )
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityNeedLink.objects.exists()


def test_staff_create_an_activity(client, staff, provider, home_state):
    client.force_login(staff)
    data = activity_form_data(provider=provider.pk, beneficiary_states=[home_state.pk])
    response = client.post(reverse("assistance:activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(ref="ACT-NEW")
    assert list(activity.beneficiary_states.all()) == [home_state]


def test_a_duplicate_ref_or_bad_dates_get_a_400_with_messages(client, staff, activity):
    client.force_login(staff)
    data = activity_form_data(provider=activity.provider_id, ref=activity.ref)
    response = client.post(reverse("assistance:activity_create"), data)
    assert response.status_code == 400
    assert "ref" in response.context["form"].errors
    data = activity_form_data(provider=activity.provider_id, end_date="2023-01-01")
    response = client.post(reverse("assistance:activity_create"), data)
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors


def test_a_stale_edit_is_refused_with_409_and_shows_what_changed(client, staff, activity):
    client.force_login(staff)
    url = reverse("assistance:activity_edit", args=[activity.ref])
    opened = activity_form_data(activity)
    assert client.post(url, {**opened, "title": "First editor"}).status_code == 302
    response = client.post(url, {**opened, "title": "Second editor"})
    assert response.status_code == 409
    assert b"First editor" in response.content
    assert b'data-testid="conflict"' in response.content
    assert Activity.objects.get(pk=activity.pk).title == "First editor"
    # The form now carries the current version: saving again is a deliberate overwrite.
    resubmitted = {**opened, "title": "Second editor", "version": 2}
    assert client.post(url, resubmitted).status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "Second editor"


def test_staff_link_and_unlink_a_need_by_ref(client, staff, activity, published_need):
    client.force_login(staff)
    link_url = reverse("assistance:activity_link_need", args=[activity.ref])
    response = client.post(link_url, {"need_ref": published_need.ref.lower(), "extent": "full"})
    assert response.status_code == 302
    assert Need.objects.get(pk=published_need.pk).coverage == Coverage.COVERED
    detail = client.get(reverse("assistance:activity_detail", args=[activity.ref]))
    assert b'data-coverage="covered"' in detail.content
    unlink_url = reverse("assistance:activity_unlink_need", args=[activity.ref, published_need.ref])
    assert client.post(unlink_url).status_code == 302
    assert Need.objects.get(pk=published_need.pk).coverage == Coverage.UNMET


def test_linking_an_unknown_need_gets_a_400(client, staff, activity):
    client.force_login(staff)
    url = reverse("assistance:activity_link_need", args=[activity.ref])
    response = client.post(url, {"need_ref": "N-NOPE", "extent": "full"})
    assert response.status_code == 400
    assert b"There is no need with reference N-NOPE" in response.content


def test_staff_add_and_remove_funding(client, staff, activity):
    donor = factories.DonorFactory()
    client.force_login(staff)
    url = reverse("assistance:funding_add", args=[activity.ref])
    bad = client.post(url, {"donor": donor.pk, "amount": "-5", "currency": "USD", "year": 2024})
    assert bad.status_code == 400
    good = client.post(url, {"donor": donor.pk, "amount": "500", "currency": "usd", "year": 2024})
    assert good.status_code == 302
    contribution = FundingContribution.objects.get()
    assert contribution.currency == "USD"
    remove = reverse("assistance:funding_remove", args=[activity.ref, contribution.pk])
    assert client.post(remove).status_code == 302
    assert not FundingContribution.objects.exists()


def test_the_import_page_checks_then_imports_on_confirmation(client, staff, provider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    url = reverse("imports:upload")
    upload = SimpleUploadedFile(
        "a.csv", b"ref,title,type,level,provider\nA-1,Fine,training,national,UNODC\n"
    )
    checked = client.post(url, {"kind": "activities", "file": upload}, follow=True)
    assert checked.status_code == 200
    assert b"1 row checked, no problems" in b" ".join(checked.content.split())
    assert not Activity.objects.exists()
    confirm = reverse("imports:job_confirm", args=[checked.context["job"].pk])
    assert client.post(confirm).status_code == 302
    assert Activity.objects.filter(ref="A-1").exists()
    # The confirmed file is imported: confirming again imports nothing twice.
    assert client.post(confirm).status_code == 409
    assert Activity.objects.count() == 1


def test_the_import_page_lists_problems(client, staff, provider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    upload = SimpleUploadedFile("a.csv", b"ref,title,type,level,provider\nA-1,,x,national,UNODC\n")
    response = client.post(
        reverse("imports:upload"), {"kind": "activities", "file": upload}, follow=True
    )
    assert response.context["job"].status == "rejected"
    assert b"row 2: title: required" in response.content


def test_the_former_import_address_sends_staff_to_the_import_page(client, people):
    url = reverse("assistance:activity_import")
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for role in ("donor", "focal_point", "other_focal_point"):
        client.force_login(people[role])
        assert client.get(url).status_code == 403, role
    client.force_login(people["staff"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:upload") + "?kind=activities"


def test_staff_create_and_edit_providers_and_donors(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("assistance:provider_create"), {"name": "UNDP", "short_name": "UNDP"}
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="UNDP")
    client.post(
        reverse("assistance:provider_edit", args=[provider.pk]),
        {"name": "United Nations Development Programme", "short_name": "UNDP"},
    )
    provider.refresh_from_db()
    assert provider.name == "United Nations Development Programme"
    response = client.post(
        reverse("assistance:donor_create"), {"name": "Norway", "kind": "government"}
    )
    assert response.status_code == 302
    duplicate = client.post(
        reverse("assistance:donor_create"), {"name": "Norway", "kind": "government"}
    )
    assert duplicate.status_code == 400
    assert Donor.objects.filter(name="Norway").count() == 1


def test_the_activity_list_filters_and_rejects_bad_input(client, activity, provider, other_state):
    peru = factories.ActivityFactory(provider=provider)
    peru.beneficiary_states.set([other_state])
    response = client.get(reverse("assistance:activity_list"), {"state": "PER"})
    assert [a.ref for a in response.context["page"]] == [peru.ref]
    assert client.get(reverse("assistance:activity_list"), {"year": "x"}).status_code == 400


@pytest.mark.parametrize(
    "name,query,nothing",
    [
        ("activity_list", {"need": "N-NOPE"}, b"No activity matches these filters."),
        ("activity_list", {"q": "nothing-like-this"}, b"No activity matches these filters."),
        ("provider_list", {"q": "nothing-like-this"}, b"No provider recorded."),
        ("donor_list", {"q": "nothing-like-this"}, b"No donor recorded."),
    ],
)
def test_valid_filters_that_match_nothing_say_so(client, staff, activity, name, query, nothing):
    """An empty page is not an invalid filter: the list says nothing matches."""
    client.force_login(staff)
    response = client.get(reverse(f"assistance:{name}"), query)
    assert response.status_code == 200
    assert nothing in response.content
    assert b"Some filters are not valid" not in response.content


def test_deleting_an_activity_asks_first_then_recomputes_coverage(
    client, staff, activity, published_need
):
    ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    Need.objects.filter(pk=published_need.pk).update(coverage=Coverage.COVERED)
    client.force_login(staff)
    url = reverse("assistance:activity_delete", args=[activity.ref])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert b"link to 1 need" in confirm.content
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert client.post(url).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert Need.objects.get(pk=published_need.pk).coverage == Coverage.UNMET
