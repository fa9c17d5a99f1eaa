"""In headless Chromium: a focal point signs in, lands on their country page's summary, goes to
the needs with the keyboard and confirms a possibly stale need; on the demo data the summary
is short, for the public and for Kenya's focal point, and reflows at 200 % zoom."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from needs.models import Acceptance, Need
from needs.services import need_decide_proposal
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
# At 1280 pixels wide; the page with every need of Kenya was about 11,000 pixels tall.
SUMMARY_MAX_HEIGHT = 4000


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


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_focal_point_confirms_a_need_from_their_country_page(
    browser, live_server, kenya, screenshot_dir
):
    stale = kenya["stale"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server.url, "wanjiru", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/states/KEN/")
    expect(page.get_by_test_id("state-name")).to_contain_text("Kenya")
    expect(page.get_by_test_id("need-stale")).to_have_text("1")
    expect(page.get_by_test_id("to-confirm-row")).to_have_count(1)
    expect(page.get_by_test_id("to-confirm-row")).to_have_attribute("data-ref", stale.ref)
    page.screenshot(path=screenshot_dir / "country-summary-focal-point.png", full_page=True)

    # The tabs are links: the keyboard reaches the needs and opens them.
    tabs = page.get_by_role("navigation", name="Sections of the page of Kenya")
    expect(tabs.get_by_role("link", name="Summary", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    tabs.get_by_role("link", name="Needs", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/states/KEN/needs/")
    expect(tabs.get_by_role("link", name="Needs", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    row = page.locator(f'tr[data-ref="{stale.ref}"]')
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("2 May 2017")
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("Possibly stale")
    page.screenshot(path=screenshot_dir / "country-page-before-confirm.png", full_page=True)

    button = row.get_by_role("button", name=f"Confirm need {stale.ref} as still relevant")
    button.focus()
    page.keyboard.press("Enter")

    today = timezone.localdate()
    expect(page.get_by_role("alert")).to_contain_text(f"Need {stale.ref} confirmed")
    expect(page).to_have_url(f"{live_server.url}/states/KEN/needs/#need-{stale.pk}")
    row = page.locator(f'tr[data-ref="{stale.ref}"]')
    expect(row.get_by_test_id("last-confirmed")).to_contain_text(f"{today.day} {today:%b %Y}")
    expect(row.get_by_test_id("last-confirmed")).to_contain_text("by Wanjiru Kamau")
    expect(row.get_by_test_id("last-confirmed")).not_to_contain_text("Possibly stale")
    row.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "country-page-after-confirm.png", full_page=True)

    tabs.get_by_role("link", name="Summary", exact=True).click()
    expect(page.get_by_test_id("need-stale")).to_have_text("0")
    expect(page.get_by_test_id("to-confirm")).to_contain_text("Nothing to confirm")

    # 200 % zoom of a 1280-pixel window: the page reflows, nothing is cut off.
    page.set_viewport_size({"width": 640, "height": 900})
    for path in ("/states/KEN/", "/states/KEN/needs/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, path
    page.screenshot(path=screenshot_dir / "country-page-zoom-200.png", full_page=False)

    stale.refresh_from_db()
    assert stale.last_confirmed_on == today
    assert stale.last_confirmed_by == kenya["focal"]


def test_the_summary_of_kenya_is_short_on_the_demo_data(browser, live_server, screenshot_dir):
    call_command("load_demo", verbosity=0)
    heights = {}
    for who, password in ((None, None), ("focal.ken", "demo-focal-ken-2026")):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        if who:
            sign_in(page, live_server.url, who, password)
        page.goto(f"{live_server.url}/states/KEN/")
        expect(page.get_by_test_id("state-name")).to_contain_text("Kenya")
        name = who or "public"
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=screenshot_dir / f"country-summary-demo-{name}.png", full_page=True)
        page.set_viewport_size({"width": 640, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, name
        page.screenshot(path=screenshot_dir / f"country-summary-demo-{name}-640.png")
        context.close()

    print(f"Summary of Kenya on the demo data, 1280 px wide: {heights}")
    assert all(height < SUMMARY_MAX_HEIGHT for height in heights.values()), heights


def test_a_focal_point_proposes_that_a_need_follows_a_first_cycle_need(
    browser, live_server, kenya, staff, screenshot_dir
):
    """The focal point names the first-cycle need a new second-cycle need carries on; once
    staff accept the proposal, the country page shows the chain."""
    first_review = factories.ReviewFactory(state=factories.state("KEN"), cycle=1)
    earlier = factories.NeedFactory(
        review=first_review, ref="N-KEN-C1", description="Training of prosecutors on bribery"
    )
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server.url, "wanjiru", PASSWORD)
    page.goto(f"{live_server.url}/states/KEN/needs/")
    page.get_by_test_id("propose-link").click()

    page.get_by_label("Article").select_option(
        label="Article 5: Preventive anti-corruption policies and practices"
    )
    page.get_by_label("Category", exact=True).select_option(label="Capacity-building")
    page.get_by_label("Description", exact=True).fill("Training of prosecutors, continued")
    page.get_by_label("Source paragraph").fill("para 31")
    page.get_by_label("Follows").select_option(label=f"N-KEN-C1 (cycle 1): {earlier.description}")
    page.screenshot(path=screenshot_dir / "focal-point-propose-follows.png", full_page=True)
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("alert")).to_contain_text("proposed")

    proposal = Need.objects.get(description="Training of prosecutors, continued")
    assert (proposal.acceptance, proposal.follows_id) == (Acceptance.PROPOSED, earlier.pk)
    need_decide_proposal(need=proposal, accept=True, user=staff)

    page.goto(f"{live_server.url}/states/KEN/")
    expect(page.get_by_test_id("chain-total")).to_have_text("1")
    page.get_by_test_id("all-chains").get_by_role("link").click()
    chain = page.get_by_test_id("follow-up-chain")
    expect(chain).to_have_attribute("data-ref", "N-KEN-C1")
    expect(chain.get_by_test_id("follow-up-later")).to_have_attribute("data-ref", proposal.ref)
    page.get_by_test_id("follow-up-chains").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "focal-point-country-chain.png", full_page=True)
