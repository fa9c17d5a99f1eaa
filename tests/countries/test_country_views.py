import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import FundingContribution
from needs.models import Acceptance, Need, NeedComment, Status
from tests import factories

pytestmark = pytest.mark.django_db

STATE_LIST = reverse("countries:state_list")


def section(name: str, iso3: str = "KEN") -> str:
    return reverse(f"countries:state_{name}", args=[iso3])


KENYA_PAGE = section("detail")
KENYA_NEEDS = section("needs")
KENYA_PROPOSALS = section("proposals")
KENYA_ASSISTANCE = section("assistance")
KENYA_ACTIONS = section("actions")
KENYA_INTEREST = section("interest")


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


# --- /states/<iso3>/: the summary and its sections ----------------------------------------
def test_the_page_shows_published_data_to_the_public(client_as, people, kenya_page):
    client = client_as(people["anonymous"])
    response = client.get(KENYA_PAGE)
    html = response.content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    assert response.status_code == 200
    assert kenya_page["published_need"].description in needs
    for page in (html, needs):
        assert kenya_page["unpublished_need"].description not in page
        assert kenya_page["proposal"].description not in page
    assert "No published review in this cycle." in html


def test_the_page_shows_no_personal_data_to_the_public(client_as, people, kenya_page):
    focal = people["focal_point"]
    need = kenya_page["published_need"]
    Need.objects.filter(pk=need.pk).update(
        last_confirmed_on=datetime.date(2026, 1, 5), last_confirmed_by=focal
    )
    client = client_as(people["anonymous"])

    pages = {url: client.get(url).content.decode() for url in PUBLIC_SECTIONS}

    assert "Legislation adopted, training still needed" in pages[KENYA_NEEDS]  # no author
    for html in pages.values():
        for personal in (focal.get_full_name(), focal.email, focal.username, focal.last_name):
            assert personal not in html
        assert 'data-testid="focal-points"' not in html


def test_the_page_names_the_focal_point_to_signed_in_people(client_as, people, kenya_page):
    focal = people["focal_point"]
    need = kenya_page["published_need"]
    Need.objects.filter(pk=need.pk).update(
        last_confirmed_on=datetime.date(2026, 1, 5), last_confirmed_by=focal
    )
    client = client_as(people["donor"])

    html = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    assert focal.email in html
    assert f"by {focal.get_full_name()}" in needs


def test_the_focal_point_sees_the_unpublished_review_and_proposals(client_as, people, kenya_page):
    client = client_as(people["focal_point"])
    html = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()
    proposals = client.get(KENYA_PROPOSALS).content.decode()

    assert kenya_page["unpublished_need"].description in needs
    for page in (html, proposals):
        assert kenya_page["proposal"].description in page
        assert "Proposed by the focal point" in page
        assert 'data-testid="propose-link"' in page
    assert needs.count('data-testid="confirm-') == 3  # every accepted need, not the proposal


def test_another_focal_point_sees_only_published_data_and_no_buttons(client_as, people, kenya_page):
    client = client_as(people["other_focal_point"])
    html = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    assert kenya_page["published_need"].description in needs
    for page in (html, needs):
        assert kenya_page["unpublished_need"].description not in page
        assert kenya_page["proposal"].description not in page
        assert 'data-testid="confirm-' not in page
        assert 'data-testid="propose-link"' not in page
        assert 'data-testid="to-confirm"' not in page


def test_the_needs_are_grouped_by_chapter_then_article(client_as, people, published_review):
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

    html = client_as(people["anonymous"]).get(KENYA_NEEDS).content.decode()

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
    client = client_as(people["anonymous"])
    response = client.get(KENYA_PAGE)
    html = response.content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    # Published needs: the stale one (2015), and one identified in 2019 and never confirmed.
    assert response.context["figures"]["stale"] == 2
    assert 'data-testid="need-stale">2<' in html
    assert needs.count(">Possibly stale</span>") == 2

    settings.NEED_STALE_AFTER_DAYS = 365 * 20
    html = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()
    assert 'data-testid="need-stale">0<' in html
    assert 'data-testid="stale-link"' not in html
    assert ">Possibly stale</span>" not in needs


def test_the_page_shows_the_timeline_and_reviewing_states(
    client_as, people, published_review, other_state
):
    published_review.reviewing_states.set([other_state])

    html = " ".join(client_as(people["anonymous"]).get(KENYA_PAGE).content.decode().split())

    assert "Self-assessment checklist submitted: 1 Mar 2018" in html
    assert "Executive summary completed: 1 Feb 2019" in html
    assert f'href="/states/{other_state.iso3}/">{other_state.name}</a>' in html


