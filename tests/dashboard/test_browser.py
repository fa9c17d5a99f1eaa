import datetime

import pytest
from playwright.sync_api import expect

from dashboard.services import recompute_figures, snapshot_create
from tests import factories


@pytest.fixture
def dashboard_data(reference_data):
    chapter_ii, chapter_v = factories.chapter("II"), factories.chapter("V")
    categories = ["capacity_building", "legislative_assistance", "institution_building"]
    for index, iso3 in enumerate(["KEN", "PER", "FRA", "CHN", "POL", "EUU"]):
        review = factories.ReviewFactory(state=factories.state(iso3), cycle=2)
        for number in range(index + 2):
            need = factories.NeedFactory(
                review=review,
                chapter=chapter_ii if number % 3 else chapter_v,
                article=factories.article(5 + number % 4) if number % 3 else None,
                category=factories.category(categories[number % 3]),
                coverage=["unmet", "partly_covered", "covered"][number % 3],
            )
            need.themes.set([factories.theme("technology" if number % 2 else "training")])
    recompute_figures()
    snapshot_create(label="CAC/COSP/IRG/2020/7", taken_on=datetime.date(2020, 11, 1))
    factories.NeedFactory(review=review, chapter=chapter_ii, article=factories.article(9))
    recompute_figures()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dashboard_draws_every_figure_with_its_table(
    page, live_server, dashboard_data, screenshot_dir
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/dashboard/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    expect(page.get_by_test_id("computed-at")).to_contain_text("second review cycle")
    charts = page.locator("[data-testid=chart] svg[role=img]")
    # With the States with needs in a national action plan: 13 charts and 14 tables.
    expect(charts).to_have_count(13)
    expect(page.locator("[data-testid=table]")).to_have_count(14)
    plans = page.get_by_test_id("figure-action-plans")
    expect(plans.locator("table")).to_contain_text("All States of this view")
    plans.scroll_into_view_if_needed()
    plans.screenshot(path=screenshot_dir / "dashboard-action-plans.png")
    category = page.get_by_test_id("figure-by-category")
    expect(category.locator("svg")).to_contain_text("Capacity-building")
    expect(category.locator("table")).to_contain_text("Legislative assistance")
    over_time = page.get_by_test_id("figure-needs-by-chapter-over-time")
    expect(over_time.locator("table")).to_contain_text("CAC/COSP/IRG/2020/7")
    page.screenshot(path=screenshot_dir / "dashboard-top.png")
    category.scroll_into_view_if_needed()
    category.screenshot(path=screenshot_dir / "dashboard-by-category.png")
    page.get_by_test_id("figure-by-region").screenshot(
        path=screenshot_dir / "dashboard-by-region.png"
    )

    page.get_by_label("Regional group", exact=True).select_option("african")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_test_id("computed-at")).to_contain_text("African States")
    expect(page).to_have_url(f"{live_server.url}/dashboard/?cycle=2&region=african")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dashboard_reads_at_200_percent_zoom(page, live_server, dashboard_data, screenshot_dir):
    # A 700-pixel-wide window is what a 1400-pixel screen shows at 200%.
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto(f"{live_server.url}/dashboard/?cycle=2")

    chapter = page.get_by_test_id("figure-by-chapter")
    chapter.scroll_into_view_if_needed()
    expect(chapter.locator("table")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 700
    chapter.screenshot(path=screenshot_dir / "dashboard-narrow-by-chapter.png")
