"""In headless Chromium, each role signs in through the sign-in page and sees its own
header and navigation; then signs out through the header."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password

# role: (label in the header, sees the back office, lands on)
EXPECTED = {
    "staff": ("Secretariat staff", False, "home"),
    "administrator": ("Administrator", True, "home"),
    "focal_point": ("Focal point", False, "country"),
    "donor": ("Donor", False, "home"),
}


def test_each_role_signs_in_and_sees_its_navigation(
    page, live_server, people, home_state, screenshot_dir
):
    country_page = reverse("countries:state_detail", args=[home_state.iso3])
    for role, (label, back_office, lands_on) in EXPECTED.items():
        user = people[role]
        page.goto(f"{live_server.url}{reverse('login')}")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_test_id("user-role")).to_have_text(label)
        expect(page.get_by_test_id("user-name")).to_have_text(user.get_full_name())
        landing = country_page if lands_on == "country" else reverse("home")
        assert page.url == f"{live_server.url}{landing}", role
        nav = page.get_by_test_id("main-nav")
        expect(nav.get_by_role("link", name="Back office")).to_have_count(1 if back_office else 0)
        expect(nav.get_by_role("link", name="My country", exact=False)).to_have_count(
            1 if role == "focal_point" else 0
        )
        page.screenshot(path=screenshot_dir / f"home-{role}.png", full_page=True)

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_test_id("user-role")).to_have_count(0)
        expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
