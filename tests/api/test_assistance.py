import pytest

from assistance.models import DonorInterest
from needs.models import Coverage

pytestmark = pytest.mark.django_db


def test_an_activity_lists_only_the_linked_needs_the_caller_may_see(clients, api_data):
    activity = api_data["activity"]
    hidden = api_data["unpublished_need"]
    clients["staff"].post(
        f"/api/v1/activities/{activity.ref}/link/", {"need": hidden.ref}, format="json"
    )

    public = clients["anonymous"].get(f"/api/v1/activities/{activity.ref}/").json()
    staff = clients["staff"].get(f"/api/v1/activities/{activity.ref}/").json()

    assert [link["need"] for link in public["needs"]] == [api_data["published_need"].ref]
    assert {link["need"] for link in staff["needs"]} == {
        api_data["published_need"].ref,
        hidden.ref,
    }
    assert public["beneficiary_states"] == ["KEN"]
    assert public["funding"][0]["amount"] == "1000.00"


def test_linking_fully_makes_the_need_covered(clients, api_data):
    activity, need = api_data["activity"], api_data["other_need"]

    response = clients["staff"].post(
        f"/api/v1/activities/{activity.ref}/link/",
        {"need": need.ref, "extent": "full"},
        format="json",
    )

    assert response.status_code == 200
    need.refresh_from_db()
    assert need.coverage == Coverage.COVERED


def test_unlinking_a_need_that_is_not_linked_is_a_conflict(clients, api_data):
    response = clients["staff"].post(
        f"/api/v1/activities/{api_data['activity'].ref}/unlink/",
        {"need": api_data["other_need"].ref},
        format="json",
    )

    assert response.status_code == 409


def test_an_activity_with_end_before_start_is_refused_naming_the_field(clients, api_data):
    response = clients["staff"].patch(
        f"/api/v1/activities/{api_data['activity'].ref}/",
        {"start_date": "2024-05-01", "end_date": "2024-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]


def test_an_outdated_activity_version_gets_409(clients, api_data):
    ref = api_data["activity"].ref
    clients["staff"].patch(f"/api/v1/activities/{ref}/", {"title": "New"}, format="json")

    response = clients["staff"].patch(
        f"/api/v1/activities/{ref}/", {"title": "Newer", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["changes"]["title"]["current"] == "New"


def test_activities_filter_with_the_shared_filterset(clients, api_data):
    in_kenya = clients["anonymous"].get("/api/v1/activities/", {"state": "KEN"}).json()
    in_peru = clients["anonymous"].get("/api/v1/activities/", {"state": "PER"}).json()

    assert in_kenya["count"] == 1
    assert in_peru["count"] == 0


def test_the_public_never_sees_donor_interest(clients, api_data):
    assert clients["anonymous"].get("/api/v1/donor-interests/").status_code == 401
    listed = clients["focal_point"].get("/api/v1/donor-interests/").json()
    assert listed["count"] == 1


def test_a_donor_registers_interest_once_and_withdraws_it(clients, api_data, people):
    need = api_data["other_need"]
    body = {"need": need.ref, "kind": "interest", "note": "Could fund in 2026"}

    first = clients["donor"].post("/api/v1/donor-interests/", body, format="json")
    second = clients["donor"].post("/api/v1/donor-interests/", body, format="json")

    assert first.status_code == 201
    assert first.json()["donor"] == people["donor"].donor_id
    assert second.status_code == 409
    withdrawn = clients["donor"].post(f"/api/v1/donor-interests/{first.json()['id']}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["active"] is False
    again = clients["donor"].post(f"/api/v1/donor-interests/{first.json()['id']}/withdraw/")
    assert again.status_code == 409


def test_a_donor_cannot_register_interest_in_a_need_they_cannot_see(clients, api_data):
    response = clients["donor"].post(
        "/api/v1/donor-interests/",
        {"need": api_data["unpublished_need"].ref, "kind": "interest"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"need"}
    assert not DonorInterest.objects.filter(need=api_data["unpublished_need"]).exists()


def test_a_donor_cannot_withdraw_another_donors_interest(clients, api_data, other_donor):
    interest = api_data["interest"]
    interest.donor = other_donor.donor
    interest.save()

    response = clients["donor"].post(f"/api/v1/donor-interests/{interest.pk}/withdraw/")

    assert response.status_code == 403


def test_staff_record_funding_and_a_bad_year_is_named(clients, api_data):
    body = {
        "activity": api_data["activity"].ref,
        "donor": api_data["funding"].donor_id,
        "amount": "500.00",
        "year": 1800,
    }

    response = clients["staff"].post("/api/v1/funding/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year"}


def test_snapshots_are_listed_and_read_with_their_figures(clients, api_data):
    listed = clients["anonymous"].get("/api/v1/snapshots/").json()
    one = clients["anonymous"].get(f"/api/v1/snapshots/{api_data['snapshot'].pk}/").json()

    assert listed["results"][0]["label"] == "CAC/COSP/2025/6"
    assert one["views"] == [{"cycle": 2, "region": None, "figures": {"totals": {"needs": 1}}}]
