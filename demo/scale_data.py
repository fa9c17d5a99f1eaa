"""Synthetic data at N times today's real volume, for the benchmark (`scripts/benchmark.sh`).

Scale 1 is about today's volume: every State party reviewed in both cycles (about 190 x 2
reviews), 4,100 needs, 200 activities, 1,000 links between activities and needs and 50 donor
interests. Scale N multiplies the needs, activities, links and donor interest (and the
comments that go with the needs) by N; the States and reviews stay, because growth comes
from finer needs and more assistance, not from more countries. The distributions (chapters,
articles, categories, themes, activity kinds, providers, donors) are the demo data's
(`demo.demo`), so that filters and aggregates select realistic shares of the rows.

The same seed and scale give the same rows: dates are placed relative to the fixed day
`AS_OF`, not to today, and ids are handed out in order from the first free one (so a freshly
migrated database gets the same ids every time). Refs begin with `SCALE_REF_PREFIX`.

Speed: rows go in with PostgreSQL `COPY` (about 410,000 needs, 20,000 activities and
100,000 links in a few minutes on two cores). Coverage is then derived from the links by
`assistance.services.recompute_coverage` (one UPDATE), as the application does. No history
entries are written: these rows are benchmark material, not anyone's change. Accounts for
the benchmark's requests are created too (one per role and a focal point per State party),
without usable passwords: the benchmark signs them in with `Client.force_login`.
"""

import bisect
import csv
import datetime
import io
import itertools
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models, transaction

from assistance.models import (
    Activity,
    ActivityNeedLink,
    ActivityStatus,
    ActivityType,
    DeliveryMode,
    Donor,
    DonorInterest,
    Extent,
    FundingContribution,
    InterestKind,
    Level,
    Provider,
)
from assistance.services import recompute_coverage
from core.models import Role, User
from demo.demo import (
    ACTIVITY_KINDS,
    ACTIVITY_PHRASES,
    ARTICLE_TOPICS,
    ARTICLE_WEIGHTS,
    AUDIENCES,
    CAPACITY_SUBJECT,
    CATEGORY_BOOST,
    CATEGORY_WEIGHTS,
    CHAPTER_TOPICS,
    CHAPTER_WEIGHTS,
    DONORS,
    FOCAL_POINT_COMMENTS,
    INTEREST_NOTES,
    NEED_TEMPLATES,
    PROVIDER_WEIGHTS,
    PROVIDERS,
    REGIONAL_PROVIDER_WEIGHT,
    SUBCATEGORY_SHARE,
    THEME_CHANCE,
    THEME_SUFFIXES,
    TRAINING_CHANCE_IN_CAPACITY_BUILDING,
)
from needs.models import (
    Acceptance,
    Category,
    Need,
    NeedComment,
    Priority,
    Status,
    Subcategory,
    Theme,
)
from reviews.models import Article, Chapter, DirectDialogue, Review, State

SEED = 20261122
AS_OF = datetime.date(2026, 11, 1)
SCALE_REF_PREFIX = "SCALE-"

# Volumes at scale 1 (today's real volume); scale N multiplies them.
NEEDS = 4100
ACTIVITIES = 200
LINKS = 1000
DONOR_INTERESTS = 50
NEED_SHARE_OF_CYCLE = {1: 0.6, 2: 0.4}
PROPOSED_SHARE = 0.01
DECLINED_SHARE = 0.003
LEVEL_WEIGHTS = {Level.NATIONAL: 62, Level.REGIONAL: 26, Level.GLOBAL: 12}

# The State whose pages the benchmark requests: both reviews published and complete, a
# little above the average number of needs, a focal point, assistance and donor interest.
BENCHMARK_STATE = "KEN"
BENCHMARK_STATE_WEIGHT = 1.5
STAFF_USERNAME = "scale.staff"
ADMINISTRATOR_USERNAME = "scale.admin"
DONOR_USERNAME = "scale.donor"
DONOR_ORGANISATION = "Government of Norway"
FOCAL_POINT_PREFIX = "scale.focal."

