import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import FundingContribution
from needs.models import Acceptance, Need, NeedComment, Status
from tests import factories

pytestmark = pytest.mark.django_db

KENYA_PAGE = reverse("countries:state_detail", args=["KEN"])
STATE_LIST = reverse("countries:state_list")


def row_of(html: str, iso3: str) -> str:
    start = html.index(f'data-iso3="{iso3}"')
    return html[start : html.index("</tr>", start)]


# --- /states/ -----------------------------------------------------------------------------
def test_the_list_shows_every_state_party(client_as, people, home_state):
    response = client_as(people["anonymous"]).get(STATE_LIST)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == factories.State.objects.filter(is_party=True).count()
    assert all(state.is_party for state, _ in rows)


def test_the_list_filters_by_region(client_as, people, home_state, other_state):
    region = home_state.regional_group

    response = client_as(people["anonymous"]).get(STATE_LIST, {"region": region.code})

    states = [state for state, _ in response.context["rows"]]
    assert home_state in states
    assert other_state not in states
    assert {state.regional_group_id for state in states} == {region.pk}


def test_the_list_rejects_an_unknown_region_with_a_400(client_as, people):
    response = client_as(people["anonymous"]).get(STATE_LIST, {"region": "atlantis"})

    assert response.status_code == 400
    assert "atlantis" in response.content.decode()


def test_the_list_counts_the_needs_each_person_may_see(
    client_as, people, published_need, unpublished_need, proposal
):
    Need.objects.filter(pk=published_need.pk).update(status=Status.MET)
    factories.NeedFactory(review=published_need.review, status=Status.UNMET)

    public = client_as(people["anonymous"]).get(STATE_LIST).content.decode()
    own = client_as(people["focal_point"]).get(STATE_LIST).content.decode()

    # Published: 2 needs, 1 unmet. The focal point also sees the unpublished (unmet) need;
    # the proposal counts for nobody until staff accept it.
    assert '<td class="text-end">2</td>\n      <td class="text-end">1</td>' in row_of(public, "KEN")
    assert '<td class="text-end">3</td>\n      <td class="text-end">2</td>' in row_of(own, "KEN")


def test_the_list_shows_each_cycle_review_stage(
    client_as, people, published_review, unpublished_review
):
    public = row_of(client_as(people["anonymous"]).get(STATE_LIST).content.decode(), "KEN")
    staff = row_of(client_as(people["staff"]).get(STATE_LIST).content.decode(), "KEN")

    assert "Executive summary published" in public
    assert "No published review" in public
    assert "Direct dialogue" in staff  # the unpublished review's furthest milestone


def test_the_list_costs_the_same_queries_for_few_or_many_states(
    client_as, people, published_need, django_assert_max_num_queries
):
    client = client_as(people["focal_point"])
    with CaptureQueriesContext(connection) as a_region:
        response = client.get(STATE_LIST, {"region": "african"})
    assert len(response.context["rows"]) > 40
    with CaptureQueriesContext(connection) as one_state:
        response = client.get(STATE_LIST, {"region": "african", "q": "Kenya"})
    assert len(response.context["rows"]) == 1

    assert len(a_region) == len(one_state)
    with django_assert_max_num_queries(8):
        client.get(STATE_LIST, {"region": "african"})


# --- /states/<iso3>/ ----------------------------------------------------------------------
def test_the_page_shows_published_data_to_the_public(client_as, people, kenya_page):
    response = client_as(people["anonymous"]).get(KENYA_PAGE)
    html = response.content.decode()

    assert response.status_code == 200
    assert kenya_page["published_need"].description in html
    assert kenya_page["unpublished_need"].description not in html
    assert kenya_page["proposal"].description not in html
    assert "No published review in this cycle." in html


def test_the_page_shows_no_personal_data_to_the_public(client_as, people, kenya_page):
    focal = people["focal_point"]
    need = kenya_page["published_need"]
    Need.objects.filter(pk=need.pk).update(
        last_confirmed_on=datetime.date(2026, 1, 5), last_confirmed_by=focal
    )

    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()

    assert "Legislation adopted, training still needed" in html  # the comment, without author
    for personal in (focal.get_full_name(), focal.email, focal.username, focal.last_name):
        assert personal not in html
    assert 'data-testid="focal-points"' not in html


def test_the_page_names_the_focal_point_to_signed_in_people(client_as, people, kenya_page):
    focal = people["focal_point"]
    need = kenya_page["published_need"]
    Need.objects.filter(pk=need.pk).update(
        last_confirmed_on=datetime.date(2026, 1, 5), last_confirmed_by=focal
    )

    html = client_as(people["donor"]).get(KENYA_PAGE).content.decode()

    assert focal.email in html
    assert f"by {focal.get_full_name()}" in html


