"""In headless Chromium: Kenya's focal point adds a follow-up action on a need from the need's
page and finds it on the country page; staff then find it among the overdue actions."""

import datetime

import pytest
from playwright.sync_api import expect

from core.models import Role
from needs.models import NeedAction
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def kenya(transactional_db):
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    need = factories.NeedFactory(
        review=review,
        description="Asset declaration system for senior officials",
        article=factories.article(8),
        last_confirmed_on=datetime.date.today(),
    )
    factories.make_user(
        Role.FOCAL_POINT,
        username="wanjiru",
        first_name="Wanjiru",
        last_name="Kamau",
        state=review.state,
    )
    factories.make_user(Role.SECRETARIAT, username="amina")
    return need


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_focal_point_records_an_action_that_staff_see_overdue(
    browser, live_server, kenya, screenshot_dir
):
    need = kenya
    focal = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(focal, live_server.url, "wanjiru")
    expect(focal).to_have_url(f"{live_server.url}/states/KEN/")

    # From the country page's needs to the need's page.
    focal.goto(f"{live_server.url}/states/KEN/needs/")
    focal.locator(f'tr[data-ref="{need.ref}"]').get_by_role(
        "link", name=need.ref, exact=True
    ).click()
    expect(focal).to_have_url(f"{live_server.url}/catalogue/{need.ref}/")
    section = focal.locator("#actions")
    expect(section.get_by_test_id("need-actions")).to_contain_text("No follow-up action")

    form = focal.get_by_test_id("action-add-form")
    form.get_by_label("What").fill("Adopt the regulations on asset declarations")
    form.get_by_label("Responsible institution").fill("Ethics and Anti-Corruption Commission")
    form.get_by_label("Due date").fill("2025-03-31")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Part of the national action plan").check()
    focal.screenshot(path=screenshot_dir / "need-action-form.png", full_page=True)
    form.get_by_role("button", name="Add the action").click()

    expect(focal).to_have_url(f"{live_server.url}/catalogue/{need.ref}/#actions")
    expect(focal.get_by_role("alert")).to_contain_text(f"Action on need {need.ref} recorded")
    row = focal.get_by_test_id("action-row")
    expect(row).to_contain_text("Adopt the regulations on asset declarations")
    expect(row.get_by_test_id("overdue")).to_be_visible()
    focal.screenshot(path=screenshot_dir / "need-page-with-action.png", full_page=True)

    # The country page's actions section lists it.
    tabs = focal.get_by_role("navigation", name="Sections of the page of Kenya")
    focal.goto(f"{live_server.url}/states/KEN/")
    tabs.get_by_role("link", name="Follow-up actions", exact=True).click()
    expect(focal).to_have_url(f"{live_server.url}/states/KEN/actions/")
    expect(focal.get_by_test_id("state-actions")).to_contain_text(
        "Ethics and Anti-Corruption Commission"
    )
    focal.screenshot(path=screenshot_dir / "country-actions-focal-point.png", full_page=True)
    focal.context.close()

    # Staff see it among the overdue actions.
    staff = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(staff, live_server.url, "amina")
    staff.goto(f"{live_server.url}/states/KEN/actions/")
    staff.get_by_test_id("overdue-link").click()
    expect(staff).to_have_url(f"{live_server.url}/states/KEN/actions/?overdue=true")
    rows = staff.get_by_test_id("action-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-need", need.ref)
    expect(rows.first.get_by_test_id("overdue")).to_be_visible()
    staff.screenshot(path=screenshot_dir / "country-actions-overdue-staff.png", full_page=True)

    # 200 % zoom: the section reflows.
    staff.set_viewport_size({"width": 640, "height": 900})
    assert staff.evaluate("document.documentElement.scrollWidth") <= 640
    staff.context.close()

    action = NeedAction.objects.get()
    assert (action.need, action.created_by.username, action.in_national_action_plan) == (
        need,
        "wanjiru",
        True,
    )
