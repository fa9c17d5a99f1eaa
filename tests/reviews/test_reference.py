"""The reference data the migrations load: the Convention, the States, the need taxonomy."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from needs.models import Category, Subcategory, Theme
from reviews.models import Article, Chapter, RegionalGroup, State
from reviews.reference import load_reference

REFERENCE_MODELS = (RegionalGroup, State, Chapter, Article, Category, Subcategory, Theme)


def snapshot() -> dict:
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in REFERENCE_MODELS
    }


def test_the_convention_has_8_chapters_and_71_articles(db):
    assert Chapter.objects.count() == 8
    assert Article.objects.count() == 71
    assert list(Chapter.objects.values_list("number", flat=True)) == list(range(1, 9))


def test_first_cycle_reviews_chapters_iii_and_iv_and_second_cycle_ii_and_v(db):
    cycles = dict(Chapter.objects.values_list("roman", "reviewed_in_cycle"))
    assert cycles == {
        "I": None,
        "II": 2,
        "III": 1,
        "IV": 1,
        "V": 2,
        "VI": None,
        "VII": None,
        "VIII": None,
    }


def test_articles_belong_to_their_chapters(db):
    first_and_last = {
        roman: (min(numbers), max(numbers))
        for roman in ("II", "III", "IV", "V")
        for numbers in [
            list(Article.objects.filter(chapter__roman=roman).values_list("number", flat=True))
        ]
    }
    assert first_and_last == {"II": (5, 14), "III": (15, 42), "IV": (43, 50), "V": (51, 59)}


def test_states_and_regional_groups(db):
    assert State.objects.count() == 198
    assert set(RegionalGroup.objects.values_list("code", flat=True)) == {
        "african",
        "asia_pacific",
        "eastern_european",
        "latin_american_caribbean",
        "western_european_other",
    }
    assert State.objects.filter(is_party=True).count() == 195


def test_the_european_union_is_a_party_without_a_regional_group(db):
    eu = State.objects.get(iso3="EUU")
    assert eu.is_party
    assert eu.regional_group is None
    assert not eu.un_member


def test_every_un_member_has_a_regional_group(db):
    assert not State.objects.filter(un_member=True, regional_group__isnull=True).exists()


def test_the_need_taxonomy(db):
    assert Category.objects.count() == 7
    assert Subcategory.objects.count() == 19
    assert Theme.objects.count() == 11
    assert Subcategory.objects.filter(category__code="capacity_building").count() == 11


def test_labels_with_commas_are_kept_whole(db):
    assert (
        Theme.objects.get(code="technology").label
        == "Technological tools (e-government, data systems, digital declarations)"
    )
    assert Theme.objects.get(code="civil_society").label == "Civil society, media and academia"
    assert (
        Category.objects.get(code="research_data").label == "Research, data collection and analysis"
    )


def test_running_load_reference_again_changes_nothing(db):
    before = snapshot()
    state_history = State.history.count()
    load_reference()
    assert snapshot() == before
    assert State.history.count() == state_history


def test_the_command_reports_the_counts(db, capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "States: 198" in out
    assert "articles: 71" in out


def test_a_correction_of_the_party_flag_survives_a_reload(db):
    holy_see = State.objects.get(iso3="VAT")
    holy_see.is_party = False
    holy_see.save()
    load_reference()
    holy_see.refresh_from_db()
    assert holy_see.is_party is False


@pytest.mark.parametrize("iso3", ["KEN", "PER", "DEU"])
def test_a_renamed_state_gets_its_reference_name_back(db, iso3):
    state = State.objects.get(iso3=iso3)
    reference_name = state.name
    State.objects.filter(pk=state.pk).update(name="Typo")
    load_reference()
    state.refresh_from_db()
    assert state.name == reference_name