def test_the_page_shows_assistance_with_provider_and_donors(client_as, people, kenya_page):
    client = client_as(people["anonymous"])
    for url in (KENYA_PAGE, KENYA_ASSISTANCE):
        html = client.get(url).content.decode()

        assert "Financial investigation course" in html
        assert "UNODC" in html
        assert "Ruritania Aid (50,000 USD, 2021)" in html
        assert "Mar 2021 \N{EN DASH} Jun 2021" in html


def test_the_donors_interest_is_shown_to_signed_in_people_only(client_as, people, kenya_page):
    public = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()
    donor = client_as(people["donor"]).get(KENYA_PAGE).content.decode()
    public_tab = client_as(people["anonymous"]).get(KENYA_INTEREST)
    donor_tab = client_as(people["donor"]).get(KENYA_INTEREST).content.decode()

    assert "Freedonia Fund" not in public
    assert 'id="interest"' not in public
    assert KENYA_INTEREST not in public  # no tab either
    assert public_tab.status_code == 302
    assert public_tab["Location"].startswith(reverse("login"))
    assert "Freedonia Fund" in donor
    assert "Freedonia Fund" in donor_tab


def test_the_charts_come_with_tables_of_the_same_figures(client_as, people, kenya_page):
    response = client_as(people["staff"]).get(KENYA_PAGE)
    html = response.content.decode()

    by_status = {label: count for label, count, _value in response.context["by_status"]}
    by_category = {label: count for label, count, _code in response.context["by_category"]}
    accepted = Need.objects.filter(review__state__iso3="KEN", acceptance=Acceptance.ACCEPTED)
    assert by_status["Unmet"] == accepted.filter(status=Status.UNMET).count()
    assert sum(by_status.values()) == accepted.count() == 3
    assert by_category["Capacity-building"] == 3
    assert html.count("<svg") >= 2
    assert 'aria-label="Needs of Kenya by category"' in html
    assert 'data-testid="by-category-table"' in html
    assert 'data-testid="by-status-table"' in html


def test_the_counts_by_chapter_link_to_the_needs_of_each_chapter(client_as, people, kenya_page):
    response = client_as(people["focal_point"]).get(KENYA_PAGE)
    html = response.content.decode()

    rows = {row["chapter"].roman: row for row in response.context["by_chapter"]}
    # Cycle 1 (unpublished, the focal point sees it): chapter III; cycle 2: chapter II.
    assert [rows[roman]["needs"] for roman in ("III", "IV", "II", "V")] == [1, 0, 2, 0]
    assert rows["II"]["stale"] == 2
    assert list(rows) == ["III", "IV", "II", "V"]  # by cycle, then chapter
    assert f'href="{KENYA_NEEDS}?chapter=II"' in html
    assert f'href="{KENYA_NEEDS}?status=unmet"' in html
    assert f'href="{KENYA_NEEDS}?category=capacity_building"' in html
    chapter_ii = client_as(people["focal_point"]).get(KENYA_NEEDS, {"chapter": "II"})
    assert chapter_ii.context["needs"].paginator.count == 2


@pytest.mark.parametrize("name", ["detail", "needs", "assistance", "interest", "proposals"])
def test_the_page_of_an_unknown_state_is_a_404(client_as, people, name):
    assert client_as(people["staff"]).get(section(name, "XXX")).status_code == 404


def test_a_lowercase_code_redirects_to_the_page(client_as, people, home_state):
    response = client_as(people["anonymous"]).get("/states/ken/")

    assert response.status_code == 302
    assert response["Location"] == KENYA_PAGE


@pytest.mark.parametrize("name", ["detail", "needs", "assistance"])
def test_a_lowercase_code_redirects_to_the_same_section_and_query(
    client_as, people, home_state, name
):
    response = client_as(people["anonymous"]).get(section(name, "ken"), {"status": "met"})

    assert response.status_code == 302
    assert response["Location"] == f"{section(name)}?status=met"


def test_activities_link_to_their_page(client_as, people, kenya_page):
    html = client_as(people["anonymous"]).get(KENYA_PAGE).content.decode()

    activity = kenya_page["activity"]
    page = reverse("assistance:activity_detail", args=[activity.ref])
    assert f'<a href="{page}">{activity.title}</a>' in html
    assert client_as(people["anonymous"]).get(page).status_code == 200


