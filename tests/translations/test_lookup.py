import pytest
from django.utils import translation

from needs.models import Category, Theme
from reviews.models import Article, Chapter, RegionalGroup, State
from translations.lookup import localized, translate_reference
from translations.models import ReferenceTranslation
from translations.services import translation_save

pytestmark = pytest.mark.django_db


def test_it_gives_the_official_titles_in_each_language():
    article = Article.objects.get(number=17)
    with translation.override("fr"):
        assert localized(article) == (
            "Soustraction, détournement ou autre usage illicite de biens par un agent public"
        )
    with translation.override("zh-hans"):
        assert localized(Chapter.objects.get(roman="V")) == "资产的追回"
    with translation.override("ru"):
        assert localized(RegionalGroup.objects.get(code="african")) == "Государства Африки"
    with translation.override("ar"):
        assert localized(State.objects.get(iso3="PSE")) == "دولة فلسطين"
    with translation.override("es"):
        assert localized(Category.objects.get(code="capacity_building")) == (
            "Fomento de la capacidad"
        )


def test_it_uses_the_un_short_names_of_states():
    with translation.override("fr"):
        assert localized(State.objects.get(iso3="TUR")) == "Türkiye"
        assert localized(State.objects.get(iso3="BOL")) == "Bolivie (État plurinational de)"
    with translation.override("es"):
        assert localized(State.objects.get(iso3="EUU")) == "Unión Europea"


def test_english_is_the_reference_row_itself(django_assert_num_queries):
    theme = Theme.objects.get(code="gender")
    with translation.override("en"), django_assert_num_queries(0):
        assert localized(theme) == theme.label


def test_it_falls_back_to_english_when_a_translation_is_missing():
    theme = Theme.objects.get(code="gender")
    ReferenceTranslation.objects.filter(kind="theme", code="gender", language="ru").delete()
    with translation.override("ru"):
        assert localized(theme) == theme.label
        assert translate_reference("article", 999, "Not an article") == "Not an article"


def test_a_page_view_costs_no_query_once_the_language_is_cached(django_assert_num_queries):
    articles = list(Article.objects.all())
    with translation.override("ar"):
        localized(articles[0])
        with django_assert_num_queries(0):
            titles = [localized(article) for article in articles]
    assert len(set(titles)) == 71


def test_a_correction_by_staff_shows_at_the_next_lookup(django_capture_on_commit_callbacks):
    article = Article.objects.get(number=1)
    with translation.override("es"):
        assert localized(article) == "Finalidad"
    row = ReferenceTranslation.objects.get(kind="article", code="1", language="es")
    row.text = "Finalidad de la Convención"
    with django_capture_on_commit_callbacks(execute=True):
        translation_save(translation=row)
    with translation.override("es"):
        assert localized(article) == "Finalidad de la Convención"


def test_it_refuses_an_unknown_language_or_an_empty_text():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        translation_save(
            translation=ReferenceTranslation(kind="theme", code="sport", language="de", text="x")
        )
    row = ReferenceTranslation.objects.get(kind="theme", code="sport", language="fr")
    row.text = ""
    with pytest.raises(ValidationError):
        translation_save(translation=row)


def test_anything_else_is_shown_as_text():
    assert localized(None) == ""
    assert localized("Kenya") == "Kenya"


def test_a_process_reads_a_language_table_from_the_cache_once(monkeypatch):
    """The cache hands out a copy of the table at each read (130 µs); the process keeps the
    copy it read until the version moves on."""
    from translations import lookup

    reads = []
    real_get = lookup.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(lookup.cache, "get", counting_get)
    states = list(State.objects.all()[:50])
    with translation.override("fr"):
        localized(states[0])
        reads.clear()
        names = [localized(state) for state in states]
        assert [key for key in reads if key != lookup.VERSION_KEY] == []
        assert localized(State.objects.get(iso3="TUR")) == "Türkiye"
        lookup.bump_version()
        localized(states[0])
    assert len(set(names)) == 50
    assert any(key.endswith(":fr") for key in reads)  # a new version is read again