REVIEW_YEARS = {
    1: ([2010, 2011, 2012, 2013, 2014, 2015], [20, 22, 22, 18, 10, 8]),
    2: (
        [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025],
        [9, 14, 14, 12, 12, 10, 10, 8, 6, 5],
    ),
}
PRIORITY_WEIGHTS = {Priority.HIGH: 30, Priority.MEDIUM: 40, Priority.LOW: 15, "": 15}
# Statuses of needs that no activity addresses, by cycle (older needs have moved on more).
UNLINKED_STATUS_WEIGHTS = {
    1: {Status.UNMET: 68, Status.OBSOLETE: 12, Status.MET: 10, Status.IN_PROGRESS: 10},
    2: {Status.UNMET: 84, Status.OBSOLETE: 5, Status.MET: 5, Status.IN_PROGRESS: 6},
}
FULL_EXTENT_CHANCE = {
    ActivityStatus.COMPLETED: 0.45,
    ActivityStatus.ONGOING: 0.2,
    ActivityStatus.PLANNED: 0.1,
}
CATEGORY_MATCH_CHANCE = 0.7  # an activity mostly addresses needs of the categories it suits
COMMENT_CHANCE = 0.3  # a need whose status moved on has the focal point's reason with it
COPY_CHUNK_ROWS = 50_000


