"""The suggested placement of a new need (needs/suggestions.py), on a small set of needs."""

import pytest

from needs import suggestions
from needs.models import Subcategory
from needs.suggestions import suggest_placements, terms_of
from tests import factories

PLACED = [
    # (description, category, subcategory, article)
    (
        "Drafting a law on asset declarations of public officials",
        "legislative_assistance",
        "legislative_drafting",
        8,
    ),
    (
        "Training auditors on public procurement audits and tender fraud",
        "capacity_building",
        "procurement_accounting_audit",
        9,
    ),
    (
        "Establishing a new anti-corruption body with its own premises",
        "institution_building",
        "new_body",
        6,
    ),
    (
        "Formation des juges sur le recouvrement des avoirs volés",
        "capacity_building",
        "confiscation_asset_management",
        51,
    ),
    (
        "Обучение следователей по делам о взяточничестве",  # noqa: RUF001
        "capacity_building",
        "law_enforcement_prosecution",
        7,
    ),
]


@pytest.fixture
def placed_needs(published_review):
    needs = []
    for description, category, subcategory, article in PLACED:
        article = factories.article(article)
        needs.append(
            factories.NeedFactory(
                review=published_review,
                chapter=article.chapter,
                article=article,
                category=factories.category(category),
                subcategory=Subcategory.objects.get(code=subcategory),
                description=description,
            )
        )
    return needs


@pytest.fixture(params=["full text", "fallback"])
def engine(request, monkeypatch):
    """PostgreSQL's full-text search, and the LIKE fallback SQLite uses."""
    if request.param == "fallback":
        monkeypatch.setattr(suggestions, "_full_text", lambda: False)
    return request.param


@pytest.mark.parametrize("index", range(len(PLACED)))
def test_a_description_identical_to_a_need_gets_its_placement_first(
    engine, placed_needs, staff, index
):
    need = placed_needs[index]

    best = suggest_placements(user=staff, description=need.description)[0]

    assert best.category == need.category.code
    assert best.subcategory == need.subcategory.code
    assert (best.chapter, best.article) == (need.chapter.roman, need.article.number)


def test_a_description_like_a_need_gets_its_category_first(engine, placed_needs, staff):
    found = suggest_placements(user=staff, description="Audit of procurement tenders")

    assert found[0].category == "capacity_building"
    assert found[0].subcategory == "procurement_accounting_audit"
    assert found[0].article == 9
    assert found[0].article_label.startswith("Article 9:")
    assert 0 < found[0].score <= 1


def test_scores_are_shares_best_first(engine, placed_needs, staff):
    found = suggest_placements(user=staff, description="Training on asset declarations of judges")

    assert found
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert sum(s.score for s in found) <= 1.001


def test_nothing_is_suggested_without_a_shared_word(engine, placed_needs, staff):
    assert suggest_placements(user=staff, description="zzzyx qwv") == []
    assert suggest_placements(user=staff, description="the of and, 12 !") == []


def test_a_focal_point_gets_suggestions_only_from_needs_they_may_see(
    engine, placed_needs, unpublished_review, focal_point, other_focal_point
):
    article = factories.article(30)
    factories.NeedFactory(
        review=unpublished_review,
        chapter=article.chapter,
        article=article,
        category=factories.category("policymaking"),
        description="Sentencing guidelines for kleptocracy cases",
    )

    own = suggest_placements(user=focal_point, description="kleptocracy sentencing")
    other = suggest_placements(user=other_focal_point, description="kleptocracy sentencing")

    assert own[0].category == "policymaking"
    assert other == []


def test_proposals_and_other_cycles_are_left_out(engine, placed_needs, staff, published_review):
    factories.NeedFactory(
        review=published_review,
        category=factories.category("policymaking"),
        acceptance="proposed",
        description="Whistleblower hotline proposal",
    )

    assert suggest_placements(user=staff, description="whistleblower hotline") == []
    assert suggest_placements(user=staff, description=PLACED[0][0], cycle=1) == []
    assert suggest_placements(user=staff, description=PLACED[0][0], cycle=2)


def test_the_query_count_does_not_grow_with_the_needs(
    engine, placed_needs, staff, published_review, django_assert_max_num_queries
):
    expected = 1 if engine == "full text" else 2
    with django_assert_max_num_queries(expected):
        suggest_placements(user=staff, description=PLACED[1][0])
    factories.NeedFactory.create_batch(
        20, review=published_review, description="Training auditors on public audits"
    )
    with django_assert_max_num_queries(expected):
        assert suggest_placements(user=staff, description=PLACED[1][0])


def test_labels_are_in_the_language_of_the_request(placed_needs, staff, settings):
    from django.utils import translation

    with translation.override("fr"):
        best = suggest_placements(user=staff, description=PLACED[0][0])[0]

    assert best.category == "legislative_assistance"
    assert best.article_label.startswith("Article 8")
    assert best.category_label != "Legislative assistance"


def test_terms_drop_stop_words_digits_and_repeats():
    assert terms_of("The training of the JUDGES, training 2019 on a law") == [
        "training",
        "judges",
        "law",
    ]
    assert terms_of("la formation des juges") == ["formation", "juges"]


def test_an_import_check_suggests_a_placement_for_rows_without_a_valid_one(
    placed_needs, staff, client
):
    from django.urls import reverse

    from core.imports.jobs import start_import_job
    from core.models import ImportStatus
    from tests.needs.import_files import need_row, needs_file

    rows = [
        need_row(),  # valid: no hint
        need_row(category="", description="Training auditors on procurement audits"),
        need_row(article="99", description="A law on asset declarations of officials"),
        need_row(category="nonsense", description="zzqxv"),  # nothing alike: no hint
    ]

    job = start_import_job(kind="needs", filename="n.csv", data=needs_file(rows), user=staff)

    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert job.hints == [
        "row 3: the most similar recorded needs suggest chapter II, article 9, category "
        "capacity_building, subcategory procurement_accounting_audit.",
        "row 4: the most similar recorded needs suggest chapter II, article 8, category "
        "legislative_assistance, subcategory legislative_drafting.",
    ]
    client.force_login(staff)
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert "row 3: the most similar recorded needs suggest" in page.content.decode()
    assert 'data-testid="import-hints"' in page.content.decode()


def test_import_hints_are_bounded(placed_needs, staff):
    from needs import imports
    from tests.needs.import_files import need_row, needs_file

    rows = [need_row(category="", description=f"Procurement audits {n}") for n in range(30)]

    result = imports.import_needs(data=needs_file(rows), filename="n.csv", user=staff, dry_run=True)

    assert len(result.hints) == imports.HINTED_ROWS
