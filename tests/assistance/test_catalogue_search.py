"""Full-text search of need descriptions: PostgreSQL full-text search (the trigger-kept column
of migration needs/0005, served by the GIN index on the review and that column, needs/0012),
`icontains` words on SQLite."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needs.filters import NeedFilterSet
from needs.models import Need
from needs.selectors import NeedPaginator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def described(published_review):
    return {
        "assets": factories.NeedFactory(
            review=published_review, description="Tracing and recovering stolen assets abroad"
        ),
        "whistle": factories.NeedFactory(
            review=published_review,
            description="Protection of whistle-blowers in the public sector",
        ),
    }


def found(client, words):
    response = client.get(reverse("assistance:catalogue"), {"filtered": "1", "q": words})
    assert response.status_code == 200
    return {need.ref for need in response.context["page"]}


def test_search_finds_words_in_descriptions(client, described):
    assert found(client, "whistle-blowers") == {described["whistle"].ref}
    assert found(client, "stolen assets") == {described["assets"].ref}
    assert found(client, "nothing-like-this") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_search_matches_word_variants_on_postgresql(client, described):
    assert found(client, "asset recover") == {described["assets"].ref}
    assert found(client, "protect public") == {described["whistle"].ref}
    assert found(client, "assets -abroad") == set()
    assert found(client, '"public sector"') == {described["whistle"].ref}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL")
def test_search_uses_the_gin_index(described):
    queryset = NeedFilterSet({"q": "asset recovery"}, queryset=Need.objects.all()).qs
    with connection.cursor() as cursor:
        # On a few rows any plan costs the same; with sequential and plain index scans (of
        # the primary key, say) ruled out, only an index on the search expression can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "need_review_search" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL")
def test_a_page_of_a_search_reads_the_index_by_review_and_word(described, other_state):
    """Pages are read review by review: the page's reviews and the words go to the index
    together, not the word alone (every need that has it, 150,725 for "training" at 100
    times today's volume) intersected with the reviews' needs."""
    factories.NeedFactory(review=factories.ReviewFactory(state=other_state))
    queryset = NeedFilterSet({"q": "stolen assets"}, queryset=Need.objects.all()).qs
    with CaptureQueriesContext(connection) as queries:
        assert [need.ref for need in NeedPaginator(queryset, 10).page(1)] == [
            described["assets"].ref
        ]
    ids_query = next(q["sql"] for q in queries if '"review_id" IN (' in q["sql"])
    with connection.cursor() as cursor:
        # On a few rows any plan costs the same; at scale PostgreSQL prefers this index
        # (BENCHMARKS.md). Here the review's btree indexes go (in the test's transaction,
        # rolled back) and only bitmap scans are left, which need a condition on the
        # index: the GIN index is the only one left that can take the review's.
        cursor.execute("DROP INDEX need_review_category, needs_need_review__54f181_idx")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {ids_query}")
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert re.search(
        r"Bitmap Index Scan on need_review_search\s+\(.*\)\s+"
        r"Index Cond: \(\(review_id = '\d+'::bigint\) AND \(search_vector @@",
        plan,
    ), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_every_way_of_writing_a_description_keeps_the_search_current(described, staff):
    from needs.imports import import_needs
    from tests.needs.import_files import need_row, needs_file

    def matches(words):
        queryset = NeedFilterSet({"q": words}, queryset=Need.objects.all()).qs
        return set(queryset.values_list("ref", flat=True))

    need = described["assets"]
    need.description = "Mutual legal assistance in confiscation"
    need.save()
    assert matches("confiscation") == {need.ref}
    assert matches("stolen") == set()

    Need.objects.filter(pk=need.pk).update(description="Beneficial ownership registers")
    assert matches("ownership") == {need.ref}

    # A big import writes with COPY; the trigger fills the column there too.
    result = import_needs(
        data=needs_file([need_row(description="Forensic accounting for investigators")], "csv"),
        filename="needs.csv",
        user=staff,
        dry_run=False,
    )
    assert result.written
    assert len(matches("forensic accountants")) == 1


def test_the_api_searches_with_q_and_with_search(client, described):
    """`search`, the name DRF's search filter taught API clients, is the same search as `q`."""
    for parameter in ("q", "search"):
        response = client.get("/api/v1/needs/", {parameter: "whistle-blowers"})
        assert response.status_code == 200
        assert [need["ref"] for need in response.json()["results"]] == [described["whistle"].ref]
    schema = client.get("/api/schema/").content.decode()
    assert "Search descriptions (the same as q)" in schema