def test_the_assistance_comes_25_to_a_page_the_latest_first(client_as, people, home_state):
    for month in range(1, 28):
        activity = factories.ActivityFactory(
            start_date=datetime.date(2020, 1, 1), title=f"A{month}"
        )
        activity.beneficiary_states.set([home_state])
    latest = factories.ActivityFactory(start_date=datetime.date(2024, 5, 1), title="Latest")
    latest.beneficiary_states.set([home_state])
    client = client_as(people["anonymous"])

    first = client.get(KENYA_ASSISTANCE)
    second = client.get(KENYA_ASSISTANCE, {"page": 2})
    summary = client.get(KENYA_PAGE).content.decode()

    shown = first.context["activities"]
    assert len(shown) == 25 and shown[0] == latest
    assert shown.paginator.count == 28
    assert len(second.context["activities"]) == 3
    html = first.content.decode()
    assert f'href="{reverse("assistance:activity_list")}?state=KEN"' in html
    assert 'href="?page=2"' in html
    assert "Activities 1\N{EN DASH}25 of 28, the latest first." in html
    # The summary shows the latest few and leads to the section.
    assert summary.count('data-testid="activity-table"') == 1
    assert summary.index("Latest") < summary.index("A1<")
    assert f'href="{KENYA_ASSISTANCE}">All 28 activities received</a>' in summary


def test_the_needs_can_be_narrowed_to_the_possibly_stale(client_as, people, kenya_page):
    fresh = kenya_page["unpublished_need"]
    Need.objects.filter(pk=fresh.pk).update(last_confirmed_on=datetime.date.today())
    client = client_as(people["focal_point"])

    response = client.get(KENYA_NEEDS, {"stale": "true"})
    html = response.content.decode()

    assert kenya_page["stale_need"].description in html
    assert fresh.description not in html
    summary = client.get(KENYA_PAGE).content.decode()
    assert f'href="{KENYA_NEEDS}?stale=true"' in summary  # from the "possibly stale" figure


def test_the_needs_can_be_narrowed_by_status(client_as, people, kenya_page):
    Need.objects.filter(pk=kenya_page["stale_need"].pk).update(status=Status.MET)

    response = client_as(people["anonymous"]).get(KENYA_NEEDS, {"status": "met"})

    shown = [need.pk for need in response.context["needs"]]
    assert shown == [kenya_page["stale_need"].pk]


def test_the_needs_can_be_narrowed_by_cycle_chapter_category_and_search(
    client_as, people, kenya_page
):
    legal = factories.NeedFactory(
        review=kenya_page["published_need"].review,
        category=factories.category("legislative_assistance"),
        description="Draft a whistle-blower law",
    )
    client = client_as(people["focal_point"])

    def shown(**query):
        response = client.get(KENYA_NEEDS, query)
        assert response.status_code == 200
        return {need.pk for need in response.context["needs"]}

    first_cycle = {kenya_page["unpublished_need"].pk}
    assert shown(cycle="1") == first_cycle
    assert shown(chapter="III") == first_cycle
    assert shown(category="legislative_assistance") == {legal.pk}
    assert shown(q="whistle-blower") == {legal.pk}
    assert shown(cycle="2", category="legislative_assistance") == {legal.pk}
    assert shown(cycle="1", category="legislative_assistance") == set()


def test_other_parameters_are_ignored_and_kept_out_of_the_links(client_as, people, kenya_page):
    response = client_as(people["anonymous"]).get(
        KENYA_NEEDS, {"state": "PER", "acceptance": "proposed", "status": "unmet"}
    )

    assert response.status_code == 200
    assert response.context["filter_query"] == "status=unmet"
    assert kenya_page["published_need"] in list(response.context["needs"])
    html = response.content.decode()
    export = reverse("needs:need_export", args=["csv"])
    assert f'href="{export}?state=KEN&amp;acceptance=accepted&amp;status=unmet"' in html


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"status": "solved"}, "solved is not one of the available choices"),
        ({"cycle": "3"}, "Select a valid choice. 3 is not one of the available choices."),
        ({"chapter": "I"}, "Select a valid choice. I is not one of the available choices."),
        ({"category": "magic"}, "Select a valid choice. magic is not one of the available"),
        ({"priority": "urgent"}, "urgent is not one of the available choices"),
    ],
)
def test_an_unknown_filter_value_gets_a_400_with_the_reason(
    client_as, people, kenya_page, query, reason
):
    response = client_as(people["anonymous"]).get(KENYA_NEEDS, query)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert 'data-testid="need-filter-errors"' in response.content.decode()


def test_the_needs_come_fifty_to_a_page(client_as, people, published_review):
    factories.NeedFactory.create_batch(80, review=published_review)
    client = client_as(people["anonymous"])

    first = client.get(KENYA_NEEDS)
    second = client.get(KENYA_NEEDS, {"page": 2})
    beyond = client.get(KENYA_NEEDS, {"page": "99x"})
    filtered = client.get(KENYA_NEEDS, {"status": "unmet"})

    assert len(first.context["needs"]) == 50
    assert len(second.context["needs"]) == 30
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?status=unmet&amp;page=2"' in filtered.content.decode()
    assert "Needs 51\N{EN DASH}80 of 80." in second.content.decode()
    assert beyond.status_code == 200


