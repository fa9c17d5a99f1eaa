"""A synthetic demonstration dataset: deterministic, realistic, and labelled as such.

Every demo need, activity, funding note, donor interest and comment begins with "[demo]",
and demo need and activity references begin with "DEMO-", so that nobody mistakes them for
real review outcomes; `is_demo_loaded()` lets pages show a banner while they are present.

The volumes follow the Secretariat's analysis of 2021 (seeds/004): about 4,100 needs over
both cycles, capacity-building the largest category (about half), then legislative
assistance and institution-building; more needs for chapter II than V, and for III than IV.
The same seed gives the same data (dates that must stay current, such as the last
confirmation of a need or an activity's status, are placed relative to the day of loading).

Rows are written with bulk inserts, and so are their history entries (attributed to the demo
staff account, with the change reason `DEMO_CHANGE_REASON`), including the history of the
many-to-many fields, so that restoring a deleted demo need brings its themes back.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from assistance.models import (
    Activity,
    ActivityNeedLink,
    ActivityStatus,
    ActivityType,
    DeliveryMode,
    Donor,
    DonorInterest,
    DonorKind,
    Extent,
    FundingContribution,
    InterestKind,
    Level,
    Provider,
)
from assistance.services import recompute_coverage
from core.changes import data_changed
from core.models import Role, User
from needs.models import (
    Acceptance,
    ActionStatus,
    Category,
    Need,
    NeedAction,
    NeedComment,
    Priority,
    Status,
    Subcategory,
    Theme,
)
from reviews.models import Article, Chapter, DirectDialogue, Review, State

DEMO_LABEL = "[demo]"
# Follow-up actions (what, responsible institution), as focal points report them.
DEMO_ACTIONS = (
    ("Draft amendments to the law and submit them to parliament.", "Ministry of Justice"),
    ("Train investigators and prosecutors on the new offences.", "Anti-corruption agency"),
    ("Set up an inter-agency working group on asset recovery.", "Office of the Attorney General"),
    ("Adopt a code of conduct for public officials.", "Public Service Commission"),
    ("Publish guidelines on conflicts of interest in procurement.", "Public Procurement Authority"),
    ("Designate a central authority for mutual legal assistance.", "Ministry of Foreign Affairs"),
    ("Launch an electronic asset declaration system.", "Ethics Commission"),
    ("Run awareness campaigns on whistle-blower protection.", "Ombudsman's Office"),
)
DEMO_REF_PREFIX = "DEMO-"
DEMO_CHANGE_REASON = "load_demo: synthetic demonstration data"
SEED = 20211001  # the date of the Secretariat's analysis the volumes imitate
# Sources and follow-up links draw their own numbers, leaving the rest of the data as it was.
FOLLOW_UP_SEED = SEED + 1
SOURCE_SHARE = 0.4  # accepted needs of a completed executive summary that quote their source
FOLLOW_SHARE = 0.35  # second-cycle needs that carry on a first-cycle need of their State
SOURCE_EXCERPTS = (
    "The reviewers noted that {state} would benefit from technical assistance on {topic}.",
    "{state} indicated that it needed assistance on {topic}, in particular training for the "
    "institutions concerned.",
    "The reviewing experts recommended that {state} continue its efforts on {topic} and "
    "identified technical assistance needs to that end.",
)

REVIEWS_PER_CYCLE = {1: 160, 2: 130}
NEEDS_PER_CYCLE = {1: 2480, 2: 1620}
ACTIVITIES = {Level.NATIONAL: 62, Level.REGIONAL: 26, Level.GLOBAL: 12}
DONOR_INTERESTS = 64


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str
    state_iso3: str | None = None
    donor_name: str | None = None
    is_superuser: bool = False


# Fixed passwords, for local demonstration only (documented in docs/DEMO.md).
DEMO_ACCOUNTS = (
    DemoAccount("staff", "demo-staff-2026", Role.SECRETARIAT, "Amina", "Haddad"),
    DemoAccount("admin", "demo-admin-2026", Role.ADMINISTRATOR, "Jonas", "Berg", is_superuser=True),
    DemoAccount("focal.ken", "demo-focal-ken-2026", Role.FOCAL_POINT, "Wanjiru", "Kamau", "KEN"),
    DemoAccount("focal.per", "demo-focal-per-2026", Role.FOCAL_POINT, "Lucía", "Quispe", "PER"),
    DemoAccount(
        "donor.demo",
        "demo-donor-2026",
        Role.DONOR,
        "Ingrid",
        "Solberg",
        donor_name="Government of Norway",
    ),
)

# name, short name, is UNODC, regional group it works in (None: everywhere)
PROVIDERS = (
    ("United Nations Office on Drugs and Crime", "UNODC", True, None),
    ("United Nations Development Programme", "UNDP", False, None),
    ("World Bank", "World Bank", False, None),
    ("Stolen Asset Recovery Initiative (UNODC and World Bank)", "StAR", False, None),
    ("Organisation for Economic Co-operation and Development", "OECD", False, None),
    ("Basel Institute on Governance", "Basel Institute", False, None),
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit", "GIZ", False, None),
    ("African Union Advisory Board on Corruption", "AUABC", False, "african"),
    ("Organization of American States", "OAS", False, "latin_american_caribbean"),
    ("Council of Europe", "Council of Europe", False, "eastern_european"),
    ("Regional Anti-corruption Initiative", "RAI", False, "eastern_european"),
    ("Pacific Islands Forum Secretariat", "PIFS", False, "asia_pacific"),
)
PROVIDER_WEIGHTS = {
    "UNODC": 55,
    "UNDP": 11,
    "World Bank": 5,
    "StAR": 5,
    "OECD": 4,
    "Basel Institute": 4,
    "GIZ": 5,
}
REGIONAL_PROVIDER_WEIGHT = 7

# name, short name, kind, State (ISO3) or None, weight as a funder
DONORS = (
    ("Government of Norway", "Norway", DonorKind.GOVERNMENT, "NOR", 12),
    ("Government of Germany", "Germany", DonorKind.GOVERNMENT, "DEU", 10),
    ("Government of the United Kingdom", "United Kingdom", DonorKind.GOVERNMENT, "GBR", 10),
    (
        "Government of the United States of America",
        "United States",
        DonorKind.GOVERNMENT,
        "USA",
        10,
    ),
    ("Government of France", "France", DonorKind.GOVERNMENT, "FRA", 6),
    ("Government of Sweden", "Sweden", DonorKind.GOVERNMENT, "SWE", 6),
    ("Government of the Netherlands", "Netherlands", DonorKind.GOVERNMENT, "NLD", 5),
    ("Government of Switzerland", "Switzerland", DonorKind.GOVERNMENT, "CHE", 5),
    ("Government of Australia", "Australia", DonorKind.GOVERNMENT, "AUS", 5),
    ("Government of Canada", "Canada", DonorKind.GOVERNMENT, "CAN", 4),
    ("Government of Japan", "Japan", DonorKind.GOVERNMENT, "JPN", 4),
    ("Government of Denmark", "Denmark", DonorKind.GOVERNMENT, "DNK", 3),
    ("European Union", "EU", DonorKind.MULTILATERAL, "EUU", 12),
    ("Integrity Futures Foundation", "IFF", DonorKind.FOUNDATION, None, 2),
    ("Civic Trust for Good Governance", "CTGG", DonorKind.FOUNDATION, None, 2),
)

# Reviews whose shape the demo accounts rely on: the Kenyan focal point has unpublished
# second-cycle results to look after, Peru's are published.
FIXED_REVIEWS = {
    ("KEN", 1): {"year": 2011, "stage": 4, "published": True},
    ("KEN", 2): {"year": 2020, "stage": 3, "published": False},
    ("PER", 1): {"year": 2012, "stage": 4, "published": True},
    ("PER", 2): {"year": 2018, "stage": 4, "published": True},
}

REVIEW_YEARS = {
    1: ([2010, 2011, 2012, 2013, 2014, 2015], [20, 22, 22, 18, 10, 8]),
    2: (
        [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025],
        [9, 14, 14, 12, 12, 10, 10, 8, 6, 5],
    ),
}

CHAPTER_WEIGHTS = {"II": 58, "III": 65, "IV": 35, "V": 42}
# Relative weight of each article within its chapter (after seeds/004, figures IV and V);
# key None is the chapter in general.
ARTICLE_WEIGHTS = {
    "II": {5: 10, 6: 8, 7: 9, 8: 7, 9: 8, 10: 6, 11: 4, 12: 5, 13: 7, 14: 8, None: 3},
    "III": {
        15: 6, 16: 5, 17: 4, 18: 3, 19: 2, 20: 5, 21: 3, 22: 2, 23: 7, 24: 1, 25: 2, 26: 5,
        27: 1, 28: 1, 29: 2, 30: 4, 31: 8, 32: 7, 33: 6, 34: 2, 35: 2, 36: 6, 37: 4, 38: 4,
        39: 3, 40: 3, 41: 1, 42: 3, None: 3,
    },
    "IV": {43: 3, 44: 8, 45: 3, 46: 12, 47: 3, 48: 7, 49: 4, 50: 6, None: 2},
    "V": {51: 8, 52: 12, 53: 5, 54: 5, 55: 5, 56: 2, 57: 4, 58: 9, 59: 3, None: 5},
}  # fmt: skip

# Shares of seeds/004 figure III: capacity-building 49 %, legislative 16 %, institutions 13 %.
CATEGORY_WEIGHTS = {
    "capacity_building": 49,
    "legislative_assistance": 16,
    "institution_building": 13,
    "policymaking": 8,
    "research_data": 5,
    "international_cooperation": 5,
    "other": 4,
}
# International cooperation needs cluster in the chapters about it.
CATEGORY_BOOST = {("IV", "international_cooperation"): 4, ("V", "international_cooperation"): 3}

# The capacity-building subject that most often goes with an article.
CAPACITY_SUBJECT = {
    5: "preventive_tools", 6: "preventive_tools", 7: "asset_declarations_coi",
    8: "asset_declarations_coi", 9: "procurement_accounting_audit",
    10: "access_information_society", 11: "law_enforcement_prosecution",
    12: "access_information_society", 13: "access_information_society",
    14: "investigations_aml", 23: "investigations_aml", 24: "investigations_aml",
    31: "confiscation_asset_management", 32: "reporting_persons", 33: "reporting_persons",
    40: "investigations_aml", 43: "mutual_legal_assistance", 44: "mutual_legal_assistance",
    45: "mutual_legal_assistance", 46: "mutual_legal_assistance", 47: "mutual_legal_assistance",
    51: "confiscation_asset_management", 52: "investigations_aml",
    53: "confiscation_asset_management", 54: "ncb_confiscation", 55: "ncb_confiscation",
    56: "mutual_legal_assistance", 57: "confiscation_asset_management",
    58: "investigations_aml", 59: "mutual_legal_assistance",
}  # fmt: skip
SUBCATEGORY_SHARE = {
    "capacity_building": 0.9,
    "legislative_assistance": 0.8,
    "institution_building": 0.85,
    "policymaking": 0.7,
    "other": 0.6,
}

# Probability of each cross-cutting theme; articles listed raise it (seeds/004 paras 22, 26, 29).
THEME_CHANCE = {
    "technology": (0.22, {9: 0.4, 10: 0.4, 52: 0.45, 58: 0.45}),
    "training": (0.25, {}),
    "risk_assessment": (0.05, {5: 0.35, 9: 0.3, 12: 0.25, 14: 0.3}),
    "statistics": (0.07, {41: 0.4, 58: 0.25}),
    "coordination": (0.08, {38: 0.4, 43: 0.3, 46: 0.3, 48: 0.4, 56: 0.3}),
    "gender": (0.03, {}),
    "health": (0.02, {}),
    "sport": (0.012, {}),
    "environment": (0.02, {}),
    "private_sector": (0.03, {12: 0.5, 21: 0.5, 22: 0.5, 39: 0.5}),
    "civil_society": (0.03, {10: 0.4, 13: 0.5}),
}
TRAINING_CHANCE_IN_CAPACITY_BUILDING = 0.55

# Shorter, readable subjects for articles whose title reads badly in a sentence.
ARTICLE_TOPICS = {
    5: "preventive anti-corruption policies",
    6: "the preventive anti-corruption body",
    7: "recruitment, promotion and conflicts of interest in the public sector",
    9: "public procurement and the management of public finances",
    10: "public reporting and access to information",
    11: "integrity in the judiciary and prosecution services",
    12: "integrity standards in the private sector",
    14: "the prevention of money-laundering",
    26: "the liability of legal persons",
    27: "participation in and attempt at corruption offences",
    28: "proof of knowledge, intent and purpose",
    34: "remedies for contracts obtained through corruption",
    36: "specialized anti-corruption authorities",
    39: "cooperation with the private sector",
    41: "the use of foreign criminal records",
    42: "jurisdiction over corruption offences",
    43: "international cooperation in criminal matters",
    51: "asset recovery",
    52: "the detection of transfers of proceeds of crime",
    53: "the direct recovery of property",
    54: "confiscation at the request of other States",
    55: "international cooperation for confiscation",
    56: "the spontaneous sharing of information on proceeds of crime",
    57: "the return and disposal of assets",
    58: "the financial intelligence unit",
    59: "bilateral and multilateral asset recovery agreements",
}
CHAPTER_TOPICS = {
    "II": "preventive measures in general",
    "III": "criminalization and law enforcement in general",
    "IV": "international cooperation in general",
    "V": "asset recovery in general",
}
AUDIENCES = {
    "II": [
        "public officials",
        "procurement officers",
        "staff of the anti-corruption body",
        "auditors",
        "human resources managers",
    ],
    "III": ["investigators", "prosecutors", "judges", "police officers", "financial investigators"],
    "IV": ["central authority staff", "prosecutors", "police liaison officers", "judges"],
    "V": [
        "financial intelligence analysts",
        "asset recovery practitioners",
        "prosecutors",
        "bank compliance officers",
    ],
}
NEED_TEMPLATES = {
    "capacity_building": [
        "Training of {audience} on {topic}",
        "Specialised workshops for {audience} on {topic}, with case studies",
        "A training curriculum on {topic} for {audience}",
        "Study visit for {audience} to exchange good practices on {topic}",
        "Mentoring of {audience} in {topic}",
    ],
    "legislative_assistance": [
        "Assistance in drafting legislation on {topic}",
        "Legal advice on bringing domestic law on {topic} in line with the Convention",
        "Review of draft amendments concerning {topic}",
        "Model provisions on {topic} adapted to the national legal system",
    ],
    "institution_building": [
        "Establishing a dedicated unit responsible for {topic}",
        "Strengthening the capacity and independence of the body in charge of {topic}",
        "Case management tools for the authority in charge of {topic}",
    ],
    "policymaking": [
        "Including {topic} in the national anti-corruption strategy and action plan",
        "A policy framework on {topic}",
    ],
    "research_data": [
        "Collecting and analysing statistics on {topic}",
        "A database recording cases related to {topic}",
        "A study of the effectiveness of measures on {topic}",
    ],
    "international_cooperation": [
        "Contacts with counterparts in other States on {topic}",
        "Guidance on requests for cooperation concerning {topic}",
        "Negotiating bilateral agreements on {topic}",
    ],
    "other": [
        "A compilation of good practices and lessons learned on {topic}",
        "On-site assistance by an expert on {topic}",
    ],
}
THEME_SUFFIXES = {
    "technology": ", including digital tools",
    "risk_assessment": ", based on a corruption risk assessment",
    "gender": ", taking gender dimensions into account",
}

# Kinds of activity, their weight, duration in days, budget range (USD) and the need
# categories they usually address.
ACTIVITY_KINDS = {
    ActivityType.TRAINING: (30, (2, 10), (15_000, 120_000), ["capacity_building"]),
    ActivityType.LEGAL_ADVICE: (9, (30, 365), (20_000, 150_000), ["legislative_assistance"]),
    ActivityType.LEGISLATIVE_DRAFTING: (
        9,
        (90, 540),
        (40_000, 250_000),
        ["legislative_assistance", "policymaking"],
    ),
    ActivityType.MENTORING: (
        10,
        (180, 900),
        (150_000, 900_000),
        ["capacity_building", "institution_building"],
    ),
    ActivityType.INSTITUTION_BUILDING: (
        10,
        (365, 1100),
        (250_000, 2_500_000),
        ["institution_building", "policymaking"],
    ),
    ActivityType.KNOWLEDGE_TOOL: (8, (120, 500), (30_000, 200_000), ["other", "research_data"]),
    ActivityType.ASSESSMENT: (8, (60, 300), (25_000, 180_000), ["research_data", "policymaking"]),
    ActivityType.REGIONAL_PLATFORM: (
        8,
        (730, 1825),
        (400_000, 3_000_000),
        ["international_cooperation", "capacity_building"],
    ),
    ActivityType.OTHER: (4, (30, 365), (10_000, 100_000), ["other"]),
}
ACTIVITY_PHRASES = {
    ActivityType.TRAINING: "Training",
    ActivityType.LEGAL_ADVICE: "Legal advice",
    ActivityType.LEGISLATIVE_DRAFTING: "Legislative drafting support",
    ActivityType.MENTORING: "Adviser placement",
    ActivityType.INSTITUTION_BUILDING: "Institution-building support",
    ActivityType.KNOWLEDGE_TOOL: "Knowledge tool",
    ActivityType.ASSESSMENT: "Assessment",
    ActivityType.REGIONAL_PLATFORM: "Anti-corruption platform",
    ActivityType.OTHER: "Expert support",
}
SYNTHETIC_ACTIVITY_NOTE = "Synthetic activity generated for demonstration; not a real project."
INTEREST_NOTES = [
    "We could fund this through our governance programme from next year.",
    "Interested in a joint programme with another donor; please get in touch.",
    "Fits our asset recovery portfolio; awaiting a request from the State.",
    "Commitment subject to the approval of our annual budget.",
    "Our embassy is discussing the scope with the national authorities.",
]
FOCAL_POINT_COMMENTS = {
    Status.IN_PROGRESS: "Assistance agreed with the provider; work starts this year.",
    Status.PARTIALLY_MET: "Part of this was addressed by the training delivered last year.",
    Status.MET: "Met: the new law entered into force and the staff have been trained.",
    Status.OBSOLETE: "No longer relevant after the reform of the institution concerned.",
}


def is_demo_loaded() -> bool:
    """Whether the demo dataset is in the database (pages show a banner while it is)."""
    return Need.objects.filter(ref__startswith=DEMO_REF_PREFIX).exists()


@dataclass
class DemoAccountResult:
    account: DemoAccount
    created: bool


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccountResult] = field(default_factory=list)
    skipped_reviews: list[str] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights`, each at least 1."""
    spare = total - len(weights)
    scale = sum(weights)
    raw = [spare * w / scale for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: spare - sum(parts)]:
        parts[i] += 1
    return [p + 1 for p in parts]


