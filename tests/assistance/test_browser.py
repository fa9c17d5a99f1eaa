"""A donor finds an unmet chapter V need in an African State, registers interest; a second
donor opening the same need is told about it before registering theirs."""

import datetime

import pytest
from playwright.sync_api import expect

from core.models import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def catalogue_data(transactional_db):
    kenya = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    peru = factories.ReviewFactory(state=factories.state("PER"), cycle=2)
    chapter_v = factories.chapter("V")
    target = factories.NeedFactory(
        review=kenya,
        chapter=chapter_v,
        article=factories.article(54),
        description="Training of judges on non-conviction-based confiscation of proceeds",
        priority="high",
        identified_on=datetime.date(2023, 5, 1),
    )
    factories.NeedFactory(
        review=kenya,
        chapter=chapter_v,
        article=factories.article(52),
        description="Beneficial ownership registry for the financial intelligence unit",
    )
    factories.NeedFactory(
        review=peru,
        chapter=chapter_v,
        article=factories.article(54),
        description="Confiscation procedures for foreign orders",
    )
    factories.NeedFactory(review=kenya, description="Confiscation awareness for prosecutors")
    first = factories.make_user(
        Role.DONOR, username="first-donor", donor=factories.DonorFactory(name="Nordic Fund")
    )
    second = factories.make_user(
        Role.DONOR, username="second-donor", donor=factories.DonorFactory(name="Alpine Aid")
    )
    return {"target": target, "first": first, "second": second}


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("user-name")).to_be_visible()


def test_two_donors_see_each_others_interest(browser, live_server, catalogue_data, screenshot_dir):
    target = catalogue_data["target"]
    first = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(first, live_server.url, "first-donor")
    first.get_by_test_id("nav-catalogue").click()
    expect(first.get_by_test_id("default-view")).to_be_visible()

    first.locator('fieldset[data-facet="coverage"] input[value="partly_covered"]').uncheck()
    first.locator('fieldset[data-facet="chapter"] input[value="V"]').check()
    first.locator('fieldset[data-facet="region"] input[value="african"]').check()
    first.get_by_label("Search descriptions").fill("confiscation")
    first.get_by_role("button", name="Apply filters").first.click()
    rows = first.get_by_test_id("catalogue-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(target.ref)
    assert (
        "chapter=V" in first.url and "region=african" in first.url and "q=confiscation" in first.url
    )
    first.screenshot(path=screenshot_dir / "catalogue-filtered.png", full_page=True)

    first.get_by_role("link", name=target.ref).click()
    expect(first.get_by_test_id("existing-support-alert")).to_have_count(0)
    form = first.get_by_test_id("interest-form")
    form.get_by_label("Commitment").check()
    form.get_by_label("Note for staff and other donors").fill(
        "We can fund a judicial workshop in 2027."
    )
    form.get_by_label("Amount (optional)").fill("40000")
    form.get_by_role("button", name="Register").click()
    expect(first.get_by_test_id("own-interest")).to_be_visible()
    expect(first.get_by_test_id("interest-list")).to_contain_text("Nordic Fund")
    first.screenshot(path=screenshot_dir / "catalogue-interest-registered.png", full_page=True)

    second_context = browser.new_context(viewport={"width": 1280, "height": 1000})
    second = second_context.new_page()
    sign_in(second, live_server.url, "second-donor")
    second.goto(f"{live_server.url}/catalogue/{target.ref}/")
    alert = second.get_by_test_id("existing-support-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Nordic Fund")
    expect(alert).to_contain_text("commitment")
    alert_box = alert.bounding_box()
    form_box = second.get_by_test_id("interest-form").bounding_box()
    assert alert_box["y"] < form_box["y"]
    second.screenshot(path=screenshot_dir / "catalogue-second-donor-warned.png", full_page=True)
    second_context.close()


def test_a_donor_saves_a_catalogue_search_and_opens_it_from_home(
    browser, live_server, catalogue_data, screenshot_dir
):
    target = catalogue_data["target"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server.url, "first-donor")
    page.get_by_test_id("nav-catalogue").click()
    page.locator('fieldset[data-facet="chapter"] input[value="V"]').check()
    page.locator('fieldset[data-facet="region"] input[value="african"]').check()
    page.get_by_role("button", name="Apply filters").first.click()
    expect(page.get_by_test_id("catalogue-table").locator("tbody tr")).to_have_count(2)

    save = page.get_by_test_id("save-search")
    save.get_by_text("Save this search").click()
    save.get_by_label("Name").fill("Asset recovery in Africa")
    save.get_by_label("E-mail alert").select_option(label="Weekly e-mail")
    page.screenshot(path=screenshot_dir / "saved-search-form.png", full_page=True)
    save.get_by_role("button", name="Save the search").click()
    expect(page.locator(".alert-success")).to_contain_text("Asset recovery in Africa")

    page.get_by_test_id("main-nav").get_by_role("link", name="Home").click()
    saved = page.get_by_test_id("home-saved-searches")
    expect(saved).to_contain_text("Weekly e-mail")
    page.screenshot(path=screenshot_dir / "saved-search-home.png", full_page=True)
    saved.get_by_role("link", name="Asset recovery in Africa").click()

    rows = page.get_by_test_id("catalogue-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("catalogue-table")).to_contain_text(target.ref)
    expect(page.locator('fieldset[data-facet="chapter"] input[value="V"]')).to_be_checked()
    expect(page.get_by_test_id("default-view")).to_have_count(0)
    page.get_by_test_id("nav-saved-searches").click()
    expect(page.get_by_test_id("saved-search")).to_contain_text("Asset recovery in Africa")
    page.screenshot(path=screenshot_dir / "saved-search-list.png", full_page=True)
