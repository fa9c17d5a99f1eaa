import pytest
from django.core.management import call_command

from needs.models import Category, Subcategory, Theme
from reviews.models import Article, Chapter, RegionalGroup, State
from translations.models import ReferenceTranslation
from translations.reference_data import LANGUAGES, load_translations, shipped_translations

pytestmark = pytest.mark.django_db


def test_every_reference_row_is_translated_into_the_five_other_languages():
    codes = {
        "chapter": set(Chapter.objects.values_list("roman", flat=True)),
        "article": {str(n) for n in Article.objects.values_list("number", flat=True)},
        "category": set(Category.objects.values_list("code", flat=True)),
        "subcategory": set(Subcategory.objects.values_list("code", flat=True)),
        "theme": set(Theme.objects.values_list("code", flat=True)),
        "region": set(RegionalGroup.objects.values_list("code", flat=True)),
        "state": set(State.objects.values_list("iso3", flat=True)),
    }
    shipped = {}
    for kind, code, language, text in shipped_translations():
        assert text.strip(), (kind, code, language)
        shipped.setdefault((kind, language), set()).add(code)
    for kind, expected in codes.items():
        for language in LANGUAGES:
            assert shipped[(kind, language)] == expected, (kind, language)
    assert len(codes["article"]) == 71
    assert len(codes["category"]) + len(codes["subcategory"]) + len(codes["theme"]) == 37


def test_the_migration_loaded_them():
    assert ReferenceTranslation.objects.count() == len(shipped_translations())


def test_loading_again_keeps_corrections_unless_asked_to_overwrite():
    row = ReferenceTranslation.objects.get(kind="chapter", code="II", language="fr")
    ReferenceTranslation.objects.filter(pk=row.pk).update(text="Prévention")

    assert load_translations(ReferenceTranslation) == 0
    row.refresh_from_db()
    assert row.text == "Prévention"

    call_command("load_reference_translations", "--overwrite")
    row.refresh_from_db()
    assert row.text == "Mesures préventives"


def test_the_command_adds_what_is_missing():
    ReferenceTranslation.objects.filter(kind="state").delete()
    call_command("load_reference_translations")
    assert ReferenceTranslation.objects.filter(kind="state").count() == 5 * State.objects.count()