def test_the_interest_and_proposals_come_fifty_to_a_page(client_as, people, published_review):
    needs = factories.NeedFactory.create_batch(55, review=published_review)
    for need in needs:
        factories.DonorInterestFactory(need=need)
    factories.NeedFactory.create_batch(52, review=published_review, acceptance=Acceptance.PROPOSED)
    client = client_as(people["focal_point"])

    interest = client.get(KENYA_INTEREST)
    interest_2 = client.get(KENYA_INTEREST, {"page": 2})
    proposals = client.get(KENYA_PROPOSALS)
    proposals_2 = client.get(KENYA_PROPOSALS, {"page": 2})
    summary = client.get(KENYA_PAGE)

    assert [len(interest.context["interests"]), len(interest_2.context["interests"])] == [50, 5]
    assert [len(proposals.context["proposals"]), len(proposals_2.context["proposals"])] == [50, 2]
    assert (summary.context["interest_total"], len(summary.context["interests"])) == (55, 5)
    assert (summary.context["proposal_total"], len(summary.context["proposals"])) == (52, 5)
    html = summary.content.decode()
    assert f'href="{KENYA_INTEREST}">All 55 entries of donors' in html
    assert f'href="{KENYA_PROPOSALS}">All 52 proposed needs</a>' in html


# --- Tabs -------------------------------------------------------------------------------------
PUBLIC_SECTIONS = (KENYA_PAGE, KENYA_NEEDS, KENYA_ACTIONS, KENYA_ASSISTANCE)
TABS = {
    "anonymous": [KENYA_PAGE, KENYA_NEEDS, KENYA_ACTIONS, KENYA_ASSISTANCE],
    "donor": [KENYA_PAGE, KENYA_NEEDS, KENYA_ACTIONS, KENYA_ASSISTANCE, KENYA_INTEREST],
    "focal_point": [
        KENYA_PAGE,
        KENYA_NEEDS,
        KENYA_PROPOSALS,
        KENYA_ACTIONS,
        KENYA_ASSISTANCE,
        KENYA_INTEREST,
    ],
    "other_focal_point": [KENYA_PAGE, KENYA_NEEDS, KENYA_ACTIONS, KENYA_ASSISTANCE, KENYA_INTEREST],
    "staff": [
        KENYA_PAGE,
        KENYA_NEEDS,
        KENYA_PROPOSALS,
        KENYA_ACTIONS,
        KENYA_ASSISTANCE,
        KENYA_INTEREST,
    ],
}


def tab_links(html: str) -> list[str]:
    tabs = html.split('data-testid="state-tabs"', 1)[1].split("</ul>", 1)[0]
    return [link.split('"', 1)[0] for link in tabs.split('href="')[1:]]


@pytest.mark.parametrize("role", list(TABS))
def test_each_person_gets_the_tabs_of_the_sections_they_may_open(
    client_as, people, role, kenya_page
):
    client = client_as(people[role])
    for url in TABS[role]:
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, url
        assert tab_links(html) == TABS[role]
        tabs = html.split('data-testid="state-tabs"', 1)[1].split("</ul>", 1)[0]
        current = tabs.split('aria-current="page"')
        # One tab, this section's, is the current one.
        assert len(current) == 2, url
        assert current[0].rsplit('href="', 1)[1].startswith(f'{url}"'), url


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


# Each section a role may open, with the most queries it may cost (built, not from a cache).
# The summary and the needs read the chains of needs across cycles in one query each; the
# needs also the data version their list is kept under.
QUERY_CEILINGS = {"detail": 19, "needs": 14, "proposals": 7, "assistance": 7, "interest": 6}
MEASURED = [
    pytest.param(role, name, id=f"{role}-{name}")
    for role in ("anonymous", "donor", "focal_point", "staff")
    for name in QUERY_CEILINGS
    if section(name) in TABS[role]
]


@pytest.mark.parametrize(("role", "name"), MEASURED)
def test_each_section_costs_the_same_queries_for_5_or_500_needs(
    client_as, people, role, name, django_assert_max_num_queries
):
    """The focal point is measured on their own State's page (unpublished data, buttons);
    each page twice: built, then again (the summary from its cache)."""
    user = people[role]
    client = client_as(user)
    counts = {}
    for iso3, size in (("KEN", 5), ("BRA", 500)):
        state = _state_with_needs(iso3, size)
        if role == "focal_point":
            user.state = state
            user.save()
        url = section(name, state.iso3)
        counts[size] = []
        for _ in range(2):
            with django_assert_max_num_queries(QUERY_CEILINGS[name]) as captured:
                assert client.get(url).status_code == 200
            counts[size].append(len(captured.captured_queries))

    print(f"{role} {name}: {counts[5]} queries for 5 needs, {counts[500]} for 500")
    assert counts[5] == counts[500]