def test_the_focal_point_sees_the_unpublished_review_and_proposals(client_as, people, kenya_page):
    html = client_as(people["focal_point"]).get(KENYA_PAGE).content.decode()

    assert kenya_page["unpublished_need"].description in html
    assert kenya_page["proposal"].description in html
    assert "Proposed by the focal point" in html
    assert 'data-testid="propose-link"' in html
    assert html.count('data-testid="confirm-') == 3  # every accepted need, not the proposal


def test_another_focal_point_sees_only_published_data_and_no_buttons(client_as, people, kenya_page):
    html = client_as(people["other_focal_point"]).get(KENYA_PAGE).content.decode()

    assert kenya_page["published_need"].description in html
    assert kenya_page["unpublished_need"].description not in html
    assert kenya_page["proposal"].description not in html
    assert 'data-testid="confirm-' not in html
    assert 'data-testid="propose-link"' not in html


def test_the_page_groups_needs_by_chapter_then_article(client_as, people, published_review):
    chapter = factories.chapter("II")
    general = factories.NeedFactory(
        review=published_review, chapter=chapter, article=None, description="General need"
    )
    article_9 = factories.NeedFactory(
        review=published_review, article=factories.article(9), description="Procurement need"
    )
    article_5 = factories.NeedFactory(
        review=published_review, article=factories.article(5), description="Policy need"
    )

    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()

    positions = [
        html.index(text)
        for text in (
            "Chapter II: Preventive measures",
            "Chapter in general",
            general.description,
            "Article 5",
            article_5.description,
            "Article 9",
            article_9.description,
        )
    ]
    assert positions == sorted(positions)


def test_the_page_flags_and_counts_possibly_stale_needs(client_as, people, kenya_page, settings):
    response = client_as(people["anonymous"]).get(KENYA_PAGE)
    html = response.content.decode()

    # Published needs: the stale one (2015), and one identified in 2019 and never confirmed.
    assert response.context["figures"]["stale"] == 2
    assert "2 possibly stale" in html
    assert html.count(">Possibly stale</span>") == 2

    settings.NEED_STALE_AFTER_DAYS = 365 * 20
    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()
    assert "possibly stale</span>" not in html
    assert ">Possibly stale</span>" not in html


def test_the_page_shows_the_timeline_and_reviewing_states(
    client_as, people, published_review, other_state
):
    published_review.reviewing_states.set([other_state])

    html = " ".join(client_as(people["anonymous"]).get(KENYA_PAGE).content.decode().split())

    assert "Self-assessment checklist submitted: 1 Mar 2018" in html
    assert "Executive summary completed: 1 Feb 2019" in html
    assert f'href="/states/{other_state.iso3}/">{other_state.name}</a>' in html


def test_the_page_shows_assistance_with_provider_and_donors(client_as, people, kenya_page):
    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()

    assert "Financial investigation course" in html
    assert "UNODC" in html
    assert "Ruritania Aid (50,000 USD, 2021)" in html
    assert "Mar 2021 \N{EN DASH} Jun 2021" in html


def test_the_donors_interest_is_shown_to_signed_in_people_only(client_as, people, kenya_page):
    public = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()
    donor = client_as(people["donor"]).get(KENYA_PAGE).content.decode()

    assert "Freedonia Fund" not in public
    assert 'id="interest"' not in public
    assert "Freedonia Fund" in donor


def test_the_charts_come_with_tables_of_the_same_figures(client_as, people, kenya_page):
    response = client_as(people["staff"]).get(KENYA_PAGE)
    html = response.content.decode()

    by_status = dict(response.context["by_status"])
    by_category = dict(response.context["by_category"])
    accepted = Need.objects.filter(review__state__iso3="KEN", acceptance=Acceptance.ACCEPTED)
    assert by_status["Unmet"] == accepted.filter(status=Status.UNMET).count()
    assert sum(by_status.values()) == accepted.count() == 3
    assert by_category["Capacity-building"] == 3
    assert html.count("<svg") >= 2
    assert 'aria-label="Needs of Kenya by category"' in html
    assert 'data-testid="by-category-table"' in html
    assert 'data-testid="by-status-table"' in html


def test_the_page_of_an_unknown_state_is_a_404(client_as, people):
    assert client_as(people["anonymous"]).get("/states/XXX/").status_code == 404


def test_a_lowercase_code_redirects_to_the_page(client_as, people, home_state):
    response = client_as(people["anonymous"]).get("/states/ken/")

    assert response.status_code == 302
    assert response["Location"] == KENYA_PAGE


def test_activities_link_to_their_page(client_as, people, kenya_page):
    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()

    activity = kenya_page["activity"]
    page = reverse("assistance:activity_detail", args=[activity.ref])
    assert f'<a href="{page}">{activity.title}</a>' in html
    assert client_as(people["anonymous"]).get(page).status_code == 200


