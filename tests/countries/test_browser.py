"""A focal point signs in, lands on their country page, confirms a possibly stale need with
the keyboard and sees the new confirmation date."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def kenya(transactional_db):
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    stale = factories.NeedFactory(
        review=review,
        description="Asset declaration system for senior officials",
        article=factories.article(8),
        identified_on=datetime.date(2016, 4, 1),
        last_confirmed_on=datetime.date(2017, 5, 2),
    )
    factories.NeedFactory(
        review=review,
        description="Whistle-blower protection guidelines",
        article=factories.article(13),
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    focal = factories.make_user(
        Role.FOCAL_POINT,
        username="wanjiru",
        first_name="Wanjiru",
        last_name="Kamau",
        state=review.state,
    )
    return {"stale": stale, "focal": focal}


def test_a_focal_point_confirms_a_need_from_their_country_page(
    browser, live_server, kenya, screenshot_dir
):
    stale = kenya["stale"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("wanjiru")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/states/KEN/")
    expect(page.get_by_test_id("state-name")).to_contain_text("Kenya")
    expect(page.get_by_test_id("stale-badge")).to_have_text("1 possibly stale")
    row = page.locator(f'tr[data-ref="{stale.ref}"]')
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("2 May 2017")
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("Possibly stale")
    page.screenshot(path=screenshot_dir / "country-page-before-confirm.png", full_page=True)

    button = row.get_by_role("button", name=f"Confirm need {stale.ref} as still relevant")
    button.focus()
    page.keyboard.press("Enter")

    today = timezone.localdate()
    expect(page.get_by_role("alert")).to_contain_text(f"Need {stale.ref} confirmed")
    row = page.locator(f'tr[data-ref="{stale.ref}"]')
    expect(row.get_by_test_id("last-confirmed")).to_contain_text(f"{today.day} {today:%b %Y}")
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("by Wanjiru Kamau")
    expect(row.get_by_test_id("last-confirmed")).not_to_contain_text("Possibly stale")
    expect(page.get_by_test_id("need-stale")).to_have_text("0")
    row.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "country-page-after-confirm.png", full_page=True)

    # 200 % zoom of a 1280-pixel window: the page reflows, nothing is cut off.
    page.set_viewport_size({"width": 640, "height": 900})
    page.screenshot(path=screenshot_dir / "country-page-zoom-200.png", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 640

    stale.refresh_from_db()
    assert stale.last_confirmed_on == today
    assert stale.last_confirmed_by == kenya["focal"]
