"""Needs shared by several States of a region: grouped by the database, visible needs only,
filtered, sorted by States unmet, with the regional activities linked, at a fixed number of
queries; the page, its exports and the API."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from assistance.filters import SharedNeedFilterSet
from assistance.selectors import SHARED_MEMBER_NEEDS, shared_needs_base, shared_needs_page
from core.changes import data_changed
from needs.models import Coverage, Need, Subcategory
from tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/shared-needs/"
PAGE = reverse("assistance:shared_needs")


def review(iso3: str, *, published: bool = True, cycle: int = 2):
    return factories.ReviewFactory(
        state=factories.state(iso3),
        cycle=cycle,
        executive_summary_published=published,
    )


def need(review_, *, article=5, subcategory="preventive_tools", coverage=Coverage.UNMET, **extra):
    chapter = factories.article(article).chapter
    return factories.NeedFactory(
        review=review_,
        chapter=chapter,
        article=factories.article(article),
        subcategory=Subcategory.objects.get(code=subcategory) if subcategory else None,
        coverage=coverage,
        **extra,
    )


@pytest.fixture
def shared(db):
    """Kenya and Nigeria (African) share article 5, preventive tools; Ghana (African) has it
    too, but its review is unpublished; Nigeria alone has article 6; Peru (Latin America)
    has article 5 too, alone in its region. Kenya's need is covered, Nigeria's unmet."""
    kenya, nigeria, peru = review("KEN"), review("NGA"), review("PER")
    ghana = review("GHA", published=False)
    needs = {
        "kenya": need(kenya, coverage=Coverage.COVERED),
        "nigeria": need(nigeria),
        "ghana": need(ghana),
        "nigeria_alone": need(nigeria, article=6),
        "peru": need(peru),
    }
    regional = factories.ActivityFactory(title="East Africa regional platform", level="regional")
    factories.ActivityNeedLinkFactory(activity=regional, need=needs["kenya"], extent="full")
    both = factories.ActivityFactory(title="Workshop for Kenya and Nigeria", level="national")
    factories.ActivityNeedLinkFactory(activity=both, need=needs["kenya"])
    factories.ActivityNeedLinkFactory(activity=both, need=needs["nigeria"])
    national = factories.ActivityFactory(title="Kenya only", level="national")
    factories.ActivityNeedLinkFactory(activity=national, need=needs["kenya"])
    return needs


def groups_for(client, **query):
    response = client.get(API, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_two_states_of_a_region_are_grouped_and_a_lone_state_is_not(client, shared):
    body = groups_for(client)

    assert body["count"] == 1
    [group] = body["results"]
    assert group["region"] == {"code": "african", "name": "African States"}
    assert group["article"]["number"] == 5
    assert group["subcategory"]["code"] == "preventive_tools"
    assert [m["state"]["iso3"] for m in group["members"]] == ["KEN", "NGA"]
    assert {m["state"]["iso3"]: m["coverage"] for m in group["members"]} == {
        "KEN": "covered",
        "NGA": "unmet",
    }
    assert (group["states"], group["states_unmet"], group["states_covered"]) == (2, 1, 1)


def test_an_unpublished_need_is_invisible_to_the_public_but_counted_for_staff(
    client, shared, staff
):
    public = groups_for(client)["results"][0]
    client.force_login(staff)
    internal = groups_for(client)["results"][0]

    assert "GHA" not in [m["state"]["iso3"] for m in public["members"]]
    assert [m["state"]["iso3"] for m in internal["members"]] == ["GHA", "KEN", "NGA"]
    assert internal["states_unmet"] == 2


def test_a_state_of_another_region_is_not_grouped(client, shared):
    need(review("CHL"), article=6)  # Chile and Nigeria share article 6, regions apart

    body = groups_for(client)

    assert all(g["region"]["code"] == "african" for g in body["results"])
    assert not any(
        "PER" in str(g["members"]) or "CHL" in str(g["members"]) for g in body["results"]
    )


def test_a_state_with_needs_partly_covered_is_partly_covered(client, shared):
    need(shared["kenya"].review, coverage=Coverage.UNMET)  # a second need, unmet

    [group] = groups_for(client)["results"]

    kenya = group["members"][0]
    assert kenya["coverage"] == "partly_covered"
    assert sorted(n["ref"] for n in kenya["needs"]) == sorted(
        Need.objects.filter(review=shared["kenya"].review, article__number=5).values_list(
            "ref", flat=True
        )
    )
    assert group["states_partly_covered"] == 1


def test_regional_activities_are_those_regional_or_linked_in_two_states(client, shared):
    [group] = groups_for(client)["results"]

    titles = [a["title"] for a in group["regional_activities"]]
    assert titles == ["East Africa regional platform", "Workshop for Kenya and Nigeria"]
    assert {a["title"]: a["linked_states"] for a in group["regional_activities"]} == {
        "East Africa regional platform": 1,
        "Workshop for Kenya and Nigeria": 2,
    }


def test_groups_come_by_states_unmet_most_first(client, shared):
    for iso3 in ("KEN", "NGA"):
        need(
            shared["kenya"].review if iso3 == "KEN" else shared["nigeria"].review,
            article=9,
            subcategory="procurement_accounting_audit",
        )

    results = groups_for(client)["results"]
    by_states = groups_for(client, ordering="article")["results"]

    assert [(g["article"]["number"], g["states_unmet"]) for g in results] == [(9, 2), (5, 1)]
    assert [g["article"]["number"] for g in by_states] == [5, 9]


def test_needs_without_subcategory_group_by_category(client, shared):
    need(shared["kenya"].review, article=7, subcategory=None)
    need(shared["nigeria"].review, article=7, subcategory=None)

    groups = groups_for(client, ordering="article")["results"]

    assert groups[1]["article"]["number"] == 7
    assert groups[1]["subcategory"] is None
    assert groups[1]["category"]["code"] == "capacity_building"


def test_an_obsolete_or_proposed_need_is_left_out(client, shared, staff):
    Need.objects.filter(pk=shared["nigeria"].pk).update(status="obsolete")

    assert groups_for(client)["count"] == 0


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"region": "african"}, 1),
        ({"region": "latin_american_caribbean"}, 0),
        ({"cycle": 2}, 1),
        ({"cycle": 1}, 0),
        ({"chapter": "II"}, 1),
        ({"chapter": "V"}, 0),
        ({"category": "capacity_building"}, 1),
    ],
)
def test_filters(client, shared, query, count):
    assert groups_for(client, **query)["count"] == count


@pytest.mark.parametrize(
    "query",
    [
        {"region": "atlantis"},
        {"region": ""},
        {"cycle": 3},
        {"cycle": ""},
        {"chapter": "IX"},
        {"ordering": "nonsense"},
        {"regoin": "african"},
        {"page": 0},
        {"page_size": 501},
        {"format": "csv", "page": "null"},
        {"format": "csv", "page_size": "x"},
    ],
)
def test_bad_parameters_are_refused(client, shared, query):
    response = client.get(API, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query) - {"format"}


def test_a_page_beyond_the_last_is_404(client, shared):
    assert client.get(API, {"page": 2}).status_code == 404
    # Far beyond: an offset PostgreSQL's bigint cannot hold.
    assert client.get(API, {"page": 617855889724149376, "page_size": 266}).status_code == 404
    assert client.get(PAGE, {"page": 617855889724149376}).status_code == 200


def test_pages(client, shared):
    need(shared["kenya"].review, article=9, subcategory="procurement_accounting_audit")
    need(shared["nigeria"].review, article=9, subcategory="procurement_accounting_audit")

    first = groups_for(client, page_size=1)
    second = client.get(first["next"]).json()

    assert first["count"] == 2 and first["previous"] is None
    assert second["next"] is None and second["previous"]
    assert first["results"][0]["article"] != second["results"][0]["article"]


def test_labels_follow_the_language_of_the_request(client, shared):
    body = client.get(API, HTTP_ACCEPT_LANGUAGE="fr").json()

    assert body["results"][0]["region"]["name"] != "African States"


def test_the_answer_has_the_documented_shape(client, shared):
    from assistance.api.serializers import SharedNeedGroupSerializer

    results = groups_for(client)["results"]

    assert results == SharedNeedGroupSerializer(results, many=True).data


def test_csv(client, shared):
    response = client.get(API, {"format": "csv"})

    assert response.status_code == 200
    assert "african" in response.content.decode()


# --- Fixed number of queries; the cache -----------------------------------------------------
def add_region_groups(iso3s: list[str], articles: list[int]):
    reviews = [review(iso3) for iso3 in iso3s]
    for article in articles:
        for review_ in reviews:
            need(review_, article=article)
            need(review_, article=article, coverage=Coverage.PARTLY_COVERED)


@pytest.mark.parametrize("url", [API, PAGE])
def test_queries_do_not_grow_with_the_data(client, shared, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    add_region_groups(["EGY", "SEN", "TUN"], [7, 8, 9, 10, 11, 12])
    add_region_groups(["CHL", "ARG", "BRA"], [7, 8, 9])
    data_changed(sender=Need)  # the factories write without the services
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_the_answer_is_kept_until_the_data_changes(shared, django_assert_num_queries):
    anonymous = AnonymousUser()

    def ask():
        filterset = SharedNeedFilterSet({}, queryset=shared_needs_base(anonymous))
        assert filterset.is_valid()
        from core.changes import data_version

        return shared_needs_page(
            anonymous,
            filterset,
            page_size=25,
            visibility=Need.objects.visibility_key(anonymous),
            data_version=data_version(),
        )

    first = ask()
    with django_assert_num_queries(1):  # the data version only
        assert ask() == first
    Need.objects.filter(pk=shared["kenya"].pk).update(status="obsolete")
    data_changed(sender=Need)

    assert ask()["count"] == 0


def test_focal_points_and_the_public_do_not_share_answers(client, shared, focal_point):
    Need.objects.filter(pk=shared["kenya"].pk).update(coverage=Coverage.UNMET)
    kenya_unpublished = review("KEN", published=False, cycle=1)
    nigeria_1 = review("NGA", cycle=1)
    need(kenya_unpublished, article=15, subcategory=None)
    need(nigeria_1, article=15, subcategory=None)
    assert groups_for(client, cycle=1)["count"] == 0

    client.force_login(focal_point)

    assert groups_for(client, cycle=1)["count"] == 1


# --- The page and its exports ---------------------------------------------------------------
def test_the_page_lists_the_groups_with_links_to_the_states(client, shared):
    response = client.get(PAGE, {"region": "african"})

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("countries:state_detail", args=["KEN"]) in html
    assert reverse("countries:state_detail", args=["NGA"]) in html
    assert reverse("countries:state_detail", args=["PER"]) not in html
    assert shared["ghana"].ref not in html
    assert "East Africa regional platform" in html
    assert 'style="' not in html


def test_the_page_refuses_a_bad_filter(client, shared):
    response = client.get(PAGE, {"region": "atlantis"})

    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_the_page_in_french(client, shared):
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr")

    assert "Besoins communs" in response.content.decode()


def test_the_csv_export_has_a_row_per_group(client, shared):
    response = client.get(reverse("assistance:shared_needs_csv"), {"region": "african"})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert response.status_code == 200
    assert len(rows) == 2
    assert "Kenya (KEN): Covered (1)" in rows[1][11]


def test_the_xlsx_export(client, shared):
    response = client.get(reverse("assistance:shared_needs_xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_catalogue_and_the_dashboard_link_to_the_page(client, shared):
    assert PAGE in client.get(reverse("assistance:catalogue")).content.decode()


def test_a_state_with_many_needs_in_a_group_lists_the_first_ten_and_links_to_all(client, shared):
    kenya = shared["kenya"].review
    extra = [need(kenya) for _ in range(SHARED_MEMBER_NEEDS + 2)]
    first_ten = sorted(n.ref for n in [shared["kenya"], *extra])[:SHARED_MEMBER_NEEDS]

    [group] = groups_for(client)["results"]
    members = {m["state"]["iso3"]: m for m in group["members"]}
    assert members["KEN"]["need_count"] == SHARED_MEMBER_NEEDS + 3
    assert [n["ref"] for n in members["KEN"]["needs"]] == first_ten
    assert len(members["NGA"]["needs"]) == members["NGA"]["need_count"] == 1

    html = client.get(PAGE, {"region": "african"}).content.decode()
    assert html.count('data-testid="member-more"') == 1
    more = (
        f"{reverse('assistance:catalogue')}?state=KEN&amp;cycle=2&amp;chapter=II&amp;article=5"
        "&amp;category="
    )
    assert more in html
    assert f"all {SHARED_MEMBER_NEEDS + 3} needs" in html
    catalogue = client.get(
        reverse("assistance:catalogue"),
        {
            "state": "KEN",
            "cycle": 2,
            "chapter": "II",
            "article": 5,
            "category": shared["kenya"].category.code,
            "subcategory": "preventive_tools",
        },
    )
    assert catalogue.status_code == 200