def test_the_page_lists_the_latest_activities_and_links_to_all_of_them(
    client_as, people, home_state
):
    for month in range(1, 28):
        activity = factories.ActivityFactory(
            start_date=datetime.date(2020, 1, 1), title=f"A{month}"
        )
        activity.beneficiary_states.set([home_state])
    latest = factories.ActivityFactory(start_date=datetime.date(2024, 5, 1), title="Latest")
    latest.beneficiary_states.set([home_state])

    response = client_as(people["anonymous"]).get(KENYA_PAGE)

    shown = response.context["activities"]
    assert len(shown) == 25 and shown[0] == latest
    assert response.context["activity_total"] == 28
    html = response.content.decode()
    assert f'href="{reverse("assistance:activity_list")}?state=KEN"' in html
    assert "(25/28)" in html


def test_the_needs_can_be_narrowed_to_the_possibly_stale(client_as, people, kenya_page):
    fresh = kenya_page["unpublished_need"]
    Need.objects.filter(pk=fresh.pk).update(last_confirmed_on=datetime.date.today())

    response = client_as(people["focal_point"]).get(KENYA_PAGE, {"stale": "true"})
    html = response.content.decode()

    assert kenya_page["stale_need"].description in html
    assert fresh.description not in html
    assert 'href="?stale=true#needs"' in html  # from the "possibly stale" badge


def test_the_needs_can_be_narrowed_by_status(client_as, people, kenya_page):
    Need.objects.filter(pk=kenya_page["stale_need"].pk).update(status=Status.MET)

    response = client_as(people["anonymous"]).get(KENYA_PAGE, {"status": "met"})

    shown = [need.pk for need in response.context["needs"]]
    assert shown == [kenya_page["stale_need"].pk]


def test_an_unknown_status_filter_gets_a_400_with_the_reason(client_as, people, kenya_page):
    response = client_as(people["anonymous"]).get(KENYA_PAGE, {"status": "solved"})

    assert response.status_code == 400
    assert "solved is not one of the available choices" in response.content.decode()


def test_the_needs_come_fifty_to_a_page(client_as, people, published_review):
    factories.NeedFactory.create_batch(80, review=published_review)
    client = client_as(people["anonymous"])

    first = client.get(KENYA_PAGE)
    second = client.get(KENYA_PAGE, {"page": 2})
    beyond = client.get(KENYA_PAGE, {"page": "99x"})

    assert len(first.context["needs"]) == 50
    assert len(second.context["needs"]) == 30
    assert 'href="?page=2#needs"' in first.content.decode()
    assert "Needs 51\N{EN DASH}80 of 80." in second.content.decode()
    assert beyond.status_code == 200


# --- Query counts ---------------------------------------------------------------------------
def _state_with_needs(iso3: str, count: int):
    """A State with a published review, `count` needs (with themes and a comment each), a
    proposal, an activity with funding and a donor's interest."""
    state = factories.state(iso3)
    review = factories.ReviewFactory(state=state)
    template = factories.NeedFactory.build(review=review)
    needs = Need.objects.bulk_create(
        [
            Need(
                review=review,
                chapter=template.chapter,
                article=template.article if i % 3 else None,
                category=template.category,
                description=f"Need {i}",
                status=Status.values[i % len(Status.values)],
                identified_on=datetime.date(2019, 1, 1),
                ref=f"{iso3}-{i:04d}",
            )
            for i in range(count)
        ]
    )
    theme = factories.theme("training")
    Need.themes.through.objects.bulk_create(
        [Need.themes.through(need=need, theme=theme) for need in needs]
    )
    NeedComment.objects.bulk_create([NeedComment(need=need, text="Checked") for need in needs])
    factories.NeedFactory(review=review, acceptance=Acceptance.PROPOSED)
    activity = factories.ActivityFactory()
    activity.beneficiary_states.set([state])
    FundingContribution.objects.create(
        activity=activity, donor=factories.DonorFactory(), amount=10, year=2020
    )
    factories.DonorInterestFactory(need=needs[0])
    return state


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "donor", "focal_point", "staff"])
def test_the_page_costs_the_same_queries_for_5_or_500_needs(
    client_as, people, role, django_assert_max_num_queries
):
    """The focal point is measured on their own State's page (unpublished data, buttons)."""
    user = people[role]
    client = client_as(user)
    counts = {}
    for iso3, size in (("KEN", 5), ("BRA", 500)):
        state = _state_with_needs(iso3, size)
        if role == "focal_point":
            user.state = state
            user.save()
        with django_assert_max_num_queries(19):
            counts[size] = _count_queries(
                client, reverse("countries:state_detail", args=[state.iso3])
            )

    print(f"{role}: {counts[5]} queries for 5 needs, {counts[500]} for 500")
    assert counts[5] == counts[500]
