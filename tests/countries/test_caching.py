"""The summary's caches: the public's page whole, everyone's shared part per audience. What one
audience sees never reaches another, and a write shows at once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assistance.services import interest_register
from core.models import Role
from needs.models import Status
from needs.services import need_set_status
from reviews.services import review_update
from tests import factories

pytestmark = pytest.mark.django_db

KENYA_PAGE = reverse("countries:state_detail", args=["KEN"])
# What only Kenya's focal point (and staff) may see on the summary.
PRIVATE = (
    'data-testid="to-confirm"',
    'data-testid="propose-link"',
    "Proposed need for a witness protection unit",
    'data-testid="need-total">3<',  # the unpublished need counted
)


def first_cycle(html: str) -> str:
    html = " ".join(html.split())
    return html[html.index('"review-cycle-1"') : html.index('"review-cycle-2"')]


def token_of(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def built(response) -> bool:
    """Whether the page was rendered for this request (not served whole from the cache)."""
    return response.context is not None


def shared_part_built(response) -> bool:
    return built(response) and "by_status" in response.context


def test_the_public_summary_is_served_from_the_cache_with_each_visitors_own_token(
    client, kenya_page, django_assert_max_num_queries
):
    first = client.get(KENYA_PAGE)
    assert built(first)

    other_visitor = Client(enforce_csrf_checks=True)
    with django_assert_max_num_queries(1):  # the data version
        again = other_visitor.get(KENYA_PAGE)

    assert not built(again)
    assert again.status_code == 200
    page = again.content.decode()
    assert "csrf-token-slot" not in page
    switched = other_visitor.post(
        reverse("set_language"),
        {"language": "fr", "next": KENYA_PAGE, "csrfmiddlewaretoken": token_of(page)},
    )
    assert switched.status_code == 302
    first_page = first.content.decode()
    assert page.replace(token_of(page), "") == first_page.replace(token_of(first_page), "")


def test_the_public_summary_is_kept_per_language(client, kenya_page):
    english = client.get(KENYA_PAGE).content.decode()
    french = client.get(KENYA_PAGE, HTTP_ACCEPT_LANGUAGE="fr")

    assert built(french)
    assert 'lang="fr"' in french.content.decode()
    assert 'lang="en"' in english


@pytest.mark.parametrize("warmed_by", ["focal_point", "staff"])
def test_private_content_never_reaches_another_audience(client_as, people, kenya_page, warmed_by):
    private = client_as(people[warmed_by]).get(KENYA_PAGE).content.decode()
    for marker in PRIVATE:
        assert marker in private, marker
    assert "Self-assessment checklist submitted" in first_cycle(private)

    for role in ("anonymous", "donor", "other_focal_point"):
        for _ in range(2):  # built, then from the cache
            html = client_as(people[role]).get(KENYA_PAGE).content.decode()
            for marker in PRIVATE:
                assert marker not in html, (role, marker)
            assert "Self-assessment checklist submitted" not in first_cycle(html), role
            assert 'data-testid="need-total">2<' in html


def test_the_public_page_never_reaches_a_signed_in_person(client_as, people, kenya_page):
    client_as(people["anonymous"]).get(KENYA_PAGE)

    response = client_as(people["focal_point"]).get(KENYA_PAGE)
    html = response.content.decode()

    assert built(response)
    assert people["focal_point"].email in html
    for marker in PRIVATE:
        assert marker in html, marker


def test_an_audience_shares_its_part_and_a_new_interest_shows_at_once(
    client_as, people, kenya_page
):
    """Two donors share the summary's part and its list of interest, until an interest is
    registered: then both see it on their next visit."""
    first_donor = client_as(people["donor"]).get(KENYA_PAGE)
    other_donor = factories.make_user(Role.DONOR, username="donor2")
    other = client_as(other_donor).get(KENYA_PAGE)

    assert shared_part_built(first_donor)
    assert not shared_part_built(other)
    assert "Freedonia Fund" in other.content.decode()

    interest_register(
        donor=other_donor.donor,
        need=kenya_page["stale_need"],
        kind="interest",
        note="Our own note",
        user=other_donor,
    )
    for donor in (people["donor"], other_donor):
        assert "Our own note" in client_as(donor).get(KENYA_PAGE).content.decode()


# Each of these tests makes one write: inside a test's transaction the data version moves on
# once, as it does once per transaction (core.changes.data_changed).
def test_a_change_of_status_shows_at_once(client_as, people, kenya_page):
    anonymous = client_as(people["anonymous"])
    focal = client_as(people["focal_point"])
    assert 'data-testid="need-unmet">2<' in anonymous.get(KENYA_PAGE).content.decode()
    assert 'data-testid="need-unmet">3<' in focal.get(KENYA_PAGE).content.decode()

    need_set_status(
        need=kenya_page["published_need"],
        status=Status.MET,
        comment="Done",
        user=people["staff"],
        seen_version=1,
    )

    assert 'data-testid="need-unmet">1<' in anonymous.get(KENYA_PAGE).content.decode()
    assert 'data-testid="need-unmet">2<' in focal.get(KENYA_PAGE).content.decode()


def test_a_review_published_shows_at_once(client_as, people, kenya_page, unpublished_review):
    anonymous = client_as(people["anonymous"])
    before = anonymous.get(KENYA_PAGE).content.decode()
    assert "Self-assessment checklist submitted" not in first_cycle(before)

    review_update(
        review=unpublished_review,
        user=people["staff"],
        executive_summary_completed=datetime.date(2019, 2, 1),
        executive_summary_published=True,
    )

    public = anonymous.get(KENYA_PAGE).content.decode()
    assert "Self-assessment checklist submitted" in first_cycle(public)
    assert 'data-testid="need-total">3<' in public


def test_a_confirmation_shows_at_once(client_as, people, kenya_page):
    focal = client_as(people["focal_point"])
    anonymous = client_as(people["anonymous"])
    assert 'data-testid="need-stale">2<' in anonymous.get(KENYA_PAGE).content.decode()
    assert 'data-testid="need-stale">3<' in focal.get(KENYA_PAGE).content.decode()

    focal.post(reverse("needs:need_confirm", args=[kenya_page["stale_need"].pk]))

    assert 'data-testid="need-stale">1<' in anonymous.get(KENYA_PAGE).content.decode()
    assert 'data-testid="need-stale">2<' in focal.get(KENYA_PAGE).content.decode()


def test_the_cache_follows_the_day_staleness_is_counted_from(
    client_as, people, kenya_page, settings
):
    anonymous = client_as(people["anonymous"])
    assert 'data-testid="need-stale">2<' in anonymous.get(KENYA_PAGE).content.decode()

    settings.NEED_STALE_AFTER_DAYS = 365 * 20

    assert 'data-testid="need-stale">0<' in anonymous.get(KENYA_PAGE).content.decode()


def test_a_query_string_is_not_cached_whole(client_as, people, kenya_page):
    anonymous = client_as(people["anonymous"])
    anonymous.get(KENYA_PAGE)

    with_query = anonymous.get(KENYA_PAGE, {"utm_source": "mail"})

    assert built(with_query)
    assert not shared_part_built(with_query)  # the audience's part still comes from the cache


def sections_built(response) -> bool:
    """Whether the summary's signed-in sections were rendered for this request."""
    return built(response) and "to_confirm" in response.context


