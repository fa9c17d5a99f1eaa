"""Suggested placement of a new need: the category, subcategory and article of the recorded
needs whose descriptions are most like the one being typed.

A k-nearest-neighbours vote computed by the database in one statement: the `NEIGHBOURS` needs
(of those the person may see, accepted ones only) that share the most words with the
description, ranked, then grouped by placement (GROUP BY category, subcategory, chapter,
article) with their ranks summed; placements differing only in subcategory are then merged
(keeping the heaviest subcategory). A placement's score is its share of the neighbours'
ranks.

- PostgreSQL reads the stored search vector of each need (needs/0005: a GIN-indexed
  `tsvector` written by a trigger with the `english` configuration). The needs ranked are
  those holding the description's rarest words (`_CandidateQuery`, from PostgreSQL's own
  word statistics); `ts_rank` ranks them against an OR of all its words, normalised by the
  same configuration. The configuration only stems English words and drops English stop
  words; words of the other languages are kept as they are written (lower case) on both
  sides, so they match too. A Chinese text has no spaces between words: it matches by whole
  runs of characters only.
- SQLite (the embedded default) has no stored vector: it counts, in one query, how many needs
  hold each word (icontains), keeps the rarest few and ranks the needs by the sum of their
  words' inverse frequencies (a LIKE per word).
"""

import math
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext

from translations.lookup import translate_reference
from translations.models import ReferenceKind

from .models import Need

MAX_DESCRIPTION_LENGTH = 5000
NEIGHBOURS = 30
SUGGESTIONS = 5
MAX_TERMS = 40
# PostgreSQL, the needs worth ranking (`_CandidateQuery`): those holding all of the
# description's ALL_OF_RAREST rarest words, else those holding one of its words fewer than
# COMMON_SHARE of the needs hold, or one of its RAREST_WORDS rarest.
ALL_OF_RAREST = 3
COMMON_SHARE = 0.02
RAREST_WORDS = 2
# ts_rank divides by the document length (2), so that a longer description holding the same
# words does not outrank an identical one.
RANK_NORMALIZATION = 2
# SQLite: the rarest words kept, each one a LIKE over the needs.
FALLBACK_TERMS = 6

WORD = re.compile(r"\w+")
# Function words of the languages whose words are separated by spaces. PostgreSQL's
# `english` configuration drops the English ones itself; the others would match almost every
# need written in their language and drown the words that tell needs apart.
STOP_WORDS_BY_LANGUAGE = {
    "en": "a an and are as at be by for from has have in into is it of on or that the their "
    "this to was were which with within its all other such also more",
    "fr": "au aux avec ce ces dans de des du elle en et est il ils la le les leur leurs mais ne "
    "par pas pour qui que sa se ses son sur un une",
    "es": "al con del el en es la las lo los para por que se su sus un una y o",
    "ru": "в во и к на не о об от по с со для из или как что это его её их а но",  # noqa: RUF001
    "ar": "في من على إلى عن مع أو و ال التي الذي هذه هذا",
}
# "[Demo]" starts every demonstration need's description.
STOP_WORDS = frozenset(
    word for words in [*STOP_WORDS_BY_LANGUAGE.values(), "demo"] for word in words.split(" ")
)


@dataclass(frozen=True)
class Suggestion:
    category: str
    category_label: str
    subcategory: str | None
    subcategory_label: str
    chapter: str
    article: int | None
    article_label: str
    score: float


def terms_of(description: str) -> list[str]:
    """The description's distinct words in lower case, without stop words and lone digits;
    the longest first when there are too many (long words are the rarer ones)."""
    seen: dict[str, None] = {}
    for word in WORD.findall(description.lower()):
        word = word.strip("_")
        if not word or word in STOP_WORDS or word.isdigit():
            continue
        if len(word) < 2 and word.isascii():
            continue
        seen.setdefault(word, None)
    terms = list(seen)
    if len(terms) > MAX_TERMS:
        terms = sorted(terms, key=len, reverse=True)[:MAX_TERMS]
    return terms


