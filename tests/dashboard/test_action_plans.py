"""The dashboard's share of States with at least one need in a national action plan: computed
by the database per cycle and region, stored, shown as a chart with its table."""

import pytest

from dashboard.figures import dashboard_figures
from dashboard.models import ALL_REGIONS
from dashboard.selectors import compute_figures, empty_figures
from dashboard.services import recompute_figures
from needs.models import Acceptance, ActionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(regional_reviews):
    """Needs in Kenya, Peru and France (cycle 2), and in Kenya (cycle 1). Kenya has two needs
    in a plan; Peru's only action in a plan is cancelled; France's action is not in a plan;
    Kenya's first-cycle need is in one, and so is a proposal of Peru's."""

    def need(iso3, cycle, **fields):
        return factories.NeedFactory(review=regional_reviews[(iso3, cycle)], **fields)

    def action(for_need, **fields):
        return factories.NeedActionFactory(need=for_need, **fields)

    kenya = need("KEN", 2)
    action(kenya, in_national_action_plan=True)
    action(kenya, in_national_action_plan=True)  # the same need twice: counted once
    action(need("KEN", 2), in_national_action_plan=True, status=ActionStatus.DONE)
    action(need("PER", 2), in_national_action_plan=True, status=ActionStatus.CANCELLED)
    action(need("PER", 2, acceptance=Acceptance.PROPOSED), in_national_action_plan=True)
    action(need("FRA", 2), in_national_action_plan=False)
    action(need("KEN", 1), in_national_action_plan=True)
    return regional_reviews


def test_it_counts_states_with_a_need_in_a_plan_per_cycle_and_region(plans):
    figures = compute_figures()

    overall = figures[(2, ALL_REGIONS)]["action_plans"]
    assert overall["totals"] == {
        "states_with_needs": 3,
        "states_with_needs_in_plan": 1,
        "needs_in_plan": 2,
        "percent_of_states_with_needs": 33.3,
    }
    by_region = {row["region"]: row for row in overall["by_region"]}
    assert by_region["african"]["percent_of_states_with_needs"] == 100.0
    assert by_region["latin_american_caribbean"]["states_with_needs_in_plan"] == 0
    assert figures[(2, "african")]["action_plans"]["by_region"] == [by_region["african"]]
    assert figures[(1, ALL_REGIONS)]["action_plans"]["totals"]["states_with_needs_in_plan"] == 1


def test_the_figure_is_a_chart_with_its_table(plans):
    recompute_figures()
    stored = compute_figures()[(2, ALL_REGIONS)]

    figure = next(
        f
        for f in dashboard_figures(stored, history=[], computed_at=None, with_donor_interest=False)
        if f.slug == "action-plans"
    )

    assert figure.chart is not None
    assert figure.table[0] == ["All States of this view", 3, 1, 2, "33.3"]
    assert ["African States", 1, 1, 2, "100.0"] in figure.table


def test_figures_stored_before_the_figure_existed_still_show(plans):
    old = empty_figures()
    del old["action_plans"]

    figures = dashboard_figures(old, history=[], computed_at=None, with_donor_interest=False)

    assert "action-plans" not in {figure.slug for figure in figures}


def test_the_api_answer_keeps_the_shape_of_the_product_brief(plans, client):
    """The share is on the page (chart, table, CSV) and in the snapshots; the API's answer
    stays exactly the product brief's."""
    recompute_figures()

    body = client.get("/api/v1/dashboard/", {"cycle": 2}).json()

    assert "action_plans" not in body


def test_the_dashboard_page_shows_the_figure(plans, client):
    recompute_figures()

    page = client.get("/dashboard/", {"cycle": 2}).content.decode()

    assert 'id="action-plans"' in page
    assert "States with needs in a national action plan" in page