def test_the_focal_points_sections_are_shared_with_each_persons_own_token(
    people, home_state, kenya_page
):
    """A second focal point of the State gets the sections the first one's visit rendered,
    with their own CSRF token in the confirm forms, which post."""
    first = Client(enforce_csrf_checks=True)
    first.force_login(people["focal_point"])
    first_page = first.get(KENYA_PAGE)
    second = Client(enforce_csrf_checks=True)
    second.force_login(factories.make_user(Role.FOCAL_POINT, username="focal2", state=home_state))
    second_page = second.get(KENYA_PAGE)

    assert sections_built(first_page)
    assert not sections_built(second_page)
    page = second_page.content.decode()
    need = kenya_page["stale_need"]
    assert f'data-testid="confirm-{need.ref}"' in page
    assert "csrf-token-slot" not in page
    assert token_of(page) != token_of(first_page.content.decode())
    confirmed = second.post(
        reverse("needs:need_confirm", args=[need.pk]),
        {"csrfmiddlewaretoken": token_of(page), "next": f"{KENYA_PAGE}#to-confirm"},
    )
    assert confirmed.status_code == 302
    after = first.get(KENYA_PAGE).content.decode()
    assert f'data-testid="confirm-{need.ref}"' not in after


def test_the_focal_points_sections_are_kept_per_language_and_address(client_as, people, kenya_page):
    focal = client_as(people["focal_point"])
    english = focal.get(KENYA_PAGE)
    french = focal.get(KENYA_PAGE, HTTP_ACCEPT_LANGUAGE="fr")
    with_query = focal.get(KENYA_PAGE, {"utm_source": "mail"})

    assert sections_built(english) and sections_built(french) and sections_built(with_query)
    assert "Waiting for confirmation" in english.content.decode()
    assert "En attente de confirmation" in french.content.decode()
    # The confirm forms come back to the address they were on.
    assert f'value="{KENYA_PAGE}?utm_source=mail#to-confirm"' in with_query.content.decode()


