"""Full-text search of need descriptions: PostgreSQL full-text search (served by the GIN index
on the trigger-kept column of migration needs/0005), `icontains` words on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from needs.filters import NeedFilterSet
from needs.models import Need
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
    assert "needs_need_search_vector_gin" in plan


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
