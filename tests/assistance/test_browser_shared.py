"""A donor opens the needs shared across a region from the catalogue, narrows them to one
regional group, sees which States have the need unmet and what regional assistance exists,
and follows a State's link to its country page."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from needs.models import Coverage, Subcategory
from tests import factories

from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_data(transactional_db):
    subcategory = Subcategory.objects.get(code="reporting_persons")
    article = factories.article(33)

    def need(iso3, coverage=Coverage.UNMET):
        return factories.NeedFactory(
            review=factories.ReviewFactory(state=factories.state(iso3), cycle=1),
            chapter=article.chapter,
            article=article,
            subcategory=subcategory,
            coverage=coverage,
            description=f"Protection of reporting persons in {iso3}",
        )

    kenya, nigeria, _ghana = need("KEN"), need("NGA", Coverage.COVERED), need("GHA")
    _peru, _chile = need("PER"), need("CHL")
    platform = factories.ActivityFactory(
        title="Southern and East Africa regional platform workshop",
        level="regional",
        activity_type="regional_platform",
    )
    factories.ActivityNeedLinkFactory(activity=platform, need=nigeria, extent="full")
    factories.ActivityNeedLinkFactory(activity=platform, need=kenya)
    factories.make_user(Role.DONOR, username="platform-donor")


def test_a_donor_finds_needs_shared_in_a_region_and_opens_a_state(
    browser, live_server, shared_data, screenshot_dir
):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server.url, "platform-donor")
    page.get_by_test_id("nav-catalogue").click()
    page.get_by_test_id("shared-needs-link").click()

    expect(page.get_by_role("heading", name="Needs shared across a region")).to_be_visible()
    rows = page.get_by_test_id("shared-table").locator("tbody tr")
    expect(rows).to_have_count(2)  # African States, and Latin America and the Caribbean
    expect(rows.first.get_by_test_id("states-unmet")).to_have_text("2")

    page.get_by_label("Regional group").select_option("african")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    assert "region=african" in page.url
    group = rows.first
    expect(group.locator("[data-state]")).to_have_count(3)
    expect(group.locator('[data-state="NGA"] [data-coverage="covered"]')).to_be_visible()
    expect(group.locator('[data-state="KEN"] [data-coverage="unmet"]')).to_be_visible()
    expect(group).to_contain_text("Southern and East Africa regional platform workshop")
    expect(page.get_by_text("Peru")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "shared-needs-african.png", full_page=True)

    group.locator('[data-state="KEN"]').get_by_role("link", name="Kenya").click()
    expect(page).to_have_url(f"{live_server.url}/states/KEN/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kenya")
