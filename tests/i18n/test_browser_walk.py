"""A walk in Arabic and in Chinese over the dashboard, a country page (public and as its focal
point), the donors' catalogue, a need and two forms (the need form, the focal point's
proposal): the page says its language and direction, and none of the English sentences of
our catalogues shows through untranslated, in the visible text nor in the names given to
assistive technologies (aria-label, placeholder, title). Screenshots of each page go to
test-artifacts/screenshots/walk-LANGUAGE-PAGE.png."""

import gettext
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.models import Role
from dashboard.services import recompute_figures
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
LOCALE = settings.BASE_DIR / "locale"
LANGUAGES = {"ar": ("ar", "rtl"), "zh-hans": ("zh_Hans", "ltr")}
# Words of the data and of names that read the same in every language.
SAME_IN_EVERY_LANGUAGE = {"CSV", "XLSX", "IATI", "API", "UNODC", "OK"}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sd]|\{[^}]*\}|<[^>]+>|&[a-z]+;")


def english_sentences(catalogue: str) -> set[str]:
    """The English texts of our catalogues (every language's) but those that CATALOGUE
    deliberately writes the same (a translation equal to its msgid): the fixed parts of each
    msgid, between its placeholders and tags, that have a letter in them. A msgid missing
    from CATALOGUE, or left empty there, stays in: it is what the page must not show."""
    msgids = set()
    for po_dir in LOCALE.iterdir():
        mo = po_dir / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            with mo.open("rb") as f:
                msgids |= {
                    k if isinstance(k, str) else k[0] for k in gettext.GNUTranslations(f)._catalog
                }
    with (LOCALE / catalogue / "LC_MESSAGES" / "django.mo").open("rb") as f:
        kept_as_is = {k for k, v in gettext.GNUTranslations(f)._catalog.items() if k == v}
    fragments = set()
    for msgid in msgids - kept_as_is:
        if not msgid:
            continue
        for part in PLACEHOLDER.split(msgid):
            part = part.strip(" .,:;()·—\u2013-“”\"'")
            if re.search(r"[A-Za-z]{2}", part) and part not in SAME_IN_EVERY_LANGUAGE:
                fragments.add(part)
    return fragments


def untranslated(text: str, fragments: set[str]) -> list[str]:
    """The fragments found in TEXT as whole words."""
    return sorted(
        f for f in fragments if re.search(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z])", text)
    )


# Three or more Latin words in a row: a sentence of a template or of the code left out of the
# catalogues (the check above only knows the texts that are in them).
LATIN_PHRASE = re.compile(r"[A-Za-z][A-Za-zÀ-ÿ'\u2019-]*(?:[ ,]+[A-Za-z][A-Za-zÀ-ÿ'\u2019-]*){2,}")
DESCRIPTION = "Formation des enquêteurs financiers"


def latin_phrases(text: str, data: list[str]) -> list[str]:
    """The Latin-script phrases of TEXT once the data (written as given) is taken out."""
    for value in data:
        text = text.replace(value, " ")
    return sorted(set(LATIN_PHRASE.findall(text)))


def read_by_people(page) -> str:
    """What a reader sees and what a screen reader says: the visible text, the aria-labels,
    placeholders and titles (not those of the charts' drawing, which pygal writes from the
    same translated strings)."""
    return page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('[aria-label], [placeholder], [title]')]
                     .map(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'),
                                e.getAttribute('title')].filter(Boolean).join('\\n'))
                 ].join('\\n')"""
    )


@pytest.fixture
def kenya(committed_reference_data):
    review = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    for number, coverage in ((5, "unmet"), (9, "partly_covered"), (10, "covered")):
        need = factories.NeedFactory(
            review=review,
            chapter=factories.chapter("II"),
            article=factories.article(number),
            coverage=coverage,
            description=DESCRIPTION,
            description_language="fr",
        )
    # A donor's name is data, written as the donor writes it.
    factories.DonorInterestFactory(need=need, donor=factories.DonorFactory(name="GIZ"))
    recompute_figures()
    staff = factories.make_user(
        Role.SECRETARIAT, username="amina", first_name="Amina", last_name="Saleh"
    )
    focal = factories.make_user(
        Role.FOCAL_POINT,
        username="wanjiru",
        first_name="Wanjiru",
        last_name="Kamau",
        state=review.state,
    )
    return {"need": need, "staff": staff, "focal": focal}


def signed_in(browser, base_url, user, language):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    page = context.new_page()
    if user is not None:
        page.goto(f"{base_url}/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_test_id("user-name")).to_be_visible()
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_walk_in_arabic_and_chinese_shows_no_english(
    browser, live_server, kenya, screenshot_dir, language
):
    catalogue, direction = LANGUAGES[language]
    fragments = english_sentences(catalogue)
    need = kenya["need"]
    walk = [
        ("dashboard", None, "/dashboard/?cycle=2"),
        ("country", None, "/states/KEN/"),
        ("country-focal-point", "focal", "/states/KEN/"),
        ("catalogue", None, "/catalogue/?filtered=1"),
        ("need", None, f"/catalogue/{need.ref}/"),
        ("need-form", "staff", f"/needs/{need.pk}/edit/"),
        ("proposal-form", "focal", "/needs/propose/KEN/"),
        ("login", None, "/accounts/login/"),
    ]
    pages = {
        who: signed_in(browser, live_server.url, kenya[who] if who else None, language)
        for who in (None, "staff", "focal")
    }
    data = [DESCRIPTION, *(kenya[who].get_full_name() for who in ("staff", "focal"))]
    found = []
    for name, who, path in walk:
        page = pages[who]
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", direction)
        page.screenshot(path=screenshot_dir / f"walk-{language}-{name}.png", full_page=True)
        text = read_by_people(page)
        found += [f"{name}: {phrase!r}" for phrase in untranslated(text, fragments)]
        found += [f"{name}: {phrase!r}" for phrase in latin_phrases(text, data)]
    assert not found, "English on the page:\n" + "\n".join(found)
