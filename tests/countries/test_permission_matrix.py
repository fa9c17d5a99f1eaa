"""Who may do what with a State's data: every role against every action, in one table.

The State is Kenya (`home_state`); "focal_point" is its focal point, "other_focal_point" the
focal point of Peru. Writes target Kenya's published need and published review, which every
role can see, so a refusal is a refusal to act (403, or sign in first), not a 404.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from needs.models import Acceptance, Need, NeedComment, Status
from tests import factories

ALLOWED, DENIED = "allowed", "denied"
ACTIONS = (
    "view published",
    "view unpublished",
    "confirm",
    "change status",
    "propose",
    "edit review",
    "download",
    "view proposals",
    "view interest",
)
EXPECTED = {
    #                    view pub  view unpub confirm  status   propose  edit rev download unpub
    #                    proposals interest
    "anonymous":         (ALLOWED, DENIED,  DENIED,  DENIED,  DENIED,  DENIED, DENIED,
                          DENIED,  DENIED),
    "donor":             (ALLOWED, DENIED,  DENIED,  DENIED,  DENIED,  DENIED, DENIED,
                          DENIED,  ALLOWED),
    "focal_point":       (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, DENIED, ALLOWED,
                          ALLOWED, ALLOWED),
    "other_focal_point": (ALLOWED, DENIED,  DENIED,  DENIED,  DENIED,  DENIED, DENIED,
                          DENIED,  ALLOWED),
    "staff":             (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED,
                          ALLOWED, ALLOWED),
}  # fmt: skip
CASES = [
    pytest.param(role, action, outcomes[index], id=f"{role}-{action.replace(' ', '_')}")
    for role, outcomes in EXPECTED.items()
    for index, action in enumerate(ACTIONS)
]
KENYA_PAGE = reverse("countries:state_detail", args=["KEN"])
KENYA_NEEDS = reverse("countries:state_needs", args=["KEN"])


def assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403


def view_published(client, data):
    assert client.get(KENYA_PAGE).status_code == 200
    response = client.get(KENYA_NEEDS)
    assert response.status_code == 200
    return data["published_need"].description in response.content.decode()


def view_unpublished(client, data):
    response = client.get(KENYA_PAGE)
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    shown = data["unpublished_need"].description in client.get(KENYA_NEEDS).content.decode()
    first_cycle = html[html.index('"review-cycle-1"') : html.index('"review-cycle-2"')]
    assert ("Self-assessment checklist submitted" in first_cycle) == shown
    return shown


def confirm(client, data, role):
    need = data["published_need"]
    response = client.post(reverse("needs:need_confirm", args=[need.pk]))
    need.refresh_from_db()
    if need.last_confirmed_on == timezone.localdate():
        assert response.status_code == 302
        return True
    assert_refused(response, role)
    return False


def change_status(client, data, role):
    need = data["published_need"]
    response = client.post(
        reverse("needs:need_status", args=[need.pk]),
        {"status": Status.MET, "comment": "Done", "version": need.version},
    )
    need.refresh_from_db()
    if need.status == Status.MET:
        assert response.status_code == 302
        assert NeedComment.objects.filter(need=need, text="Done").exists()
        return True
    assert_refused(response, role)
    assert not NeedComment.objects.exists()
    return False


def propose(client, data, role):
    response = client.post(
        reverse("needs:need_propose", args=["KEN"]),
        {
            "placement": "article:5",
            "category": factories.category("capacity_building").pk,
            "description": "A proposed need",
        },
    )
    if Need.objects.filter(description="A proposed need", acceptance=Acceptance.PROPOSED):
        assert response.status_code == 302
        return True
    assert_refused(response, role)
    return False


def edit_review(client, data, role):
    review = data["published_review"]
    response = client.post(
        reverse("reviews:review_edit", args=[review.pk]),
        {
            "state": review.state_id,
            "cycle": review.cycle,
            "review_year": 2020,
            "self_assessment_submitted": "2018-03-01",
            "direct_dialogue": "2018-09-01",
            "executive_summary_completed": "2019-02-01",
            "executive_summary_published": "on",
            "version": review.version,
        },
    )
    review.refresh_from_db()
    if review.review_year == 2020:
        assert response.status_code == 302
        return True
    assert_refused(response, role)
    return False


def download(client, data):
    response = client.get(reverse("needs:need_export", args=["csv"]), {"state": "KEN"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert data["published_need"].ref in text
    assert data["other_state_unpublished_need"].ref not in text
    return data["unpublished_need"].ref in text


def view_proposals(client, data, role):
    response = client.get(reverse("countries:state_proposals", args=["KEN"]))
    if response.status_code == 200:
        assert data["proposal"].description in response.content.decode()
        return True
    assert_refused(response, role)
    return False


def view_interest(client, data, role):
    response = client.get(reverse("countries:state_interest", args=["KEN"]))
    if response.status_code == 200:
        assert data["interest"].donor.name in response.content.decode()
        return True
    assert_refused(response, role)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_who_may_do_what(
    role,
    action,
    expected,
    people,
    client_as,
    published_review,
    published_need,
    unpublished_need,
    other_state,
):
    data = {
        "published_review": published_review,
        "published_need": published_need,
        "unpublished_need": unpublished_need,
        "proposal": factories.NeedFactory(
            review=published_review,
            description="Proposed need for a witness protection unit",
            acceptance=Acceptance.PROPOSED,
        ),
        "interest": factories.DonorInterestFactory(need=published_need),
        "other_state_unpublished_need": factories.NeedFactory(
            review=factories.ReviewFactory(
                state=other_state,
                executive_summary_completed=None,
                executive_summary_published=False,
            )
        ),
    }
    client = client_as(people[role])
    act = {
        "view published": lambda: view_published(client, data),
        "view unpublished": lambda: view_unpublished(client, data),
        "confirm": lambda: confirm(client, data, role),
        "change status": lambda: change_status(client, data, role),
        "propose": lambda: propose(client, data, role),
        "edit review": lambda: edit_review(client, data, role),
        "download": lambda: download(client, data),
        "view proposals": lambda: view_proposals(client, data, role),
        "view interest": lambda: view_interest(client, data, role),
    }[action]

    assert (ALLOWED if act() else DENIED) == expected
