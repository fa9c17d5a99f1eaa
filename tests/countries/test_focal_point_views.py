import pytest
from django.urls import reverse
from django.utils import timezone

from needs.models import Acceptance, Need, NeedComment, Status
from tests import factories

pytestmark = pytest.mark.django_db

KENYA_PAGE = reverse("countries:state_detail", args=["KEN"])
KENYA_NEEDS = reverse("countries:state_needs", args=["KEN"])
KENYA_PROPOSALS = reverse("countries:state_proposals", args=["KEN"])
PROPOSE = reverse("needs:need_propose", args=["KEN"])
PROPOSALS = reverse("needs:proposals")


def status_url(need):
    return reverse("needs:need_status", args=[need.pk])


def confirm_url(need):
    return reverse("needs:need_confirm", args=[need.pk])


def decide_url(need):
    return reverse("needs:proposal_decide", args=[need.pk])


def proposal_data(**overrides):
    data = {
        "placement": "article:5",
        "category": factories.category("capacity_building").pk,
        "description": "Training of the new asset declaration office",
        "priority": "high",
        "themes": [factories.theme("training").pk],
    }
    data.update(overrides)
    return data


# --- Confirm ------------------------------------------------------------------------------
def test_confirming_keeps_the_date_and_the_person(client_as, focal_point, stale_need):
    response = client_as(focal_point).post(confirm_url(stale_need))

    stale_need.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"{KENYA_NEEDS}#need-{stale_need.pk}"
    assert stale_need.last_confirmed_on == timezone.localdate()
    assert stale_need.last_confirmed_by == focal_point