class _Weighted:
    """Draws keys with fixed weights: O(log n) per draw with precomputed cumulative weights."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights[key] for key in self.keys))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.keys[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)


@dataclass
class ScaleSummary:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step


@dataclass
class _Review:
    id: int
    state_id: int
    iso3: str
    region_id: int
    cycle: int
    published: bool
    summary_on: datetime.date | None
    self_assessment_on: datetime.date | None
    weight: float


@dataclass
class _Need:
    id: int
    review: _Review
    chapter_roman: str
    article_number: int | None
    category_code: str
    subcategory_id: int | None
    theme_ids: list[int]
    description: str
    priority: str
    acceptance: str
    identified_on: datetime.date
    last_confirmed_on: datetime.date | None
    status: str = Status.UNMET


class _CopyWriter:
    """Rows of one model (or many-to-many table) into PostgreSQL with COPY, ids given here."""

    def __init__(self, cursor, model: type[models.Model]):
        self.cursor = cursor
        self.table = model._meta.db_table
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields if f.has_default()}

    def first_free_id(self) -> int:
        self.cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.table}"')
        return self.cursor.fetchone()[0]

    def write(self, rows) -> int:
        """Write dicts keyed by attname; a field left out takes its model default."""
        written = 0
        columns = ", ".join(f'"{c}"' for c in self.columns)
        sql = f"COPY \"{self.table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, COPY_CHUNK_ROWS)):
            buffer = io.StringIO()
            out = csv.writer(buffer, lineterminator="\n")
            for row in chunk:
                values = []
                for f in self.fields:
                    value = row[f.attname] if f.attname in row else self.defaults.get(f.attname)
                    values.append(r"\N" if value is None else value)
                out.writerow(values)
            buffer.seek(0)
            self.cursor.copy_expert(sql, buffer)
            written += len(chunk)
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{self.table}"))',
            [self.table],
        )
        return written


class _ScaleBuilder:
    def __init__(self, scale: float, seed: int, cursor):
        self.scale = scale
        self.rng = random.Random(seed)
        self.cursor = cursor
        self.counts: dict[str, int] = {}
        self.parties = list(
            State.objects.filter(is_party=True, regional_group__isnull=False)
            .select_related("regional_group")
            .order_by("iso3")
        )
        self.states = {s.pk: s for s in State.objects.all()}
        self.chapters = {c.roman: c for c in Chapter.objects.exclude(reviewed_in_cycle=None)}
        self.articles = {a.number: a.pk for a in Article.objects.all()}
        self.article_titles = {a.number: a.title for a in Article.objects.all()}
        self.categories = {c.code: c.pk for c in Category.objects.all()}
        self.subcategories: dict[int, list[int]] = defaultdict(list)
        for sub in Subcategory.objects.order_by("category__position", "position", "pk"):
            self.subcategories[sub.category_id].append(sub.pk)
        self.subcategory_ids = {s.code: s.pk for s in Subcategory.objects.all()}
        self.themes = {t.code: t.pk for t in Theme.objects.order_by("position", "pk")}

    def amount(self, per_scale_one: int) -> int:
        return max(1, round(per_scale_one * self.scale))

    def writer(self, model) -> _CopyWriter:
        return _CopyWriter(self.cursor, model)

    # --- Organisations and accounts -------------------------------------------------------
    def organisations(self) -> None:
        self.providers = []  # (id, short name, region it works in)
        for name, short_name, is_unodc, region in PROVIDERS:
            provider, _ = Provider.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "is_unodc": is_unodc}
            )
            self.providers.append((provider.pk, short_name, region))
        countries = {s.iso3: s for s in self.states.values()}
        self.donors = []
        self.donor_weights = {}
        for name, short_name, kind, iso3, weight in DONORS:
            donor, _ = Donor.objects.get_or_create(
                name=name,
                defaults={"short_name": short_name, "kind": kind, "country": countries.get(iso3)},
            )
            self.donors.append(donor)
            self.donor_weights[donor.pk] = weight

    def accounts(self) -> None:
        donor = next(d for d in self.donors if d.name == DONOR_ORGANISATION)
        users = [
            User(
                username=STAFF_USERNAME,
                role=Role.SECRETARIAT,
                first_name="Scale",
                last_name="Staff",
            ),
            User(
                username=ADMINISTRATOR_USERNAME,
                role=Role.ADMINISTRATOR,
                first_name="Scale",
                last_name="Administrator",
            ),
            User(
                username=DONOR_USERNAME,
                role=Role.DONOR,
                donor=donor,
                first_name="Scale",
                last_name="Donor",
            ),
        ]
        users += [
            User(
                username=f"{FOCAL_POINT_PREFIX}{state.iso3.lower()}",
                role=Role.FOCAL_POINT,
                state=state,
                first_name="Focal point",
                last_name=state.name[:150],
                email=f"focal.{state.iso3.lower()}@example.org",
            )
            for state in self.parties
        ]
        for user in users:
            user.set_unusable_password()
            user.date_joined = _moment(AS_OF)
        User.objects.bulk_create(users)
        self.staff_id = User.objects.get(username=STAFF_USERNAME).pk
        self.donor_user_id = User.objects.get(username=DONOR_USERNAME).pk
        self.donor_user_organisation = donor.pk
        self.focal_point_ids = dict(
            User.objects.filter(username__startswith=FOCAL_POINT_PREFIX).values_list(
                "state_id", "pk"
            )
        )
        self.counts["accounts"] = len(users)

    # --- Reviews --------------------------------------------------------------------------
    def _milestones(self, year: int, stage: int) -> list[datetime.date | None]:
        rng = self.rng
        self_assessment = datetime.date(year, rng.randint(1, 9), rng.randint(1, 28))
        dialogue = self_assessment + _days(rng.randint(90, 300))
        summary = dialogue + _days(rng.randint(120, 420))
        report = summary + _days(rng.randint(30, 300))
        reached: list[datetime.date | None] = []
        for index, day in enumerate((self_assessment, dialogue, summary, report)):
            done = index < stage and day <= AS_OF and (not reached or reached[-1] is not None)
            reached.append(day if done else None)
        return reached

    def reviews(self) -> None:
        rng = self.rng
        writer = self.writer(Review)
        next_id = writer.first_free_id()
        rows, pairs = [], []
        self.reviews_by_cycle: dict[int, list[_Review]] = {1: [], 2: []}
        stages = {1: _Weighted({4: 90, 3: 7, 2: 3}), 2: _Weighted({4: 60, 3: 22, 2: 12, 1: 6})}
        for state in self.parties:
            focus = state.iso3 == BENCHMARK_STATE
            for cycle in (1, 2):
                years, year_weights = REVIEW_YEARS[cycle]
                year = rng.choices(years, year_weights)[0]
                stage = 4 if focus else stages[cycle].draw(rng)
                if focus and cycle == 2:
                    year = min(year, 2020)
                assessment, dialogue, summary, report = self._milestones(year, stage)
                chance = 0.9 if cycle == 1 else 0.75
                published = summary is not None and (focus or rng.random() < chance)
                report_published = published and report is not None and rng.random() < 0.6
                review = _Review(
                    id=next_id,
                    state_id=state.pk,
                    iso3=state.iso3,
                    region_id=state.regional_group_id,
                    cycle=cycle,
                    published=published,
                    summary_on=summary,
                    self_assessment_on=assessment,
                    weight=(
                        BENCHMARK_STATE_WEIGHT
                        if focus
                        else rng.lognormvariate(0, 0.6) * (1 if summary else 0.3)
                    ),
                )
                next_id += 1
                self.reviews_by_cycle[cycle].append(review)
                changed = _moment(report or summary or dialogue or assessment or AS_OF)
                rows.append(
                    {
                        "id": review.id,
                        "state_id": state.pk,
                        "cycle": cycle,
                        "review_year": year,
                        "self_assessment_submitted": assessment,
                        "direct_dialogue": dialogue,
                        "direct_dialogue_kind": (
                            ""
                            if dialogue is None
                            else rng.choice(
                                [DirectDialogue.COUNTRY_VISIT, DirectDialogue.JOINT_MEETING]
                            )
                        ),
                        "executive_summary_completed": summary,
                        "country_report_completed": report,
                        "executive_summary_published": published,
                        "country_report_published": report_published,
                        "executive_summary_url": "",
                        "country_report_url": "",
                        "created_at": _moment(datetime.date(year, 1, 1)),
                        "updated_at": changed,
                        "updated_by_id": self.staff_id,
                    }
                )
                pairs += [(review.id, other) for other in self._reviewing_states(state)]
        self.counts["reviews"] = writer.write(rows)
        through = self.writer(Review.reviewing_states.through)
        first = through.first_free_id()
        through.write(
            {"id": first + i, "review_id": review_id, "state_id": state_id}
            for i, (review_id, state_id) in enumerate(pairs)
        )

    def _reviewing_states(self, state: State) -> list[int]:
        """Two other parties, one of them from the same regional group, as drawn by lot."""
        same_region = [
            s for s in self.parties if s.regional_group_id == state.regional_group_id and s != state
        ]
        first = self.rng.choice(same_region)
        second = self.rng.choice([s for s in self.parties if s not in (state, first)])
        return [first.pk, second.pk]

    # --- Needs ----------------------------------------------------------------------------
    def plan_needs(self) -> None:
        rng = self.rng
        total = self.amount(NEEDS)
        chapter_draws = {
            cycle: _Weighted(
                {
                    r: w
                    for r, w in CHAPTER_WEIGHTS.items()
                    if self.chapters[r].reviewed_in_cycle == cycle
                }
            )
            for cycle in (1, 2)
        }
        article_draws = {roman: _Weighted(weights) for roman, weights in ARTICLE_WEIGHTS.items()}
        category_draws = {
            roman: _Weighted(
                {
                    code: weight * CATEGORY_BOOST.get((roman, code), 1)
                    for code, weight in CATEGORY_WEIGHTS.items()
                }
            )
            for roman in CHAPTER_WEIGHTS
        }
        priority_draw = _Weighted(PRIORITY_WEIGHTS)
        first_id = self.writer(Need).first_free_id()
        self.needs: list[_Need] = []
        for cycle, share in NEED_SHARE_OF_CYCLE.items():
            reviews = [r for r in self.reviews_by_cycle[cycle] if r.self_assessment_on]
            chosen = rng.choices(
                reviews, weights=[r.weight for r in reviews], k=round(total * share)
            )
            # Needs are recorded review by review, so those of one review sit together.
            chosen.sort(key=lambda r: r.id)
            for review in chosen:
                roman = chapter_draws[cycle].draw(rng)
                article = article_draws[roman].draw(rng)
                category = category_draws[roman].draw(rng)
                themes = self._themes(article, category)
                roll = rng.random()
                if roll < DECLINED_SHARE:
                    acceptance = Acceptance.DECLINED
                elif roll < DECLINED_SHARE + PROPOSED_SHARE:
                    acceptance = Acceptance.PROPOSED
                else:
                    acceptance = Acceptance.ACCEPTED
                if acceptance == Acceptance.ACCEPTED:
                    base = review.summary_on or review.self_assessment_on
                    identified = min(base + _days(rng.randint(0, 30)), AS_OF)
                    confirmed = self._last_confirmed(identified)
                else:
                    identified = AS_OF - _days(rng.randint(10, 90))
                    confirmed = None
                self.needs.append(
                    _Need(
                        id=first_id + len(self.needs),
                        review=review,
                        chapter_roman=roman,
                        article_number=article,
                        category_code=category,
                        subcategory_id=self._subcategory(category, article),
                        theme_ids=[self.themes[code] for code in themes],
                        description=self._description(roman, article, category, themes),
                        priority=priority_draw.draw(rng),
                        acceptance=acceptance,
                        identified_on=identified,
                        last_confirmed_on=confirmed,
                    )
                )

    def _themes(self, article: int | None, category: str) -> list[str]:
        chosen = []
        for code, (chance, by_article) in THEME_CHANCE.items():
            if code == "training" and category == "capacity_building":
                chance = TRAINING_CHANCE_IN_CAPACITY_BUILDING
            if self.rng.random() < by_article.get(article, chance):
                chosen.append(code)
        return chosen[:3]

    def _subcategory(self, category: str, article: int | None) -> int | None:
        rng = self.rng
        if rng.random() >= SUBCATEGORY_SHARE.get(category, 0):
            return None
        preferred = CAPACITY_SUBJECT.get(article)
        if category == "capacity_building" and preferred and rng.random() < 0.75:
            return self.subcategory_ids[preferred]
        return rng.choice(self.subcategories[self.categories[category]])

    def _description(self, roman: str, article: int | None, category: str, themes) -> str:
        rng = self.rng
        if article is None:
            topic = CHAPTER_TOPICS[roman]
        else:
            topic = ARTICLE_TOPICS.get(article, self.article_titles[article].lower())
        text = rng.choice(NEED_TEMPLATES[category]).format(
            audience=rng.choice(AUDIENCES[roman]), topic=topic
        )
        return text + next((THEME_SUFFIXES[c] for c in themes if c in THEME_SUFFIXES), "") + "."

    def _last_confirmed(self, identified: datetime.date) -> datetime.date | None:
        rng = self.rng
        roll = rng.random()
        age = (AS_OF - identified).days
        if roll < 0.3:
            return None
        if roll < 0.55 and age > 400:
            return identified + _days(rng.randint(0, age - 400))
        return AS_OF - _days(rng.randint(0, min(age, 330)))

    # --- Activities and links -------------------------------------------------------------
    def activities(self) -> None:
        rng = self.rng
        accepted_by_state: dict[int, list[_Need]] = defaultdict(list)
        by_state_category: dict[tuple[int, str], list[_Need]] = defaultdict(list)
        for need in self.needs:
            if need.acceptance == Acceptance.ACCEPTED:
                accepted_by_state[need.review.state_id].append(need)
                by_state_category[(need.review.state_id, need.category_code)].append(need)
        states_with_needs = sorted(accepted_by_state)
        state_draw = _Weighted({s: len(accepted_by_state[s]) for s in states_with_needs})
        by_region: dict[int, list[int]] = defaultdict(list)
        party_region = {s.pk: s.regional_group_id for s in self.parties}
        for state_id in states_with_needs:
            by_region[party_region[state_id]].append(state_id)
        regions = sorted(by_region)
        level_draw = _Weighted(LEVEL_WEIGHTS)
        kind_draw = _Weighted({kind: spec[0] for kind, spec in ACTIVITY_KINDS.items()})
        region_codes = {s.regional_group_id: s.regional_group.code for s in self.parties}
        provider_draws = {
            region: _Weighted(
                {
                    pk: (
                        REGIONAL_PROVIDER_WEIGHT
                        if provider_region is not None and provider_region == region
                        else PROVIDER_WEIGHTS.get(short_name, 0)
                    )
                    for pk, short_name, provider_region in self.providers
                }
            )
            for region in [None, *region_codes.values()]
        }
        eur_providers = {
            pk for pk, name, _ in self.providers if name in ("Council of Europe", "GIZ", "RAI")
        }
        donor_draw = _Weighted(self.donor_weights)
        writer = self.writer(Activity)
        next_id = writer.first_free_id()
        rows, beneficiaries, funding = [], [], []
        planned = []  # (activity id, status, beneficiary State ids, categories it suits)
        for number in range(1, self.amount(ACTIVITIES) + 1):
            level = level_draw.draw(rng)
            kind = kind_draw.draw(rng)
            region = None
            if level == Level.NATIONAL:
                while kind == ActivityType.REGIONAL_PLATFORM:
                    kind = kind_draw.draw(rng)
                states = [state_draw.draw(rng)]
                region = region_codes[party_region[states[0]]]
            elif level == Level.REGIONAL:
                region_id = rng.choice(regions)
                region = region_codes[region_id]
                members = by_region[region_id]
                states = sorted(rng.sample(members, min(len(members), rng.randint(3, 8))))
            else:
                if kind == ActivityType.REGIONAL_PLATFORM:
                    kind = ActivityType.KNOWLEDGE_TOOL
                states = (
                    []
                    if kind == ActivityType.KNOWLEDGE_TOOL
                    else sorted(rng.sample(states_with_needs, rng.randint(6, 15)))
                )
            start, end, status = self._dates_and_status(kind)
            provider = provider_draws[region].draw(rng)
            low, high = ACTIVITY_KINDS[kind][2]
            multiplier = {Level.NATIONAL: 1, Level.REGIONAL: 2, Level.GLOBAL: 3}[level]
            budget = Decimal(round(rng.randint(low, high) * multiplier, -3))
            currency = "EUR" if provider in eur_providers else "USD"
            where = self.states[states[0]].name if level == Level.NATIONAL else region or "global"
            rows.append(
                {
                    "id": next_id,
                    "ref": f"{SCALE_REF_PREFIX}A{number:06d}",
                    "title": f"{ACTIVITY_PHRASES[kind]} {number}: {where}"[:300],
                    "description": "Synthetic activity generated for the benchmark.",
                    "activity_type": kind,
                    "level": level,
                    "provider_id": provider,
                    "start_date": start,
                    "end_date": end,
                    "status": status,
                    "delivery_mode": rng.choice(list(DeliveryMode.values)),
                    "budget": budget,
                    "budget_currency": currency,
                    "created_at": _moment(start),
                    "updated_at": _moment(min(start, AS_OF)),
                }
            )
            beneficiaries += [(next_id, state_id) for state_id in states]
            if rng.random() < 0.85:  # the rest is paid from the provider's own budget
                donors = {
                    donor_draw.draw(rng) for _ in range(rng.choices([1, 2, 3], [55, 30, 15])[0])
                }
                share = (budget / len(donors)).quantize(Decimal("100"))
                funding += [
                    (next_id, donor, max(share, Decimal("1000")), currency, start.year)
                    for donor in sorted(donors)
                ]
            if states:
                planned.append((next_id, status, states, ACTIVITY_KINDS[kind][3]))
            next_id += 1
        self.counts["activities"] = writer.write(rows)
        self._write_pairs(
            Activity.beneficiary_states.through, "activity_id", "state_id", beneficiaries
        )
        funding_writer = self.writer(FundingContribution)
        first = funding_writer.first_free_id()
        self.counts["funding contributions"] = funding_writer.write(
            {
                "id": first + i,
                "activity_id": activity_id,
                "donor_id": donor_id,
                "amount": amount,
                "currency": currency,
                "year": year,
            }
            for i, (activity_id, donor_id, amount, currency, year) in enumerate(funding)
        )
        self._plan_links(planned, accepted_by_state, by_state_category)

    def _dates_and_status(self, kind: str) -> tuple[datetime.date, datetime.date | None, str]:
        rng = self.rng
        low, high = ACTIVITY_KINDS[kind][1]
        start = AS_OF + _days(rng.randint(-2200, 240))
        end = start + _days(rng.randint(low, high))
        if kind == ActivityType.REGIONAL_PLATFORM and rng.random() < 0.5:
            end = None  # a standing platform
        if start > AS_OF:
            status = ActivityStatus.PLANNED
        elif end is not None and end < AS_OF:
            status = ActivityStatus.COMPLETED
        else:
            status = ActivityStatus.ONGOING
        return start, end, status

    def _plan_links(self, planned, accepted_by_state, by_state_category) -> None:
        """Exactly `LINKS * scale` links, each from a random activity to a need of one of its
        beneficiary States, mostly of a category the activity suits."""
        rng = self.rng
        target = self.amount(LINKS)
        capacity = sum(len(accepted_by_state[s]) for _, _, states, _ in planned for s in states)
        target = min(target, capacity)
        seen: set[tuple[int, int]] = set()
        self.links = []  # (activity id, need, extent)
        while len(self.links) < target:
            activity_id, status, states, categories = rng.choice(planned)
            state_id = rng.choice(states)
            pool = []
            if rng.random() < CATEGORY_MATCH_CHANCE:
                pool = by_state_category.get((state_id, rng.choice(categories)), [])
            need = rng.choice(pool or accepted_by_state[state_id])
            if (activity_id, need.id) in seen:
                continue
            seen.add((activity_id, need.id))
            extent = Extent.FULL if rng.random() < FULL_EXTENT_CHANCE[status] else Extent.PARTIAL
            self.links.append((activity_id, status, need, extent))

    def statuses(self) -> None:
        """Needs with assistance get a status that matches it; the others age naturally."""
        rng = self.rng
        assistance = defaultdict(list)
        for _, status, need, extent in self.links:
            assistance[need.id].append((status, extent))
        draws = {cycle: _Weighted(w) for cycle, w in UNLINKED_STATUS_WEIGHTS.items()}
        for need in self.needs:
            if need.acceptance != Acceptance.ACCEPTED:
                continue
            linked = assistance.get(need.id)
            if not linked:
                need.status = draws[need.review.cycle].draw(rng)
            elif (ActivityStatus.COMPLETED, Extent.FULL) in linked:
                need.status = Status.MET if rng.random() < 0.8 else Status.PARTIALLY_MET
            elif any(status == ActivityStatus.COMPLETED for status, _ in linked):
                need.status = Status.PARTIALLY_MET
            else:
                need.status = Status.IN_PROGRESS

    # --- Writing needs, links, interest and comments --------------------------------------
    def write_needs(self) -> None:
        chapters = {roman: chapter.pk for roman, chapter in self.chapters.items()}

        def rows():
            for need in self.needs:
                focal_point = self.focal_point_ids.get(need.review.state_id)
                created = _moment(need.identified_on)
                yield {
                    "id": need.id,
                    "ref": f"{SCALE_REF_PREFIX}N{need.id - self.needs[0].id + 1:07d}",
                    "review_id": need.review.id,
                    "chapter_id": chapters[need.chapter_roman],
                    "article_id": self.articles.get(need.article_number),
                    "category_id": self.categories[need.category_code],
                    "subcategory_id": need.subcategory_id,
                    "description": need.description,
                    "priority": need.priority,
                    "status": need.status,
                    "acceptance": need.acceptance,
                    "identified_on": need.identified_on,
                    "source_paragraph": "",
                    "source_excerpt": "",
                    "last_confirmed_on": need.last_confirmed_on,
                    "last_confirmed_by_id": (
                        (focal_point or self.staff_id) if need.last_confirmed_on else None
                    ),
                    "proposed_by_id": (
                        focal_point if need.acceptance != Acceptance.ACCEPTED else None
                    ),
                    "created_at": created,
                    "updated_at": _moment(need.last_confirmed_on)
                    if need.last_confirmed_on
                    else created,
                    "updated_by_id": self.staff_id,
                }

        self.counts["needs"] = self.writer(Need).write(rows())
        self._write_pairs(
            Need.themes.through,
            "need_id",
            "theme_id",
            ((need.id, theme_id) for need in self.needs for theme_id in need.theme_ids),
        )
        link_writer = self.writer(ActivityNeedLink)
        first = link_writer.first_free_id()
        self.counts["links between activities and needs"] = link_writer.write(
            {
                "id": first + i,
                "activity_id": activity_id,
                "need_id": need.id,
                "extent": extent,
                "created_at": _moment(AS_OF),
            }
            for i, (activity_id, _, need, extent) in enumerate(self.links)
        )

    def interests(self) -> None:
        rng = self.rng
        linked = {need.id for _, _, need, _ in self.links}
        candidates = [
            need
            for need in self.needs
            if need.acceptance == Acceptance.ACCEPTED
            and need.review.published
            and need.id not in linked
            and need.status in (Status.UNMET, Status.IN_PROGRESS)
        ]
        target = self.amount(DONOR_INTERESTS)
        donor_ids = sorted(self.donor_weights)
        rows = []
        writer = self.writer(DonorInterest)
        first = writer.first_free_id()
        for need in rng.sample(candidates, min(len(candidates), target)):
            # Every fifth need draws two donors: the situation the register exists for.
            takers = rng.sample(donor_ids, 2 if rng.random() < 0.2 else 1)
            for donor_id in takers[: target - len(rows)]:
                kind = InterestKind.COMMITMENT if rng.random() < 0.3 else InterestKind.INTEREST
                created = AS_OF - _days(rng.randint(5, 400))
                withdrawn = rng.random() < 0.08
                rows.append(
                    {
                        "id": first + len(rows),
                        "donor_id": donor_id,
                        "need_id": need.id,
                        "kind": kind,
                        "note": rng.choice(INTEREST_NOTES),
                        "amount": (
                            Decimal(rng.randint(20, 500) * 1000)
                            if kind == InterestKind.COMMITMENT
                            else None
                        ),
                        "created_by_id": (
                            self.donor_user_id if donor_id == self.donor_user_organisation else None
                        ),
                        "created_at": _moment(created),
                        "withdrawn_at": (
                            _moment(created + _days(rng.randint(1, 60))) if withdrawn else None
                        ),
                    }
                )
            if len(rows) >= target:
                break
        self.counts["donor interests"] = writer.write(rows)

    def comments(self) -> None:
        """The focal points' reasons for the status of each need that moved on."""
        writer = self.writer(NeedComment)
        first = writer.first_free_id()
        moved = [
            need
            for need in self.needs
            if need.status in FOCAL_POINT_COMMENTS
            and need.acceptance == Acceptance.ACCEPTED
            and self.rng.random() < COMMENT_CHANCE
        ]
        self.counts["comments"] = writer.write(
            {
                "id": first + i,
                "need_id": need.id,
                "author_id": self.focal_point_ids.get(need.review.state_id, self.staff_id),
                "text": FOCAL_POINT_COMMENTS[need.status],
                "status_from": Status.UNMET,
                "status_to": need.status,
                "created_at": _moment(need.last_confirmed_on or need.identified_on),
            }
            for i, need in enumerate(moved)
        )

    def _write_pairs(self, through: type[models.Model], left: str, right: str, pairs) -> int:
        writer = self.writer(through)
        first = writer.first_free_id()
        return writer.write({"id": first + i, left: a, right: b} for i, (a, b) in enumerate(pairs))

    def run(self) -> ScaleSummary:
        timings = {}
        steps = (
            ("organisations and accounts", lambda: (self.organisations(), self.accounts())),
            ("reviews", self.reviews),
            ("planning needs", self.plan_needs),
            ("activities and links", lambda: (self.activities(), self.statuses())),
            ("needs", self.write_needs),
            ("donor interest and comments", lambda: (self.interests(), self.comments())),
        )
        started = time.monotonic()
        with _indexes_and_foreign_keys_restored_after_loading(self.cursor, BULK_LOADED_TABLES):
            for name, step in steps:
                step()
                timings[name] = time.monotonic() - started
                started = time.monotonic()
            # Before the needs' indexes are back, so that the UPDATE does not maintain them.
            self.coverage()
            timings["coverage"] = time.monotonic() - started
            started = time.monotonic()
        timings["indexes and foreign keys"] = time.monotonic() - started
        return ScaleSummary(counts=self.counts, timings=timings)

    def coverage(self) -> None:
        """Coverage as the application derives it (one UPDATE); needs without links keep
        the default, unmet, which is what the derivation gives them."""
        recompute_coverage(sorted({need.id for _, _, need, _ in self.links}))


