"""Accessibility, measured in headless Chromium with axe-core (the copy that the
axe-playwright-python package ships, injected by Playwright: nothing from a CDN).

The main pages, signed out and signed in as the people who use them, in English and in
Arabic, have no serious or critical violation; the counts of every impact are written to
test-artifacts/accessibility-LANGUAGE.json. The main menu and a form work with the keyboard
alone, and the pages reflow at 200 % zoom (a 640-pixel-wide window) without scrolling
sideways, the menu still reachable."""

import datetime
import json
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from core.models import Role
from dashboard.services import recompute_figures, snapshot_create
from reviews.reference import load_reference
from tests import factories
from translations.lookup import bump_version
from translations.models import ReferenceTranslation
from translations.reference_data import load_translations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password
BLOCKING = ("serious", "critical")
AXE = Axe()


@pytest.fixture
def committed_reference_data(transactional_db):
    """Reference rows and their translations: another committing test's flush may have
    removed the rows the migrations loaded."""
    load_reference()
    load_translations(ReferenceTranslation)
    bump_version()
    yield
    bump_version()


@pytest.fixture
def site(committed_reference_data):
    """Kenya's second review with needs in two chapters, of every coverage, a snapshot so the
    dashboard draws its figures over time, an activity meeting a need and a donor's interest;
    a member of the secretariat and Kenya's focal point."""
    kenya, peru = factories.state("KEN"), factories.state("PER")
    chapter_ii, chapter_v = factories.chapter("II"), factories.chapter("V")
    categories = ["capacity_building", "legislative_assistance", "institution_building"]
    needs = []
    for state in (kenya, peru):
        review = factories.ReviewFactory(state=state, cycle=2)
        for number in range(6):
            needs.append(
                factories.NeedFactory(
                    review=review,
                    chapter=chapter_ii if number % 3 else chapter_v,
                    article=factories.article(5 + number % 4) if number % 3 else None,
                    category=factories.category(categories[number % 3]),
                    coverage=["unmet", "partly_covered", "covered"][number % 3],
                )
            )
    recompute_figures()
    snapshot_create(label="CAC/COSP/IRG/2020/7", taken_on=datetime.date(2020, 11, 1))
    factories.DonorInterestFactory(need=needs[0])
    recompute_figures()
    staff = factories.make_user(Role.SECRETARIAT, username="staff")
    focal = factories.make_user(Role.FOCAL_POINT, username="focal", state=kenya)
    return {"need": needs[0], "staff": staff, "focal": focal}