def test_the_page_shows_the_new_confirmation_date(client_as, focal_point, stale_need):
    client = client_as(focal_point)

    response = client.post(confirm_url(stale_need), follow=True)

    html = response.content.decode()
    today = timezone.localdate()
    row = html[html.index(f'id="need-{stale_need.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"{today.day} {today:%b %Y}" in row
    assert f"by {focal_point.get_full_name()}" in row
    assert "Possibly stale" not in row
    assert f"Need {stale_need.ref} confirmed as still relevant" in html


def test_confirming_needs_a_post(client_as, focal_point, stale_need):
    assert client_as(focal_point).get(confirm_url(stale_need)).status_code == 405


def test_another_states_unpublished_need_is_not_found(
    client_as, other_focal_point, unpublished_need
):
    response = client_as(other_focal_point).post(confirm_url(unpublished_need))

    unpublished_need.refresh_from_db()
    assert response.status_code == 404
    assert unpublished_need.last_confirmed_on is None


def test_confirming_ignores_a_redirect_to_another_site(client_as, focal_point, stale_need):
    response = client_as(focal_point).post(
        confirm_url(stale_need), {"next": "https://evil.example/"}
    )

    assert response["Location"] == f"{KENYA_NEEDS}#need-{stale_need.pk}"


def test_confirming_returns_to_the_page_of_needs_the_person_was_reading(
    client_as, focal_point, published_review
):
    factories.NeedFactory.create_batch(51, review=published_review)
    last = Need.objects.order_by("id").last()
    client = client_as(focal_point)
    page = client.get(KENYA_NEEDS, {"page": 2}).content.decode()
    assert f'name="next" value="{KENYA_NEEDS}?page=2#need-{last.pk}"' in page

    response = client.post(confirm_url(last), {"next": f"{KENYA_NEEDS}?page=2#need-{last.pk}"})

    assert response["Location"] == f"{KENYA_NEEDS}?page=2#need-{last.pk}"


def test_confirming_from_the_summary_returns_to_what_is_left_to_confirm(
    client_as, focal_point, stale_need
):
    client = client_as(focal_point)
    page = client.get(KENYA_PAGE).content.decode()
    assert f'name="next" value="{KENYA_PAGE}#to-confirm"' in page
    assert f'data-testid="confirm-{stale_need.ref}"' in page

    response = client.post(confirm_url(stale_need), {"next": f"{KENYA_PAGE}#to-confirm"})

    assert response["Location"] == f"{KENYA_PAGE}#to-confirm"
    after = client.get(KENYA_PAGE).content.decode()
    assert f'data-testid="confirm-{stale_need.ref}"' not in after
    assert "Nothing to confirm" in after


# --- Change status --------------------------------------------------------------------------
def test_changing_the_status_keeps_the_comment_in_the_trail(client_as, focal_point, published_need):
    client = client_as(focal_point)

    response = client.post(
        status_url(published_need),
        {"status": Status.IN_PROGRESS, "comment": "UNODC mentor arrives in March", "version": 1},
    )

    published_need.refresh_from_db()
    comment = NeedComment.objects.get(need=published_need)
    assert response.status_code == 302
    assert published_need.status == Status.IN_PROGRESS
    assert (comment.author, comment.text) == (focal_point, "UNODC mentor arrives in March")
    assert (comment.status_from, comment.status_to) == (Status.UNMET, Status.IN_PROGRESS)
    page = client.get(KENYA_NEEDS).content.decode()
    assert "UNODC mentor arrives in March" in page
    assert "Unmet → Assistance planned or under way" in page
    form_page = client.get(status_url(published_need)).content.decode()
    assert "UNODC mentor arrives in March" in form_page


def test_a_status_change_returns_to_where_it_was_opened(client_as, focal_point, published_need):
    back = f"{KENYA_NEEDS}?status=unmet#need-{published_need.pk}"
    client = client_as(focal_point)
    form = client.get(status_url(published_need), {"next": back}).content.decode()
    assert f'name="next" value="{back}"' in form

    response = client.post(
        status_url(published_need),
        {"status": Status.MET, "comment": "Done", "version": 1, "next": back},
    )
    evil = client.post(
        status_url(published_need),
        {"status": Status.UNMET, "comment": "Undone", "version": 2, "next": "//evil.example/"},
    )

    assert response["Location"] == back
    assert evil["Location"] == f"{KENYA_NEEDS}#need-{published_need.pk}"


def test_a_status_change_without_a_reason_is_refused(client_as, focal_point, published_need):
    response = client_as(focal_point).post(
        status_url(published_need), {"status": Status.MET, "comment": "   ", "version": 1}
    )

    published_need.refresh_from_db()
    assert response.status_code == 400
    assert "Say why the status changes." in response.content.decode()
    assert published_need.status == Status.UNMET


def test_choosing_the_current_status_is_refused(client_as, focal_point, published_need):
    response = client_as(focal_point).post(
        status_url(published_need), {"status": Status.UNMET, "comment": "Still", "version": 1}
    )

    assert response.status_code == 400
    assert "already “Unmet”" in response.content.decode()
    assert not NeedComment.objects.exists()


def test_a_status_change_over_a_newer_edit_is_refused(
    client_as, focal_point, staff, published_need
):
    from needs.services import need_set_status

    need_set_status(need=published_need, status=Status.MET, comment="Done", user=staff)

    response = client_as(focal_point).post(
        status_url(published_need),
        {"status": Status.PARTIALLY_MET, "comment": "Half done", "version": 1},
    )

    published_need.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else saved this record" in response.content.decode()
    assert published_need.status == Status.MET
    assert response.context["form"]["version"].value() == published_need.version


def test_an_unknown_status_gets_a_400(client_as, focal_point, published_need):
    response = client_as(focal_point).post(
        status_url(published_need), {"status": "solved", "comment": "x", "version": 1}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# --- Propose ------------------------------------------------------------------------------
def test_a_focal_point_proposes_a_need(client_as, focal_point, published_review):
    client = client_as(focal_point)

    response = client.post(PROPOSE, proposal_data())

    need = Need.objects.get(description="Training of the new asset declaration office")
    assert response.status_code == 302
    assert response["Location"] == f"{KENYA_PROPOSALS}#need-{need.pk}"
    assert need.acceptance == Acceptance.PROPOSED
    assert need.proposed_by == focal_point
    assert need.review == published_review
    assert (need.chapter.roman, need.article.number) == ("II", 5)
    assert list(need.themes.values_list("code", flat=True)) == ["training"]
    page = client.get(KENYA_PAGE)
    assert need.description in page.content.decode()
    assert page.context["figures"]["total"] == 0  # not counted until staff accept it


def test_a_proposal_about_a_chapter_in_general(client_as, focal_point, published_review):
    chapter = factories.chapter("V")

    response = client_as(focal_point).post(PROPOSE, proposal_data(placement="chapter:V"))

    need = Need.objects.get(acceptance=Acceptance.PROPOSED)
    assert response.status_code == 302
    assert (need.chapter, need.article) == (chapter, None)


def test_only_the_cycles_reviewed_are_offered(client_as, focal_point, published_review):
    response = client_as(focal_point).get(PROPOSE)

    html = response.content.decode()
    assert "Cycle 2 — Chapter II" in html
    assert "Cycle 1 — Chapter III" not in html  # Kenya has no first-cycle review here
    refused = client_as(focal_point).post(PROPOSE, proposal_data(placement="article:15"))
    assert refused.status_code == 400
    assert not Need.objects.exists()


def test_a_subcategory_of_another_category_is_refused(client_as, focal_point, published_review):
    other = factories.category("legislative_assistance").subcategories.get(code="legal_advice")

    response = client_as(focal_point).post(PROPOSE, proposal_data(subcategory=other.pk))

    assert response.status_code == 400
    # Said next to the field by the form (the staff form's words), before the service.
    assert "is not a subcategory of" in response.content.decode()
    assert not Need.objects.exists()


def test_a_proposal_without_description_or_article_is_refused(
    client_as, focal_point, published_review
):
    response = client_as(focal_point).post(PROPOSE, proposal_data(placement="", description=" "))

    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html  # the article
    assert "Describe the need." in html
    assert not Need.objects.exists()


def test_a_state_without_review_has_nothing_to_propose_for(client_as, staff, other_state):
    assert client_as(staff).get(reverse("needs:need_propose", args=["PER"])).status_code == 403


# --- Proposals for staff ----------------------------------------------------------------------
def test_staff_see_the_proposals_waiting(client_as, staff, proposal, published_need):
    response = client_as(staff).get(PROPOSALS)

    refs = [need.ref for need in response.context["proposals"]]
    assert refs == [proposal.ref]
    assert proposal.description in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "donor", "focal_point", "other_focal_point"])
def test_only_staff_see_the_proposals(client_as, people, role, proposal):
    response = client_as(people[role]).get(PROPOSALS)

    assert response.status_code == (302 if role == "anonymous" else 403)


def test_staff_accept_a_proposal(client_as, staff, proposal):
    response = client_as(staff).post(decide_url(proposal), {"decision": "accept"})

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.acceptance == Acceptance.ACCEPTED


def test_declining_needs_a_reason_that_the_focal_point_sees(
    client_as, staff, focal_point, proposal
):
    client = client_as(staff)
    refused = client.post(decide_url(proposal), {"decision": "decline", "reason": ""})
    proposal.refresh_from_db()
    assert refused.status_code == 400
    assert "Say why the proposal is declined." in refused.content.decode()
    assert proposal.acceptance == Acceptance.PROPOSED

    client.post(decide_url(proposal), {"decision": "decline", "reason": "Already covered"})

    proposal.refresh_from_db()
    assert proposal.acceptance == Acceptance.DECLINED
    page = client_as(focal_point).get(KENYA_PAGE).content.decode()
    assert "Declined" in page


def test_deciding_twice_is_refused(client_as, staff, proposal):
    client = client_as(staff)
    client.post(decide_url(proposal), {"decision": "accept"})

    response = client.post(decide_url(proposal), {"decision": "decline", "reason": "No"})

    proposal.refresh_from_db()
    assert response.status_code == 409
    assert "not a proposal waiting for a decision" in response.content.decode()
    assert proposal.acceptance == Acceptance.ACCEPTED


def test_a_focal_point_cannot_decide_their_own_proposal(client_as, focal_point, proposal):
    response = client_as(focal_point).post(decide_url(proposal), {"decision": "accept"})

    proposal.refresh_from_db()
    assert response.status_code == 403
    assert proposal.acceptance == Acceptance.PROPOSED