def _profile_url(state: State, cycle: int, document: str = "summary") -> str:
    """Where the demo says a review's documents are published: the State's UNODC country
    profile (the real site's pages, whose addresses name the State)."""
    return (
        "https://www.unodc.org/unodc/en/corruption/country-profile/countryprofile.html"
        f"#?CountryProfileDetails=%2Funodc%2Fcorruption%2Fcountry-profile%2Fprofiles%2F"
        f"{state.iso3.lower()}.html&cycle={cycle}&document={document}"
    )


def _create_with_history(model: type[models.Model], objects: list, user) -> dict:
    """Bulk insert rows and their "created" history entries; returns {pk: history row}."""
    created = model.objects.bulk_create(objects, batch_size=1000)
    history = model.history.bulk_history_create(
        created, batch_size=1000, default_user=user, default_change_reason=DEMO_CHANGE_REASON
    )
    return {entry.id: entry for entry in history}


def _link_with_history(
    model: type[models.Model], field_name: str, pairs: list[tuple[int, int]], history: dict
) -> None:
    """Bulk insert many-to-many rows, and the same rows in the history entries' snapshot."""
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    rows = through.objects.bulk_create(
        [through(**{f"{owner}_id": a, f"{target}_id": b}) for a, b in pairs], batch_size=2000
    )
    historical_m2m = getattr(model.history.model, field_name).model
    historical_m2m.objects.bulk_create(
        [
            historical_m2m(
                history=history[getattr(row, f"{owner}_id")],
                id=row.pk,
                **{f"{owner}_id": getattr(row, f"{owner}_id")},
                **{f"{target}_id": getattr(row, f"{target}_id")},
            )
            for row in rows
        ],
        batch_size=2000,
    )