def open_as(browser, base_url, user, language, **context_args):
    """A page in a fresh context, in LANGUAGE, signed in as USER (None: signed out)."""
    context = browser.new_context(**context_args)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    page = context.new_page()
    if user is not None:
        page.goto(f"{base_url}/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_test_id("user-name")).to_be_attached()
    return page


def pages_to_check(site):
    """(name, who, path): who is None, "staff" or "focal"."""
    need = site["need"]
    return [
        ("home", None, "/"),
        ("login", None, "/accounts/login/"),
        ("dashboard", None, "/dashboard/"),
        ("dashboard-signed-in", "staff", "/dashboard/"),
        ("states", None, "/states/"),
        ("country-public", None, "/states/KEN/"),
        ("country-focal-point", "focal", "/states/KEN/"),
        ("catalogue", None, "/catalogue/"),
        ("need", None, f"/catalogue/{need.ref}/"),
        ("need-form", "staff", f"/needs/{need.pk}/edit/"),
        ("import", "staff", "/import/"),
    ]


# Arabic letters join into ligatures, which axe-core takes for an icon font's and leaves out of
# its colour-contrast rule (its `color-contrast-matches`): on the Arabic pages the rule finds
# nothing, passes nothing. The contrast is measured there a second time with each Arabic
# letter written as a Latin one, in the same elements and colours.
LATIN_LETTERS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    node.nodeValue = node.nodeValue.replace(/[\u0600-\u06ff\u0750-\u077f]/g, "a");
  }
}"""


def violations_on(page, language: str = "en") -> list[dict]:
    violations = AXE.run(page).response["violations"]
    if language == "ar":
        page.evaluate(LATIN_LETTERS)
        contrast = AXE.run(
            page, options={"runOnly": ["color-contrast"], "resultTypes": ["violations"]}
        ).response["violations"]
        violations = [v for v in violations if v["id"] != "color-contrast"] + contrast
    return violations


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_have_no_serious_or_critical_violation(browser, live_server, site, language):
    pages = {
        who: open_as(browser, live_server.url, site[who] if who else None, language)
        for who in (None, "staff", "focal")
    }
    counts, blocking = {}, []
    for name, who, path in pages_to_check(site):
        page = pages[who]
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        expect(page.locator("html")).to_have_attribute("lang", language)
        violations = violations_on(page, language)
        counts[name] = {
            "rules": dict(Counter(v["impact"] for v in violations)),
            "elements": dict(
                sum((Counter({v["impact"]: len(v["nodes"])}) for v in violations), Counter())
            ),
            "ids": sorted(f"{v['id']} ({v['impact']})" for v in violations),
        }
        for violation in violations:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"]][:5]
                blocking.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")
    out = settings.BASE_DIR / "test-artifacts" / f"accessibility-{language}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(counts, indent=2, sort_keys=True))
    assert not blocking, "\n".join(blocking)


def tab_to(page, selector: str, limit: int = 80):
    """Presses Tab until the element matching SELECTOR has the focus; fails past LIMIT."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.locator(selector)
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def outline_of(page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


def test_the_menu_and_the_forms_work_with_the_keyboard_alone(
    browser, live_server, site, screenshot_dir
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")

    # The first Tab shows the skip link; Enter moves to the page's content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Signing in: the menu's link, then the username (which has the focus on arrival),
    # Tab, the password, Enter.
    tab_to(page, ".navbar a[href='/accounts/login/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()
    assert outline_of(page) == "solid 3px"
    page.keyboard.type(site["staff"].username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("user-name")).to_be_visible()

    # The main menu: from the top of the page, Tab to the dashboard's link and follow it.
    page.keyboard.press("Home")
    page.evaluate("() => document.activeElement.blur()")
    tab_to(page, "[data-testid=nav-dashboard]")
    assert outline_of(page) == "solid 3px"
    page.screenshot(path=screenshot_dir / "a11y-keyboard-nav-focus.png")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")

    # The dashboard's filter: choose a region with the arrow keys, submit with Enter.
    tab_to(page, "#id_region")
    page.keyboard.press("ArrowDown")
    tab_to(page, "[data-testid=dashboard-filter] button[type=submit]")
    assert outline_of(page) == "solid 3px"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "region=" in page.url

    # The need form: change the description and save it, with the keyboard only.
    need = site["need"]
    page.goto(f"{live_server.url}/needs/{need.pk}/edit/")
    tab_to(page, "#id_description")
    page.keyboard.press("End")
    page.keyboard.type(" (keyboard)")
    tab_to(page, "[data-testid=need-form] button[type=submit]")
    page.screenshot(path=screenshot_dir / "a11y-keyboard-form-submit.png")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    need.refresh_from_db()
    assert need.description.endswith(" (keyboard)")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pages_reflow_at_200_percent_zoom(browser, live_server, site, screenshot_dir, language):
    """A 640-pixel-wide window is what a 1280-pixel screen shows at 200 %: no page scrolls
    sideways (wide tables scroll inside their own box), and the menu opens from its button
    with the keyboard."""
    narrow = {"viewport": {"width": 640, "height": 900}}
    pages = {
        who: open_as(browser, live_server.url, site[who] if who else None, language, **narrow)
        for who in (None, "staff", "focal")
    }
    too_wide = []
    for name, who, path in pages_to_check(site):
        page = pages[who]
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 640:
            too_wide.append(f"{name}: {width}px")
        page.screenshot(path=screenshot_dir / f"a11y-640-{language}-{name}.png", full_page=True)
    assert not too_wide, too_wide

    page = pages["staff"]
    page.goto(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    expect(page.get_by_test_id("nav-dashboard")).to_be_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    tab_to(page, "[data-testid=nav-dashboard]", limit=10)
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"a11y-640-{language}-menu-open.png")


def test_every_chart_has_a_table_and_its_series_are_told_apart_without_colour(
    browser, live_server, site
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in ("/dashboard/", "/states/KEN/"):
        page.goto(f"{live_server.url}{path}")
        charts = page.locator(".chart svg[role=img]")
        assert charts.count() > 0, path
        for index in range(charts.count()):
            chart = charts.nth(index)
            assert chart.get_attribute("aria-label"), path
            # The chart's text equivalent: a table next to it, in the same column or section.
            has_table = chart.evaluate(
                "(svg) => !!svg.closest('section, .col-lg-6').querySelector('table caption')"
            )
            assert has_table, (path, chart.get_attribute("aria-label"))
    page.goto(f"{live_server.url}/dashboard/")
    second_series = page.locator(".chart .series.serie-1 rect").first
    fill = second_series.evaluate("(rect) => getComputedStyle(rect).fill")
    assert "chart-pattern-1" in fill
    first_series = page.locator(".chart .series.serie-0 rect").first
    assert "url" not in first_series.evaluate("(rect) => getComputedStyle(rect).fill")