@contextmanager
def _indexes_and_foreign_keys_restored_after_loading(cursor, models_: tuple):
    """The bulk-loading recipe of PostgreSQL's manual ("Populating a Database"): drop the
    tables' plain indexes and foreign keys, load, then create them again from their own
    definitions. Building an index once is several times faster than updating it row by
    row (above all the full-text GIN index on needs), and adding a foreign key checks all
    rows with one join instead of one lookup per row and key. Primary keys and unique
    constraints stay. Inside the caller's transaction, so a failure restores everything."""
    tables = [model._meta.db_table for model in models_]
    cursor.execute(
        """
        SELECT index_class.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class index_class ON index_class.oid = i.indexrelid
        WHERE i.indrelid = ANY(%s::text[]::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY index_class.relname
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT table_class.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        JOIN pg_class table_class ON table_class.oid = c.conrelid
        WHERE c.contype = 'f' AND c.conrelid = ANY(%s::text[]::regclass[])
        ORDER BY table_class.relname, c.conname
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


# The big tables. Not the links: deriving coverage reads them by need before the rebuild.
BULK_LOADED_TABLES = (
    Need,
    Need.themes.through,
    NeedComment,
    DonorInterest,
    Activity,
    Activity.beneficiary_states.through,
    FundingContribution,
)
GENERATED_TABLES = (
    Review,
    Review.reviewing_states.through,
    Need,
    Need.themes.through,
    NeedComment,
    Activity,
    Activity.beneficiary_states.through,
    ActivityNeedLink,
    FundingContribution,
    DonorInterest,
    User,
)


def existing_data() -> dict[str, int]:
    """Rows already in the tables the generator fills with reviews and needs (it wants none)."""
    found = {"reviews": Review.objects.count(), "needs": Need.objects.count()}
    return {name: count for name, count in found.items() if count}


@transaction.atomic
def generate_scale_data(*, scale: float, seed: int = SEED) -> ScaleSummary:
    """Write the dataset for `scale` into an empty (freshly migrated) PostgreSQL database.

    All of it in one transaction; the caller checks `existing_data()` first and afterwards
    refreshes the planner's statistics (`analyze_generated_tables`) and the dashboard.
    """
    if connection.vendor != "postgresql":
        raise ValueError("The scale data is written with PostgreSQL COPY: use PostgreSQL.")
    if scale <= 0:
        raise ValueError("The scale must be a positive number.")
    with connection.cursor() as cursor:
        return _ScaleBuilder(scale, seed, cursor.cursor).run()


def analyze_generated_tables() -> None:
    """Fresh planner statistics (and, outside a transaction, a vacuum: the coverage UPDATE
    leaves a dead version of every need behind) for the tables just filled."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in GENERATED_TABLES:
            cursor.execute(f'{command} "{model._meta.db_table}"')