@dataclass
class _PlannedNeed:
    need: Need
    topic: str
    theme_ids: list[int]


class _DemoBuilder:
    def __init__(self, today: datetime.date):
        self.rng = random.Random(SEED)
        self.today = today
        self.summary = DemoSummary()
        self.states = {s.iso3: s for s in State.objects.select_related("regional_group")}
        self.parties = sorted(
            (s for s in self.states.values() if s.is_party and s.regional_group_id),
            key=lambda s: s.iso3,
        )
        self.chapters = {
            c.roman: c for c in Chapter.objects.filter(reviewed_in_cycle__isnull=False)
        }
        self.articles = {a.number: a for a in Article.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.subcategories = defaultdict(list)
        for sub in Subcategory.objects.order_by("category__position", "position"):
            self.subcategories[sub.category_id].append(sub)
        self.subcategory_by_code = {s.code: s for subs in self.subcategories.values() for s in subs}
        self.themes = {t.code: t for t in Theme.objects.all()}

    # --- People and organisations ---------------------------------------------------------
    def organisations(self) -> None:
        self.providers = {}
        for name, short_name, is_unodc, region in PROVIDERS:
            provider, _ = Provider.objects.get_or_create(
                name=name, defaults={"short_name": short_name, "is_unodc": is_unodc}
            )
            self.providers[short_name] = (provider, region)
        self.donors = {}
        self.donor_weights = {}
        for name, short_name, kind, iso3, weight in DONORS:
            donor, _ = Donor.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": short_name,
                    "kind": kind,
                    "country": self.states.get(iso3),
                },
            )
            self.donors[name] = donor
            self.donor_weights[name] = weight

    def accounts(self) -> None:
        self.users = {}
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            created = user is None
            if created:
                user = User(
                    username=account.username,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    email=f"{account.username}@example.org",
                    role=account.role,
                    state=self.states[account.state_iso3] if account.state_iso3 else None,
                    donor=self.donors[account.donor_name] if account.donor_name else None,
                    is_staff=account.is_superuser,
                    is_superuser=account.is_superuser,
                )
                user.set_password(account.password)
                user.full_clean()
                user.save()
            self.users[account.username] = user
            self.summary.accounts.append(DemoAccountResult(account, created))
        self.staff = self.users["staff"]

    # --- Reviews --------------------------------------------------------------------------
    def _milestones(self, cycle: int, year: int, stage: int) -> dict:
        rng = self.rng
        self_assessment = datetime.date(year, rng.randint(1, 9), rng.randint(1, 28))
        dialogue = self_assessment + _days(rng.randint(90, 300))
        summary = dialogue + _days(rng.randint(120, 420))
        report = summary + _days(rng.randint(30, 300))
        dates = [self_assessment, dialogue, summary, report]
        # Milestones not reached yet, or not by today, stay empty.
        reached = [d if i < stage and d <= self.today else None for i, d in enumerate(dates)]
        for i in range(1, 4):
            if reached[i - 1] is None:
                reached[i] = None
        remote_years = cycle == 2 and 2020 <= year <= 2021
        return {
            "self_assessment_submitted": reached[0],
            "direct_dialogue": reached[1],
            "direct_dialogue_kind": (
                ""
                if reached[1] is None
                else _weighted(
                    rng,
                    {
                        DirectDialogue.COUNTRY_VISIT: 3 if remote_years else 8,
                        DirectDialogue.JOINT_MEETING: 5 if remote_years else 2,
                    },
                )
            ),
            "executive_summary_completed": reached[2],
            "country_report_completed": reached[3],
        }

    def _stage(self, cycle: int, year: int) -> int:
        if cycle == 1:
            weights = {4: 80, 3: 12, 2: 5, 1: 3}
        elif year <= 2020:
            weights = {4: 70, 3: 20, 2: 7, 1: 3}
        elif year <= 2022:
            weights = {4: 45, 3: 30, 2: 15, 1: 10}
        else:
            weights = {4: 10, 3: 25, 2: 30, 1: 25, 0: 10}
        return _weighted(self.rng, weights)

    def reviews(self) -> None:
        rng = self.rng
        existing = set(Review.objects.values_list("state__iso3", "cycle"))
        self.planned_reviews: list[Review] = []
        fixed_states = sorted({iso3 for iso3, _ in FIXED_REVIEWS})
        for cycle, count in REVIEWS_PER_CYCLE.items():
            others = [s for s in self.parties if s.iso3 not in fixed_states]
            chosen = rng.sample(others, count - len(fixed_states))
            chosen += [self.states[iso3] for iso3 in fixed_states]
            years, year_weights = REVIEW_YEARS[cycle]
            for state in sorted(chosen, key=lambda s: s.iso3):
                fixed = FIXED_REVIEWS.get((state.iso3, cycle))
                year = fixed["year"] if fixed else rng.choices(years, year_weights)[0]
                stage = fixed["stage"] if fixed else self._stage(cycle, year)
                milestones = self._milestones(cycle, year, stage)
                if (state.iso3, cycle) in existing:
                    self.summary.skipped_reviews.append(f"{state.iso3} cycle {cycle}")
                    continue
                summary_done = milestones["executive_summary_completed"] is not None
                if fixed:
                    published = fixed["published"] and summary_done
                else:
                    published = summary_done and rng.random() < (0.92 if cycle == 1 else 0.78)
                report_published = (
                    published
                    and milestones["country_report_completed"] is not None
                    and rng.random() < 0.6
                )
                self.planned_reviews.append(
                    Review(
                        state=state,
                        cycle=cycle,
                        review_year=year,
                        executive_summary_published=published,
                        country_report_published=report_published,
                        executive_summary_url=_profile_url(state, cycle) if published else "",
                        country_report_url=(
                            _profile_url(state, cycle, "report") if report_published else ""
                        ),
                        updated_by=self.staff,
                        **milestones,
                    )
                )
        history = _create_with_history(Review, self.planned_reviews, self.staff)
        pairs = []
        for review in self.planned_reviews:
            pairs += [(review.pk, s.pk) for s in self._reviewing_states(review.state)]
        _link_with_history(Review, "reviewing_states", pairs, history)

    def _reviewing_states(self, state: State) -> list[State]:
        """Two other parties, one of them from the same regional group, as drawn by lot."""
        same_region = [
            s
            for s in self.parties
            if s.regional_group_id == state.regional_group_id and s.pk != state.pk
        ]
        first = self.rng.choice(same_region)
        second = self.rng.choice([s for s in self.parties if s.pk not in (state.pk, first.pk)])
        return [first, second]

    # --- Needs ----------------------------------------------------------------------------
    def _identified_on(self, review: Review) -> datetime.date:
        base = review.executive_summary_completed or review.self_assessment_submitted
        return min(base + _days(self.rng.randint(0, 30)), self.today)

    def _last_confirmed(self, identified_on: datetime.date) -> datetime.date | None:
        rng = self.rng
        roll = rng.random()
        age = (self.today - identified_on).days
        if roll < 0.3:
            return None
        if roll < 0.55 and age > 400:
            # Confirmed once, more than a year ago: shows as possibly stale.
            return identified_on + _days(rng.randint(0, age - 400))
        return self.today - _days(rng.randint(0, min(age, 330)))

    def _themes(self, article_number: int | None, category_code: str) -> list[Theme]:
        chosen = []
        for code, (chance, by_article) in THEME_CHANCE.items():
            if code == "training" and category_code == "capacity_building":
                chance = TRAINING_CHANCE_IN_CAPACITY_BUILDING
            if self.rng.random() < by_article.get(article_number, chance):
                chosen.append(self.themes[code])
        self.rng.shuffle(chosen)
        return sorted(chosen[:3], key=lambda t: t.position)

    def _subcategory(self, category: Category, article_number: int | None) -> Subcategory | None:
        rng = self.rng
        if rng.random() >= SUBCATEGORY_SHARE.get(category.code, 0):
            return None
        preferred = CAPACITY_SUBJECT.get(article_number)
        if category.code == "capacity_building" and preferred and rng.random() < 0.75:
            return self.subcategory_by_code[preferred]
        return rng.choice(self.subcategories[category.pk])

    def _plan_need(self, review: Review, acceptance: str = Acceptance.ACCEPTED) -> _PlannedNeed:
        rng = self.rng
        cycle_chapters = {
            r: w
            for r, w in CHAPTER_WEIGHTS.items()
            if self.chapters[r].reviewed_in_cycle == review.cycle
        }
        roman = _weighted(rng, cycle_chapters)
        chapter = self.chapters[roman]
        article_number = _weighted(rng, ARTICLE_WEIGHTS[roman])
        article = self.articles[article_number] if article_number else None
        category_weights = {
            code: weight * CATEGORY_BOOST.get((roman, code), 1)
            for code, weight in CATEGORY_WEIGHTS.items()
        }
        category = self.categories[_weighted(rng, category_weights)]
        themes = self._themes(article_number, category.code)
        if article is None:
            topic = CHAPTER_TOPICS[roman]
        else:
            topic = ARTICLE_TOPICS.get(article.number, article.title.lower())
        text = rng.choice(NEED_TEMPLATES[category.code]).format(
            audience=rng.choice(AUDIENCES[roman]), topic=topic
        )
        text += next((THEME_SUFFIXES[t.code] for t in themes if t.code in THEME_SUFFIXES), "")
        identified_on = (
            self._identified_on(review)
            if acceptance == Acceptance.ACCEPTED
            else self.today - _days(rng.randint(10, 90))
        )
        need = Need(
            ref=f"{DEMO_REF_PREFIX}N{len(self.planned_needs) + 1:05d}",
            review=review,
            chapter=chapter,
            article=article,
            category=category,
            subcategory=self._subcategory(category, article_number),
            description=f"{DEMO_LABEL} {text}.",
            priority=_weighted(
                rng,
                {Priority.HIGH: 30, Priority.MEDIUM: 40, Priority.LOW: 15, "": 15},
            ),
            acceptance=acceptance,
            identified_on=identified_on,
            last_confirmed_on=(
                self._last_confirmed(identified_on) if acceptance == Acceptance.ACCEPTED else None
            ),
            updated_by=self.staff,
        )
        focal_point = self.focal_points.get(review.state.iso3)
        if need.last_confirmed_on:
            need.last_confirmed_by = focal_point or self.staff
        if acceptance != Acceptance.ACCEPTED:
            need.proposed_by = focal_point
        planned = _PlannedNeed(need, topic, [t.pk for t in themes])
        self.planned_needs.append(planned)
        return planned

    def needs(self) -> None:
        rng = self.rng
        self.planned_needs: list[_PlannedNeed] = []
        self.focal_points = {
            u.state.iso3: u for u in self.users.values() if u.role == Role.FOCAL_POINT and u.state
        }
        for cycle, target in NEEDS_PER_CYCLE.items():
            with_needs, weights = [], []
            for review in self.planned_reviews:
                if review.cycle != cycle or review.self_assessment_submitted is None:
                    continue
                fixed = (review.state.iso3, cycle) in FIXED_REVIEWS
                chance = 0.72 if review.executive_summary_completed else 0.25
                if fixed or rng.random() < chance:
                    with_needs.append(review)
                    weights.append(3.0 if fixed else rng.lognormvariate(0, 0.75))
            if not with_needs:
                continue
            for review, count in zip(with_needs, _allocate(target, weights), strict=True):
                for _ in range(count):
                    self._plan_need(review)
        # Proposals from the focal points, waiting for (or refused by) the secretariat.
        proposals = [
            ("KEN", Acceptance.PROPOSED, 2),
            ("KEN", Acceptance.DECLINED, 1),
            ("PER", Acceptance.PROPOSED, 2),
        ]
        latest = {r.state.iso3: r for r in self.planned_reviews if r.cycle == 2}
        self.declined_proposals = []
        for iso3, acceptance, count in proposals:
            if iso3 not in latest:
                continue
            for _ in range(count):
                planned = self._plan_need(latest[iso3], acceptance)
                if acceptance == Acceptance.DECLINED:
                    self.declined_proposals.append(planned.need)

    # --- Assistance -----------------------------------------------------------------------
    def _provider(self, region: str | None) -> Provider:
        weights = dict(PROVIDER_WEIGHTS)
        for short_name, (_, provider_region) in self.providers.items():
            if provider_region is not None and provider_region == region:
                weights[short_name] = REGIONAL_PROVIDER_WEIGHT
        return self.providers[_weighted(self.rng, weights)][0]

    def _pick_needs(self, iso3: str, categories: list[str], count: int) -> list[_PlannedNeed]:
        pool = self.accepted_by_state[iso3]
        fitting = [p for p in pool if p.need.category.code in categories]
        chosen = self.rng.sample(fitting, min(count, len(fitting)))
        if len(chosen) < count:
            rest = [p for p in pool if p not in chosen]
            chosen += self.rng.sample(rest, min(count - len(chosen), len(rest)))
        return chosen

    def _dates_and_status(self, kind: str) -> tuple[datetime.date, datetime.date | None, str]:
        rng = self.rng
        low, high = ACTIVITY_KINDS[kind][1]
        start = self.today + _days(rng.randint(-2200, 240))
        end = start + _days(rng.randint(low, high))
        if kind == ActivityType.REGIONAL_PLATFORM and rng.random() < 0.5:
            end = None  # a standing platform
        if start > self.today:
            status = ActivityStatus.PLANNED
        elif end is not None and end < self.today:
            status = ActivityStatus.COMPLETED
        else:
            status = ActivityStatus.ONGOING
        return start, end, status

    def activities(self) -> None:
        rng = self.rng
        self.accepted_by_state: dict[str, list[_PlannedNeed]] = defaultdict(list)
        for planned in self.planned_needs:
            if planned.need.acceptance == Acceptance.ACCEPTED:
                self.accepted_by_state[planned.need.review.state.iso3].append(planned)
        states_with_needs = sorted(self.accepted_by_state)
        need_counts = {iso3: len(self.accepted_by_state[iso3]) for iso3 in states_with_needs}
        by_region = defaultdict(list)
        for iso3 in states_with_needs:
            by_region[self.states[iso3].regional_group.code].append(iso3)
        kind_weights = {kind: spec[0] for kind, spec in ACTIVITY_KINDS.items()}

        plans = []  # (level, kind, beneficiary ISO3 codes, linked needs, region)
        forced_national = [iso3 for iso3 in ("KEN", "KEN", "PER") if iso3 in need_counts]
        for level, count in ACTIVITIES.items():
            for i in range(count):
                kind = _weighted(rng, kind_weights)
                if level == Level.NATIONAL:
                    while kind == ActivityType.REGIONAL_PLATFORM:
                        kind = _weighted(rng, kind_weights)
                    iso3 = (
                        forced_national[i]
                        if i < len(forced_national)
                        else _weighted(rng, need_counts)
                    )
                    beneficiaries = [iso3]
                    linked = self._pick_needs(iso3, ACTIVITY_KINDS[kind][3], rng.randint(1, 5))
                    region = self.states[iso3].regional_group.code
                elif level == Level.REGIONAL:
                    region = rng.choice(sorted(by_region))
                    members = by_region[region]
                    beneficiaries = sorted(
                        rng.sample(members, min(len(members), rng.randint(3, 8)))
                    )
                    linked = []
                    for iso3 in beneficiaries:
                        if rng.random() < 0.6:
                            linked += self._pick_needs(
                                iso3, ACTIVITY_KINDS[kind][3], rng.randint(1, 2)
                            )
                else:
                    region = None
                    if kind == ActivityType.REGIONAL_PLATFORM:
                        kind = ActivityType.KNOWLEDGE_TOOL
                    beneficiaries = (
                        []
                        if kind == ActivityType.KNOWLEDGE_TOOL
                        else sorted(rng.sample(states_with_needs, rng.randint(6, 15)))
                    )
                    linked = []
                    for iso3 in beneficiaries[:4]:
                        linked += self._pick_needs(iso3, ACTIVITY_KINDS[kind][3], 1)
                plans.append((level, kind, beneficiaries, linked, region))

        activities, beneficiary_pairs, links, funding = [], [], [], []
        for number, (level, kind, beneficiaries, linked, region) in enumerate(plans, start=1):
            start, end, status = self._dates_and_status(kind)
            provider = self._provider(region)
            low, high = ACTIVITY_KINDS[kind][2]
            multiplier = {Level.NATIONAL: 1, Level.REGIONAL: 2, Level.GLOBAL: 3}[level]
            budget = Decimal(round(rng.randint(low, high) * multiplier, -3))
            currency = (
                "EUR" if provider.short_name in ("Council of Europe", "GIZ", "RAI") else "USD"
            )
            topic = linked[0].topic if linked else "implementing the Convention"
            phrase = ACTIVITY_PHRASES[kind]
            if level == Level.NATIONAL:
                title = f"{phrase} on {topic}: {self.states[beneficiaries[0]].name}"
            elif level == Level.REGIONAL:
                group = self.states[beneficiaries[0]].regional_group.name
                title = f"Regional {phrase.lower()} on {topic} ({group})"
            else:
                title = f"Global {phrase.lower()} on {topic}"
            remote_era = 2020 <= start.year <= 2021
            activity = Activity(
                ref=f"{DEMO_REF_PREFIX}A{number:03d}",
                title=f"{DEMO_LABEL} {title}"[:300],
                description=f"{DEMO_LABEL} {SYNTHETIC_ACTIVITY_NOTE}",
                activity_type=kind,
                level=level,
                provider=provider,
                start_date=start,
                end_date=end,
                status=status,
                delivery_mode=_weighted(
                    rng,
                    {
                        DeliveryMode.IN_PERSON: 15 if remote_era else 60,
                        DeliveryMode.REMOTE: 60 if remote_era else 15,
                        DeliveryMode.HYBRID: 25,
                    },
                ),
                budget=budget,
                budget_currency=currency,
            )
            activities.append(activity)
            beneficiary_pairs += [(activity, self.states[iso3]) for iso3 in beneficiaries]
            full_chance = {
                ActivityStatus.COMPLETED: 0.45,
                ActivityStatus.ONGOING: 0.2,
                ActivityStatus.PLANNED: 0.1,
            }[status]
            seen = set()
            for planned in linked:
                if planned.need.ref in seen:
                    continue
                seen.add(planned.need.ref)
                extent = Extent.FULL if rng.random() < full_chance else Extent.PARTIAL
                links.append((activity, planned.need, extent))
            if rng.random() < 0.85:  # the rest is paid from the provider's own budget
                donors = rng.sample(list(self.donors), rng.choices([1, 2, 3], [55, 30, 15])[0])
                shares = [rng.random() + 0.2 for _ in donors]
                funded = budget * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))
                for i, name in enumerate(donors):
                    amount = (funded * Decimal(shares[i] / sum(shares))).quantize(Decimal("100"))
                    funding.append(
                        FundingContribution(
                            activity=activity,
                            donor=self.donors[name],
                            amount=max(amount, Decimal("1000")),
                            currency=currency,
                            year=start.year + (i if end and end.year >= start.year + i else 0),
                        )
                    )

        history = _create_with_history(Activity, activities, self.staff)
        _link_with_history(
            Activity,
            "beneficiary_states",
            [(activity.pk, state.pk) for activity, state in beneficiary_pairs],
            history,
        )
        _create_with_history(FundingContribution, funding, self.staff)
        self.links = links
        self.activity_count = len(activities)
        self.funding_count = len(funding)

    def _status_from_links(self) -> None:
        """Needs with assistance get a status that matches it; the others age naturally."""
        rng = self.rng
        by_need = defaultdict(list)
        for activity, need, extent in self.links:
            by_need[need.ref].append((activity.status, extent))
        for planned in self.planned_needs:
            need = planned.need
            if need.acceptance != Acceptance.ACCEPTED:
                need.status = Status.UNMET
                continue
            assistance = by_need.get(need.ref)
            if assistance:
                done_fully = (ActivityStatus.COMPLETED, Extent.FULL) in assistance
                any_completed = any(s == ActivityStatus.COMPLETED for s, _ in assistance)
                if done_fully:
                    need.status = Status.MET if rng.random() < 0.8 else Status.PARTIALLY_MET
                elif any_completed:
                    need.status = Status.PARTIALLY_MET
                else:
                    need.status = Status.IN_PROGRESS
            elif need.review.cycle == 1:
                need.status = _weighted(
                    rng,
                    {Status.UNMET: 68, Status.OBSOLETE: 12, Status.MET: 10, Status.IN_PROGRESS: 10},
                )
            else:
                need.status = _weighted(
                    rng,
                    {Status.UNMET: 84, Status.OBSOLETE: 5, Status.MET: 5, Status.IN_PROGRESS: 6},
                )

    def _sources(self, rng: random.Random) -> None:
        """Some needs quote the paragraph of the executive summary that identifies them."""
        for planned in self.planned_needs:
            need = planned.need
            if not need.review.executive_summary_completed or rng.random() >= SOURCE_SHARE:
                continue
            need.source_paragraph = f"para {rng.randint(12, 140)}"
            need.source_excerpt = f"{DEMO_LABEL} " + rng.choice(SOURCE_EXCERPTS).format(
                state=need.review.state.name, topic=planned.topic
            )

    def _follow_up(self, rng: random.Random, history: dict) -> int:
        """Some second-cycle needs (and a Kenyan proposal) carry on a first-cycle need of their
        State, preferably of the same category; saved with their history entries."""
        earlier: dict[int, list[Need]] = defaultdict(list)
        for planned in self.planned_needs:
            need = planned.need
            if need.review.cycle == 1 and need.acceptance == Acceptance.ACCEPTED:
                earlier[need.review.state_id].append(need)
        followers = []
        for planned in self.planned_needs:
            need = planned.need
            candidates = earlier.get(need.review.state_id)
            if need.review.cycle != 2 or not candidates:
                continue
            proposal = need.acceptance == Acceptance.PROPOSED and need.review.state.iso3 == "KEN"
            if need.acceptance == Acceptance.DECLINED:
                continue
            if not proposal and rng.random() >= FOLLOW_SHARE:
                continue
            same_category = [c for c in candidates if c.category_id == need.category_id]
            chosen = rng.choice(same_category or candidates)
            candidates.remove(chosen)
            need.follows = chosen
            followers.append(need)
        Need.objects.bulk_update(followers, ["follows"], batch_size=1000)
        entries = [history[need.pk] for need in followers]
        for entry, need in zip(entries, followers, strict=True):
            entry.follows_id = need.follows_id
        Need.history.model.objects.bulk_update(entries, ["follows"], batch_size=1000)
        return len(followers)

    def save_needs(self) -> None:
        self._status_from_links()
        follow_rng = random.Random(FOLLOW_UP_SEED)
        self._sources(follow_rng)
        needs = [p.need for p in self.planned_needs]
        history = _create_with_history(Need, needs, self.staff)
        self.follow_count = self._follow_up(follow_rng, history)
        _link_with_history(
            Need,
            "themes",
            [(p.need.pk, theme_id) for p in self.planned_needs for theme_id in p.theme_ids],
            history,
        )
        link_rows = [
            ActivityNeedLink(activity_id=activity.pk, need_id=need.pk, extent=extent)
            for activity, need, extent in self.links
        ]
        _create_with_history(ActivityNeedLink, link_rows, self.staff)
        recompute_coverage([n.pk for n in needs])

    # --- Donor interest and comments ------------------------------------------------------
    def interests(self) -> None:
        rng = self.rng
        covered = {need.ref for _, need, _ in self.links}
        candidates = [
            p.need
            for p in self.planned_needs
            if p.need.acceptance == Acceptance.ACCEPTED
            and p.need.review.executive_summary_published
            and p.need.ref not in covered
            and p.need.status in (Status.UNMET, Status.IN_PROGRESS)
        ]
        donor = self.users["donor.demo"]
        demo_donor = donor.donor
        others = [d for name, d in self.donors.items() if d.pk != demo_donor.pk]
        interests = []
        for i, need in enumerate(rng.sample(candidates, DONOR_INTERESTS)):
            # Every fifth need draws two donors: the situation the register exists for.
            takers = [demo_donor] if i % 4 == 0 else [rng.choice(others)]
            if i % 5 == 0:
                takers.append(rng.choice([d for d in others if d not in takers]))
            for taker in takers:
                kind = InterestKind.COMMITMENT if rng.random() < 0.3 else InterestKind.INTEREST
                interests.append(
                    DonorInterest(
                        donor=taker,
                        need=need,
                        kind=kind,
                        note=f"{DEMO_LABEL} {rng.choice(INTEREST_NOTES)}",
                        amount=(
                            Decimal(rng.randint(20, 500) * 1000)
                            if kind == InterestKind.COMMITMENT
                            else None
                        ),
                        created_by=donor if taker.pk == demo_donor.pk else None,
                        withdrawn_at=(
                            timezone.now() - _days(rng.randint(5, 200))
                            if rng.random() < 0.08
                            else None
                        ),
                    )
                )
        _create_with_history(DonorInterest, interests, self.staff)
        self.interest_count = len(interests)

    def comments(self) -> None:
        comments = []
        for planned in self.planned_needs:
            need = planned.need
            focal_point = self.focal_points.get(need.review.state.iso3)
            if focal_point and need.status in FOCAL_POINT_COMMENTS:
                comments.append(
                    NeedComment(
                        need=need,
                        author=focal_point,
                        text=f"{DEMO_LABEL} {FOCAL_POINT_COMMENTS[need.status]}",
                        status_from=Status.UNMET,
                        status_to=need.status,
                    )
                )
        comments += [
            NeedComment(
                need=need,
                author=self.staff,
                text=f"{DEMO_LABEL} Declined: an accepted need of the review already covers this.",
            )
            for need in self.declined_proposals
        ]
        NeedComment.objects.bulk_create(comments)
        self.comment_count = len(comments)

    def actions(self) -> None:
        """Follow-up actions on some accepted needs: every open need of the States whose
        focal point has a demo account gets one or two (one overdue); elsewhere about one
        open need in ten, in seven States in ten. About half are in the State's national
        action plan. A separate random generator keeps the rest of the demo data as it was."""
        rng = random.Random(SEED + 17)
        reporting: dict[str, bool] = {}
        actions = []
        for planned in self.planned_needs:
            need = planned.need
            if need.acceptance != Acceptance.ACCEPTED or need.status in (
                Status.MET,
                Status.OBSOLETE,
            ):
                continue
            iso3 = need.review.state.iso3
            focal_point = self.focal_points.get(iso3)
            if iso3 not in reporting:
                # About seven States in ten report actions (the seeds' 70 %, para 43).
                reporting[iso3] = focal_point is not None or rng.random() < 0.7
            if not reporting[iso3] or (focal_point is None and rng.random() >= 1 / 10):
                continue
            author = focal_point or self.staff
            for index in range(1 if rng.random() < 0.6 else 2):
                what, institution = rng.choice(DEMO_ACTIONS)
                overdue = focal_point is not None and index == 0 and rng.random() < 0.5
                due = self.today + _days(-rng.randint(10, 120) if overdue else rng.randint(30, 540))
                status = (
                    ActionStatus.IN_PROGRESS
                    if overdue
                    else _weighted(
                        rng,
                        {
                            ActionStatus.PLANNED: 50,
                            ActionStatus.IN_PROGRESS: 35,
                            ActionStatus.DONE: 10,
                            ActionStatus.CANCELLED: 5,
                        },
                    )
                )
                actions.append(
                    NeedAction(
                        need=need,
                        what=f"{DEMO_LABEL} {what}",
                        responsible_institution=institution,
                        due_date=due,
                        status=status,
                        in_national_action_plan=rng.random() < 0.5,
                        created_by=author,
                        updated_by=author,
                    )
                )
        _create_with_history(NeedAction, actions, self.staff)
        self.action_count = len(actions)

    def run(self) -> DemoSummary:
        self.organisations()
        self.accounts()
        self.reviews()
        self.needs()
        self.activities()
        self.save_needs()
        self.interests()
        self.comments()
        self.actions()
        data_changed(sender=Need)
        self.summary.counts = {
            "reviews": len(self.planned_reviews),
            "needs": len(self.planned_needs),
            "activities": self.activity_count,
            "links between activities and needs": len(self.links),
            "funding contributions": self.funding_count,
            "donor interests": self.interest_count,
            "comments": self.comment_count,
            "needs following a need of the first cycle": self.follow_count,
            "follow-up actions": self.action_count,
            "providers": len(self.providers),
            "donors": len(self.donors),
        }
        return self.summary


@transaction.atomic
def load_demo(*, today: datetime.date | None = None) -> DemoSummary:
    """Load the demo dataset; the caller checks `is_demo_loaded()` first."""
    return _DemoBuilder(today or timezone.localdate()).run()