def suggest_placements(
    *,
    user,
    description: str,
    cycle: int | None = None,
    limit: int = SUGGESTIONS,
    among: QuerySet | None = None,
) -> list[Suggestion]:
    """The most likely placements of a need described so, best first (at most `limit`), from
    the accepted needs `user` may see (of `cycle` when given; of `among` when given, e.g. the
    benchmark's held-out split). Two queries on SQLite, one on PostgreSQL, whatever the number
    of needs; none for a description without words."""
    terms = terms_of(description[:MAX_DESCRIPTION_LENGTH])
    if not terms:
        return []
    needs = (Need.objects.all() if among is None else among).visible_to(user).filter(Need.COUNTED)
    if cycle is not None:
        needs = needs.filter(review__cycle=cycle)
    if _full_text():
        score = _postgres_score(terms)
        neighbours = needs.filter(_Matches(F("search_vector"), _CandidateQuery(terms)))
    else:
        score = _fallback_score(needs, terms)
        if score is None:
            return []
        neighbours = needs.alias(match=score).filter(match__gt=0)
    nearest = neighbours.alias(match=score).order_by("-match", "-pk").values("pk")[:NEIGHBOURS]
    votes = list(
        Need.objects.filter(pk__in=nearest)
        .order_by()
        .values(
            "category__code",
            "category__label",
            "category__position",
            "subcategory__code",
            "subcategory__label",
            "chapter__roman",
            "article__number",
            "article__title",
        )
        .annotate(score=Sum(score), neighbours=Count("pk"))
    )
    # At most NEIGHBOURS groups, merged here into one suggestion per category and article
    # (its subcategory the one with the most weight), so that the suggestions shown differ in
    # more than their subcategory; each one's score is its share of the neighbours' weight.
    total = sum(vote["score"] or 0 for vote in votes)
    if not total:
        return []
    merged: dict[tuple, dict] = {}
    for vote in sorted(votes, key=_heaviest_first):
        key = (vote["category__code"], vote["chapter__roman"], vote["article__number"])
        if key in merged:
            merged[key]["score"] += vote["score"] or 0
            merged[key]["neighbours"] += vote["neighbours"]
        else:
            merged[key] = {**vote, "score": vote["score"] or 0}
    best = sorted(merged.values(), key=_heaviest_first)[:limit]
    return [_suggestion(vote, vote["score"] / total) for vote in best]


def _heaviest_first(vote: dict) -> tuple:
    return (
        -(vote["score"] or 0),
        -vote["neighbours"],
        vote["category__position"],
        vote["subcategory__code"] or "",
        vote["chapter__roman"],
        vote["article__number"] or 0,
    )


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def _or_query(terms: list[str]) -> SearchQuery:
    # Each word is quoted for to_tsquery, which normalises it with the stored vector's
    # configuration; \w+ words hold no quote or operator.
    return SearchQuery(
        " | ".join(f"'{term}'" for term in terms), search_type="raw", config="english"
    )


