"""In headless Chromium, staff and a focal point type a new need's description and take the
placement the recorded needs suggest: one click fills in the article, category and
subcategory."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from needs.models import Need, Subcategory
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


@pytest.fixture
def recorded_needs(published_review):
    for number, category, subcategory, description in [
        (
            9,
            "capacity_building",
            "procurement_accounting_audit",
            "Training auditors on public procurement audits and tender fraud",
        ),
        (
            8,
            "legislative_assistance",
            "legislative_drafting",
            "Drafting a law on asset declarations of public officials",
        ),
    ]:
        article = factories.article(number)
        factories.NeedFactory(
            review=published_review,
            chapter=article.chapter,
            article=article,
            category=factories.category(category),
            subcategory=Subcategory.objects.get(code=subcategory),
            description=description,
        )


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_type_a_description_and_take_a_suggested_placement(
    page, live_server, staff, published_review, recorded_needs, screenshot_dir
):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}{reverse('needs:need_create', args=[published_review.pk])}")
    suggestions = page.get_by_test_id("placement-suggestions")
    expect(suggestions).to_be_hidden()

    page.get_by_label("Description", exact=True).press_sequentially(
        "Audits of procurement tenders in ministries", delay=5
    )

    first = suggestions.get_by_test_id("placement-suggestion").first
    expect(first).to_contain_text("Public procurement, accounting and auditing")
    expect(first).to_contain_text("Article 9:")
    expect(suggestions.get_by_role("status")).to_contain_text("Choose one")
    page.screenshot(path=screenshot_dir / "need-form-suggestions.png", full_page=True)
    first.click()

    expect(page.get_by_label("Article")).to_have_value("article:9")
    expect(page.get_by_label("Category", exact=True)).to_have_value(
        str(factories.category("capacity_building").pk)
    )
    expect(page.get_by_label("Subcategory")).to_have_value(
        str(Subcategory.objects.get(code="procurement_accounting_audit").pk)
    )
    expect(suggestions.get_by_role("status")).to_contain_text("Filled in")
    page.screenshot(path=screenshot_dir / "need-form-suggestion-taken.png", full_page=True)
    page.get_by_role("button", name="Add the need").click()

    need = Need.objects.get(description="Audits of procurement tenders in ministries")
    assert need.article.number == 9
    assert need.subcategory.code == "procurement_accounting_audit"


def test_a_focal_point_takes_a_suggested_placement_for_a_proposal(
    page, live_server, focal_point, published_review, recorded_needs, screenshot_dir
):
    sign_in(page, live_server, focal_point)
    page.goto(f"{live_server.url}{reverse('needs:need_propose', args=['KEN'])}")

    page.get_by_label("Description", exact=True).fill("A law on asset declarations")
    first = page.get_by_test_id("placement-suggestion").first
    expect(first).to_contain_text("Legislative drafting")
    first.click()

    expect(page.locator("select[name=placement] option:checked")).to_contain_text("Article 8:")
    expect(page.locator("select[name=category] option:checked")).to_have_text(
        "Legislative assistance"
    )
    expect(page.locator("select[name=subcategory] option:checked")).to_contain_text(
        "Legislative drafting"
    )
    page.screenshot(path=screenshot_dir / "focal-propose-suggestion.png", full_page=True)