# --- The needs section's list ---------------------------------------------------------------
KENYA_NEEDS = reverse("countries:state_needs", args=["KEN"])


def test_the_needs_list_is_kept_and_a_change_shows_at_once(client_as, people, kenya_page):
    focal_point = client_as(people["focal_point"])
    first = focal_point.get(KENYA_NEEDS)
    need = kenya_page["stale_need"]
    assert f'data-testid="confirm-{need.ref}"' in first.content.decode()

    need_set_status(need=need, status=Status.MET, comment="Done", user=people["focal_point"])
    after = focal_point.get(KENYA_NEEDS).content.decode()

    row = after[after.index(f'id="need-{need.pk}"') :]
    assert "Done" in row[: row.index("</tr>")]


def test_the_needs_list_carries_each_persons_own_token_and_stays_in_its_audience(
    client_as, people, kenya_page
):
    staff_page = client_as(people["staff"]).get(KENYA_NEEDS).content.decode()
    focal = Client(enforce_csrf_checks=True)
    focal.force_login(people["focal_point"])
    focal_page = focal.get(KENYA_NEEDS).content.decode()
    public_page = client_as(people["anonymous"]).get(KENYA_NEEDS).content.decode()

    assert "csrf-token-slot" not in focal_page
    assert token_of(focal_page) != token_of(staff_page)
    assert kenya_page["unpublished_need"].ref in focal_page
    assert kenya_page["unpublished_need"].ref not in public_page
    assert 'data-testid="confirm-' not in public_page
    need = kenya_page["stale_need"]
    confirmed = focal.post(
        reverse("needs:need_confirm", args=[need.pk]),
        {"csrfmiddlewaretoken": token_of(focal_page), "next": KENYA_NEEDS},
    )
    assert confirmed.status_code == 302


def test_the_needs_section_is_kept_with_its_filters_and_their_errors(
    client_as, people, kenya_page, django_assert_max_num_queries
):
    focal_point = client_as(people["focal_point"])
    first = focal_point.get(KENYA_NEEDS, {"status": "unmet"})
    with django_assert_max_num_queries(7):  # no filter, page or list query
        again = focal_point.get(KENYA_NEEDS, {"status": "unmet"})
    invalid = [focal_point.get(KENYA_NEEDS, {"cycle": "9"}) for _ in range(2)]

    assert "needs" in first.context
    assert "needs" not in again.context and "form" not in again.context
    html = " ".join(again.content.decode().split())
    assert 'name="status" value="unmet" id="id_status_0" checked>' in html
    assert 'href="/needs/export/csv/?state=KEN&amp;acceptance=accepted&amp;status=unmet"' in html
    assert kenya_page["stale_need"].ref in html
    assert "form" in invalid[0].context and "form" not in invalid[1].context
    for response in invalid:
        assert response.status_code == 400
        assert 'data-testid="need-filter-errors"' in response.content.decode()
