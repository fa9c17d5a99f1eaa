"""In headless Chromium, a member of the secretariat signs in, creates a review, adds two
needs from the review page, and finds them there, grouped by chapter and article."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import Review
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def test_staff_create_a_review_add_two_needs_and_see_them(page, live_server, staff, screenshot_dir):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_test_id("main-nav").get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="New review").click()
    page.get_by_label("State under review").select_option(label="Kenya")
    page.get_by_label("Cycle").select_option(label="Second cycle")
    page.get_by_label("First reviewing State").select_option(label="Peru")
    page.get_by_label("Second reviewing State").select_option(label="France")
    page.get_by_label("Self-assessment checklist submitted").fill("2018-03-01")
    page.get_by_label("Direct dialogue", exact=True).fill("2018-09-01")
    page.get_by_label("Executive summary completed").fill("2019-02-01")
    page.get_by_label("Executive summary published").check()
    page.get_by_label("Review year").fill("2018")
    page.screenshot(path=screenshot_dir / "secretariat-review-form.png", full_page=True)
    page.get_by_label("Review year").press("Enter")  # the keyboard submits the form

    expect(page.get_by_role("heading", name="Review of Kenya")).to_be_visible()
    review = Review.objects.get(state__iso3="KEN", cycle=2)
    assert page.url == f"{live_server.url}{reverse('reviews:review_detail', args=[review.pk])}"
    expect(page.get_by_test_id("timeline")).to_contain_text("1 Sep 2018")

    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Article").select_option(value="article:5")
    page.get_by_label("Category", exact=True).select_option(label="Capacity-building")
    subcategory = page.get_by_label("Subcategory")
    # Only the chosen category's subcategories are offered.
    expect(subcategory.locator("option", has_text="Legal advice")).to_be_disabled()
    subcategory.select_option(label="Preventive tools, action plan, training and evaluation")
    page.get_by_label("Description", exact=True).fill(
        "Training for the staff of the anti-corruption body"
    )
    page.get_by_label("Training", exact=True).check()
    page.get_by_label("Priority").select_option(label="High")
    page.screenshot(path=screenshot_dir / "secretariat-need-form.png", full_page=True)
    page.get_by_role("button", name="Add and add another").click()

    expect(page.locator(".alert-success")).to_contain_text("added")
    page.get_by_label("Article").select_option(label="Chapter V in general")
    page.get_by_label("Category", exact=True).select_option(label="Legislative assistance")
    page.get_by_label("Description", exact=True).fill(
        "Advice on a law on non-conviction-based confiscation"
    )
    page.get_by_role("button", name="Add the need").click()

    rows = page.get_by_test_id("need-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("need-count")).to_have_text("2")
    expect(rows.nth(0)).to_contain_text("Training for the staff of the anti-corruption body")
    expect(rows.nth(1)).to_contain_text("Advice on a law on non-conviction-based confiscation")
    expect(page.get_by_role("heading", name="Chapter II: Preventive measures")).to_be_visible()
    expect(page.get_by_role("heading", name="Article 5:", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Chapter V in general")).to_be_visible()
    page.screenshot(path=screenshot_dir / "secretariat-review-page.png", full_page=True)

    # Readable at 200% zoom: the same page in half the width.
    page.set_viewport_size({"width": 640, "height": 900})
    page.screenshot(path=screenshot_dir / "secretariat-review-page-zoom.png", full_page=True)


def test_staff_save_a_needs_list_search_and_open_it_from_home(
    page, live_server, staff, published_need, unpublished_need, screenshot_dir
):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("nav-needs").click()
    page.get_by_label("Cycle").select_option(label="1")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("need-row")).to_have_count(1)

    save = page.get_by_test_id("save-search")
    save.get_by_text("Save this search").click()
    save.get_by_label("Name").fill("First cycle")
    save.get_by_role("button", name="Save the search").click()
    expect(page.locator(".alert-success")).to_contain_text("First cycle")

    page.get_by_test_id("main-nav").get_by_role("link", name="Home").click()
    page.get_by_test_id("home-saved-searches").get_by_role("link", name="First cycle").click()
    expect(page.get_by_test_id("need-row")).to_have_count(1)
    expect(page.get_by_test_id("need-row")).to_contain_text(unpublished_need.ref)
    page.screenshot(path=screenshot_dir / "saved-search-staff-needs.png", full_page=True)


def test_staff_give_a_need_its_source_and_the_need_it_follows(
    page, live_server, staff, published_need, screenshot_dir
):
    """Kenya's second-cycle need carries on a first-cycle need: staff say so on the need's
    form, with the paragraph and sentence of the review, and the country page shows the chain."""
    first_review = factories.ReviewFactory(state=published_need.review.state, cycle=1)
    earlier = factories.NeedFactory(
        review=first_review, ref="N-FIRSTCYCLE", description="Training on bribery cases"
    )
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}{reverse('needs:need_edit', args=[published_need.pk])}")
    page.get_by_label("Source paragraph").fill("para 42")
    excerpt = "Kenya would benefit from training for investigators. " * 5
    page.get_by_label("Source excerpt").fill(excerpt.strip())
    page.get_by_label("Follows").select_option(
        label=f"N-FIRSTCYCLE (cycle 1): {earlier.description}"
    )
    page.screenshot(path=screenshot_dir / "secretariat-need-source-form.png", full_page=True)
    page.get_by_role("button", name="Save the need").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")

    page.goto(f"{live_server.url}{reverse('countries:state_detail', args=['KEN'])}")
    expect(page.get_by_test_id("chain-total")).to_have_text("1")
    page.get_by_test_id("all-chains").get_by_role("link").click()
    chain = page.get_by_test_id("follow-up-chain")
    expect(chain).to_have_count(1)
    expect(chain).to_have_attribute("data-ref", "N-FIRSTCYCLE")
    expect(chain.get_by_test_id("follow-up-later")).to_have_attribute(
        "data-ref", published_need.ref
    )
    page.get_by_test_id("follow-up-chains").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "secretariat-country-chain.png", full_page=True)

    row = page.locator(f'tr[data-ref="{published_need.ref}"]')
    expect(row.get_by_test_id("source-paragraph")).to_have_text("para 42")
    expect(row.get_by_test_id("source-excerpt")).not_to_be_visible()
    row.get_by_test_id("source-excerpt-short").click()  # the whole excerpt, one click away
    expect(row.get_by_test_id("source-excerpt")).to_be_visible()
    expect(row.get_by_test_id("need-follows")).to_contain_text("N-FIRSTCYCLE")
    page.screenshot(path=screenshot_dir / "secretariat-country-needs-source.png", full_page=True)
