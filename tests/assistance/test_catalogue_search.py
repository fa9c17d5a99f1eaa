"""Full-text search of need descriptions: PostgreSQL full-text search (served by the GIN index
of migration assistance/0003), `icontains` words on SQLite."""

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
    assert "needs_need_description_fts" in plan