def _postgres_score(terms: list[str]):
    return SearchRank(F("search_vector"), _or_query(terms), normalization=Value(RANK_NORMALIZATION))


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _CandidateQuery(Func):
    """The needs worth ranking, as a tsquery: those holding all of the description's
    ALL_OF_RAREST rarest words when at least NEIGHBOURS needs do; otherwise those holding one
    of its rarer words (the words fewer than COMMON_SHARE of the needs hold and, at least,
    its RAREST_WORDS rarest). PostgreSQL's statistics on the stored vector (pg_stats, kept by
    ANALYZE) list its most common words with their frequencies; a word not listed is rare.
    Ranking every need that says "training" or "law" took most of a second at 100 times
    today's volume, ranking those holding any rarer word still 0.25 s (median; their words
    are few in the generated data); see BENCHMARKS.md. Without statistics (a new database)
    every word counts as rare.
    """

    template = (
        "(SELECT CASE WHEN (SELECT count(*) FROM (SELECT FROM "
        f"{Need._meta.db_table} WHERE search_vector @@ chosen.all_rarest "
        f"LIMIT {NEIGHBOURS}) AS enough) >= {NEIGHBOURS} "
        "THEN chosen.all_rarest ELSE chosen.any_rare END FROM (SELECT "
        f"coalesce(string_agg(quoted, ' & ') FILTER (WHERE place <= {ALL_OF_RAREST}), '')"
        "::tsquery AS all_rarest, "
        "coalesce(string_agg(quoted, ' | ') FILTER ("
        f"WHERE share <= {COMMON_SHARE} OR place <= {RAREST_WORDS}), '')::tsquery AS any_rare "
        "FROM (SELECT "
        # Each word quoted for the tsquery syntax (chr(39) is the quote); words holding a
        # backslash, which would need escaping too, are left out.
        "chr(39) || replace(word, chr(39), chr(39) || chr(39)) || chr(39) AS quoted, "
        "coalesce(common.share, 0) AS share, row_number() OVER ("
        "ORDER BY coalesce(common.share, 0), word) AS place "
        "FROM unnest(tsvector_to_array(to_tsvector('english'::regconfig, %(words)s))) AS word "
        "LEFT JOIN (SELECT entry.word, entry.share FROM pg_stats AS statistics, unnest("
        "statistics.most_common_elems::text::text[], statistics.most_common_elem_freqs"
        ") AS entry(word, share) "
        "WHERE statistics.schemaname = current_schema() "
        f"AND statistics.tablename = '{Need._meta.db_table}' "
        "AND statistics.attname = 'search_vector') AS common USING (word) "
        "WHERE strpos(word, chr(92)) = 0) AS ranked) AS chosen)"
    )
    output_field = SearchQueryField()

    def __init__(self, terms: list[str]):
        self.words = " ".join(terms)
        super().__init__()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, words="%s", **extra_context)
        return sql, [*params, self.words]


def _fallback_score(needs: QuerySet, terms: list[str]):
    """Sum of the inverse document frequencies of the rarest terms a need holds (SQLite)."""
    counts = needs.aggregate(
        total=Count("pk"),
        **{f"t{i}": Count("pk", filter=Q(description__icontains=t)) for i, t in enumerate(terms)},
    )
    total = counts.pop("total")
    found = [(counts[f"t{i}"], term) for i, term in enumerate(terms) if counts[f"t{i}"]]
    if not found:
        return None
    rarest = sorted(found)[:FALLBACK_TERMS]
    return sum(
        (
            Case(
                When(description__icontains=term, then=Value(math.log(1 + total / count))),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for count, term in rarest
        ),
        start=Value(0.0, output_field=FloatField()),
    )


def _suggestion(vote: dict, score: float) -> Suggestion:
    number, roman = vote["article__number"], vote["chapter__roman"]
    if number is None:
        article_label = gettext("Chapter %(roman)s in general") % {"roman": roman}
    else:
        title = translate_reference(ReferenceKind.ARTICLE, number, vote["article__title"])
        article_label = gettext("Article %(number)s: %(title)s") % {
            "number": number,
            "title": title,
        }
    subcategory = vote["subcategory__code"]
    return Suggestion(
        category=vote["category__code"],
        category_label=translate_reference(
            ReferenceKind.CATEGORY, vote["category__code"], vote["category__label"]
        ),
        subcategory=subcategory,
        subcategory_label=translate_reference(
            ReferenceKind.SUBCATEGORY, subcategory, vote["subcategory__label"] or ""
        )
        if subcategory
        else "",
        chapter=roman,
        article=number,
        article_label=article_label,
        score=round(score, 3),
    )
