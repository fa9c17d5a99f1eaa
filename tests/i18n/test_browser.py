"""The dashboard, a country page and the donors' catalogue in Arabic (right to left) and in
Chinese: direction, a translated heading, a translated article title. Arabic is chosen with
the language switcher (keyboard), Chinese with the language cookie."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from dashboard.services import recompute_figures
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Written out rather than read from the catalogues, so a broken catalogue fails the test.
EXPECTED = {
    "ar": {
        "dir": "rtl",
        "dashboard_heading": "لوحة المتابعة: احتياجات المساعدة التقنية",
        "states_heading": "الاستعراضات",
        "catalogue_heading": "فهرس الاحتياجات غير الملباة",
        "kenya": "كينيا",
        "article_5": "سياسات وممارسات مكافحة الفساد الوقائية",
        "article_9": "المشتريات العمومية وإدارة الأموال العمومية",
    },
    "zh-hans": {
        "dir": "ltr",
        "dashboard_heading": "仪表板：技术援助需求",  # noqa: RUF001 (Chinese punctuation)
        "states_heading": "审议",
        "catalogue_heading": "未满足需求目录",
        "kenya": "肯尼亚",
        "article_5": "预防性反腐败政策和做法",
        "article_9": "公共采购和公共财政管理",
    },
}


@pytest.fixture
def needs(committed_reference_data):
    chapter_ii = factories.chapter("II")
    review = factories.ReviewFactory(
        state=factories.state("KEN"), cycle=2, executive_summary_published=True
    )
    for number in (5, 9):
        factories.NeedFactory(
            review=review,
            chapter=chapter_ii,
            article=factories.article(number),
            description="Formation des enquêteurs financiers",
            description_language="fr",
        )
    recompute_figures()


def _choose_arabic_with_the_switcher(page, url):
    page.goto(f"{url}/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def _choose_chinese_with_the_cookie(page, url):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": url}]
    )


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_the_main_pages_read_in_arabic_and_chinese(
    browser, live_server, needs, screenshot_dir, language
):
    expected = EXPECTED[language]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    if language == "ar":
        _choose_arabic_with_the_switcher(page, live_server.url)
    else:
        _choose_chinese_with_the_cookie(page, live_server.url)
    html = page.locator("html")

    page.goto(f"{live_server.url}/dashboard/?cycle=2")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", expected["dir"])
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["dashboard_heading"])
    expect(page.get_by_test_id("figure-by-article-II")).to_contain_text(expected["article_5"])
    page.screenshot(path=screenshot_dir / f"i18n-{language}-dashboard.png", full_page=True)
    page.get_by_test_id("figure-by-article-II").screenshot(
        path=screenshot_dir / f"i18n-{language}-dashboard-articles.png"
    )

    page.goto(f"{live_server.url}/states/KEN/")
    expect(html).to_have_attribute("dir", expected["dir"])
    expect(page.get_by_test_id("state-name")).to_contain_text(expected["kenya"])
    expect(page.locator("#reviews-title")).to_have_text(expected["states_heading"])
    page.screenshot(path=screenshot_dir / f"i18n-{language}-country.png", full_page=True)

    page.goto(f"{live_server.url}/states/KEN/needs/")
    expect(html).to_have_attribute("dir", expected["dir"])
    expect(page.get_by_test_id("needs-chapter-II")).to_contain_text(expected["article_9"])
    description = page.get_by_text("Formation des enquêteurs financiers").first
    expect(description).to_have_attribute("lang", "fr")
    page.screenshot(path=screenshot_dir / f"i18n-{language}-country-needs.png", full_page=True)

    page.goto(f"{live_server.url}/catalogue/?filtered=1")
    expect(html).to_have_attribute("dir", expected["dir"])
    expect(page.get_by_role("heading", level=1)).to_have_text(expected["catalogue_heading"])
    expect(page.get_by_test_id("catalogue-table")).to_contain_text(expected["article_5"])
    page.screenshot(path=screenshot_dir / f"i18n-{language}-catalogue.png", full_page=True)
