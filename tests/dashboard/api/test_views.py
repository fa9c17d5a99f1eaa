import pytest
from rest_framework.test import APIClient

from core.changes import data_changed
from dashboard.services import recompute_figures
from needs.models import Need
from tests import factories

URL = "/api/v1/dashboard/"

# PRODUCT.md section 4, key by key.
TOP_KEYS = {
    "cycle",
    "region",
    "computed_at",
    "totals",
    "by_chapter",
    "by_article",
    "by_category",
    "by_region",
    "by_theme",
    "coverage",
}
ROW_KEYS = {
    "totals": {"states_parties", "reviews", "executive_summaries", "states_with_needs", "needs"},
    "by_chapter": {"chapter", "needs", "states"},
    "by_article": {"article", "chapter", "needs", "states"},
    "by_category": {"category", "needs", "percent", "states"},
    "by_region": {"region", "states_parties", "executive_summaries", "states_with_needs", "needs"},
    "by_theme": {"theme", "needs", "states", "percent_of_states"},
    "coverage": {"unmet", "partly_covered", "covered"},
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def computed(regional_reviews):
    kenya = regional_reviews[("KEN", 2)]
    factories.NeedFactory(review=kenya).themes.set([factories.theme("training")])
    factories.NeedFactory(review=regional_reviews[("EUU", 2)])
    recompute_figures()
    return regional_reviews


@pytest.mark.parametrize("region", [None, "african"])
def test_it_answers_exactly_the_shape_of_the_product_brief(api, computed, region):
    query = {"cycle": 2} | ({"region": region} if region else {})

    body = api.get(URL, query).json()

    assert set(body) == TOP_KEYS
    assert (body["cycle"], body["region"]) == (2, region)
    assert body["computed_at"].endswith("Z")
    for figure, keys in ROW_KEYS.items():
        rows = body[figure] if isinstance(body[figure], list) else [body[figure]]
        assert rows, figure
        assert all(set(row) == keys for row in rows), figure
    assert isinstance(body["by_category"][0]["percent"], float)
    assert isinstance(body["by_theme"][0]["percent_of_states"], float)


def test_it_gives_the_figures_of_the_cycle_and_region(api, computed):
    everywhere = api.get(URL, {"cycle": 2}).json()
    african = api.get(URL, {"cycle": 2, "region": "african"}).json()
    first_cycle = api.get(URL, {"cycle": 1}).json()

    assert everywhere["totals"]["needs"] == 2
    assert everywhere["totals"]["states_with_needs"] == 2
    assert african["totals"]["needs"] == 1
    assert [row["region"] for row in african["by_region"]] == ["african"]
    assert len(everywhere["by_region"]) == 5
    assert {"chapter": "II", "needs": 2, "states": 2} in everywhere["by_chapter"]
    assert {"theme": "training", "needs": 1, "states": 1, "percent_of_states": 50.0} in (
        everywhere["by_theme"]
    )
    assert first_cycle["totals"]["needs"] == 0
    assert [row["chapter"] for row in first_cycle["by_chapter"]] == ["III", "IV"]


def test_it_reads_stored_figures_in_two_queries_without_recomputing(
    api, computed, django_assert_max_num_queries
):
    factories.NeedFactory(review=computed[("PER", 2)])
    data_changed(sender=Need)

    with django_assert_max_num_queries(2):
        body = api.get(URL, {"cycle": 2, "region": "latin_american_caribbean"}).json()

    assert body["totals"]["needs"] == 0


def test_before_the_first_computation_every_count_is_zero_and_computed_at_null(api, db):
    body = api.get(URL, {"cycle": 2}).json()

    assert body["computed_at"] is None
    assert body["totals"] == dict.fromkeys(ROW_KEYS["totals"], 0)
    assert body["coverage"] == dict.fromkeys(ROW_KEYS["coverage"], 0)
    assert body["by_chapter"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "cycle"),
        ({"cycle": 3}, "cycle"),
        ({"cycle": "two"}, "cycle"),
        ({"cycle": 2, "region": "europe"}, "region"),
        ({"cycle": 2, "region": ""}, "region"),
    ],
)
def test_it_refuses_a_bad_cycle_or_region_with_a_clear_400(api, db, query, field):
    answer = api.get(URL, query)

    assert answer.status_code == 400
    body = answer.json()
    assert field in body["errors"]
    assert body["detail"]


def test_the_schema_documents_the_answer_and_the_400(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/dashboard/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["cycle"]["schema"]["enum"] == [1, 2]
    assert parameters["region"]["schema"]["enum"] == [
        "african",
        "asia_pacific",
        "eastern_european",
        "latin_american_caribbean",
        "western_european_other",
    ]
    assert {"200", "400"} <= set(operation["responses"])
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][answer.rsplit("/", 1)[-1]]
    assert set(component["properties"]) == TOP_KEYS
