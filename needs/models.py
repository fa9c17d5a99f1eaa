import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Length, Upper
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import Audience, VisibleQuerySet, through
from core.expressions import flag


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.label


class Subcategory(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="subcategories",
        verbose_name=_("category"),
    )
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category__position", "position", "label"]
        verbose_name = _("subcategory")
        verbose_name_plural = _("subcategories")

    def __str__(self):
        return self.label


class Theme(models.Model):
    """A cross-cutting theme (technology, training, corruption risk assessment...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    # One need's status (the plain "Unmet" of the dashboards counts several needs).
    UNMET = "unmet", pgettext_lazy("need status", "Unmet")
    IN_PROGRESS = "in_progress", _("Assistance planned or under way")
    PARTIALLY_MET = "partially_met", _("Partially met")
    MET = "met", _("Met")
    OBSOLETE = "obsolete", _("No longer relevant")


class Coverage(models.TextChoices):
    # One need's coverage (the plain "Covered" of the dashboards counts several needs).
    UNMET = "unmet", pgettext_lazy("need coverage", "Unmet")
    PARTLY_COVERED = "partly_covered", pgettext_lazy("need coverage", "Partly covered")
    COVERED = "covered", pgettext_lazy("need coverage", "Covered")


class Acceptance(models.TextChoices):
    """Needs proposed by a focal point wait for staff to accept them."""

    ACCEPTED = "accepted", _("Accepted")
    PROPOSED = "proposed", _("Proposed by the focal point")
    DECLINED = "declined", _("Declined")


# The quoted sentence of the executive summary or country report a need comes from.
SOURCE_EXCERPT_MAX_LENGTH = 2000
SOURCE_PARAGRAPH_MAX_LENGTH = 60


def new_need_ref() -> str:
    return "N-" + secrets.token_hex(5).upper()


def new_need_refs(count: int) -> list[str]:
    """`count` references like new_need_ref's, from one draw of random bytes."""
    digits = secrets.token_hex(5 * count).upper()
    return ["N-" + digits[start : start + 10] for start in range(0, 10 * count, 10)]


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Needs last confirmed (or, never confirmed, identified) before this date are stale."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.NEED_STALE_AFTER_DAYS)


def stale_q(today: datetime.date | None = None) -> Q:
    """The needs possibly stale on `today`: not confirmed for NEED_STALE_AFTER_DAYS."""
    cutoff = stale_before(today)
    return (
        Q(last_confirmed_on__lt=cutoff)
        | Q(last_confirmed_on__isnull=True, identified_on__lt=cutoff)
        | Q(last_confirmed_on__isnull=True, identified_on__isnull=True, created_at__date__lt=cutoff)
    )


class NeedQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """Staff see every need; a focal point also every need of their own State, proposals
        included; everyone else the accepted needs of reviews whose executive summary is
        published (a proposal counts as unpublished until staff accept it)."""
        if audience.staff:
            return None
        published = Q(review__executive_summary_published=True, acceptance=Acceptance.ACCEPTED)
        if audience.state_id is not None:
            return published | Q(review__state_id=audience.state_id)
        return published

    def with_staleness(self) -> "NeedQuerySet":
        """With `is_stale`, computed by the database."""
        return self.annotate(is_stale=flag(stale_q()))

    def for_lists(self) -> "NeedQuerySet":
        """With everything lists and exports of needs show, in a fixed number of queries."""
        return (
            self.select_related(
                "review__state__regional_group",
                "chapter",
                "article",
                "category",
                "subcategory",
            )
            .prefetch_related("themes")
            .with_staleness()
        )

    def with_follows_ref(self, user) -> "NeedQuerySet":
        """With `follows_ref`: the reference of the earlier need this one follows, when the
        user may see that need too (None otherwise), read by the same query."""
        condition = through("follows", self.visibility_filter(Audience.of(user)))
        ref = F("follows__ref")
        if condition is not None:
            ref = Case(When(condition, then=ref), default=Value(None))
        return self.annotate(follows_ref=ref)


HISTORY_UNINDEXED = [
    "ref",
    "review",
    "chapter",
    "article",
    "category",
    "subcategory",
    "follows",
    "last_confirmed_by",
    "proposed_by",
    "updated_by",
    # The history of the themes' links: read by entry (`history`) only.
    "need",
    "theme",
]


class Need(models.Model):
    """A technical assistance need identified in one review."""

    # The needs the figures and lists count: accepted, never a proposal waiting or declined.
    COUNTED = Q(acceptance=Acceptance.ACCEPTED)

    ref = models.CharField(
        _("ref"),
        max_length=40,
        unique=True,
        default=new_need_ref,
        help_text=_("Stable reference."),
    )
    # Indexed by the composite indexes that start with it (Meta.indexes, needs 0009): a
    # single-column index too would cost every insert and serve no query.
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("review"),
        db_index=False,
    )
    chapter = models.ForeignKey(
        "reviews.Chapter", on_delete=models.PROTECT, related_name="needs", verbose_name=_("chapter")
    )
    article = models.ForeignKey(
        "reviews.Article",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("article"),
        help_text=_("Empty for a need about the chapter in general."),
    )
    # Indexed by (category, acceptance) (Meta.indexes), as the review is.
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("category"),
        db_index=False,
    )
    subcategory = models.ForeignKey(
        Subcategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("subcategory"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="needs", verbose_name=_("themes")
    )
    description = models.TextField(_("description"))
    description_language = models.CharField(_("description language"), max_length=10, default="en")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNMET
    )
    # Derived from the assistance linked to the need; kept up to date by assistance.services.
    coverage = models.CharField(
        _("coverage"), max_length=20, choices=Coverage.choices, default=Coverage.UNMET
    )
    acceptance = models.CharField(
        _("acceptance"), max_length=10, choices=Acceptance.choices, default=Acceptance.ACCEPTED
    )
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    source_paragraph = models.CharField(
        _("source paragraph"),
        max_length=SOURCE_PARAGRAPH_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Where the review's executive summary or country report identifies the need, "
            "e.g. “para 42”."
        ),
    )
    source_excerpt = models.TextField(
        _("source excerpt"),
        blank=True,
        validators=[
            MaxLengthValidator(
                SOURCE_EXCERPT_MAX_LENGTH,
                message=_(
                    "A source excerpt has at most %(limit_value)s characters "
                    "(this one has %(show_value)s): quote the sentence that identifies the need."
                ),
            )
        ],
        help_text=_("The sentence of the review that identifies the need, quoted."),
    )
    # A second-cycle need that carries on a need of the State's first-cycle review. Same
    # State, earlier cycle: checked by needs.services, and on PostgreSQL by a trigger
    # (migration 0007), which a check constraint cannot do across rows.
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_by",
        verbose_name=_("follows"),
        help_text=_("The need of the State's earlier cycle that this need carries on."),
    )
    last_confirmed_on = models.DateField(_("last confirmed on"), null=True, blank=True)
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last confirmed by"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    # The description's words for full-text search, written by a PostgreSQL trigger on every
    # insert and update (migration 0005) and read through a GIN index on the review and the
    # words (0012): computing them for each candidate row made searches over many needs take
    # seconds. Empty on SQLite, whose search matches words with icontains.
    search_vector = SearchVectorField(null=True, editable=False)
    objects = NeedQuerySet.as_manager()
    # History is read by need (`id`), entry, date and user, and the themes' history by entry:
    # the indexes simple_history would add on its copies of the other foreign keys and of
    # `ref` are never used, and each one costs every history entry written (a tenth of an
    # import of 100,000 needs).
    history = HistoricalRecords(
        m2m_fields=[themes],
        excluded_fields=["search_vector"],
        no_db_index=HISTORY_UNINDEXED,
    )

    class Meta:
        ordering = ["review", "chapter__number", "article__number", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(name="need_status_valid", condition=Q(status__in=Status.values)),
            models.CheckConstraint(
                name="need_priority_valid", condition=Q(priority__in=[*Priority.values, ""])
            ),
            models.CheckConstraint(
                name="need_coverage_valid", condition=Q(coverage__in=Coverage.values)
            ),
            models.CheckConstraint(
                name="need_acceptance_valid", condition=Q(acceptance__in=Acceptance.values)
            ),
            models.CheckConstraint(name="need_description_not_blank", condition=~Q(description="")),
            models.CheckConstraint(
                name="need_source_excerpt_length",
                condition=LessThanOrEqual(Length("source_excerpt"), SOURCE_EXCERPT_MAX_LENGTH),
            ),
            models.CheckConstraint(name="need_follows_another_need", condition=~Q(follows=F("pk"))),
        ]
        indexes = [
            models.Index(fields=["review", "chapter", "article"]),
            models.Index(fields=["category", "acceptance"]),
            models.Index(fields=["status"]),
            models.Index(fields=["coverage"]),
            models.Index(fields=["last_confirmed_on"]),
            # A review's needs of one category, and whether they count, read from the index
            # alone: the lists' pages and counts, review by review (core.paging).
            models.Index(fields=["review", "category", "acceptance"], name="need_review_category"),
            # A reference typed in any case (the activities' need filter, a link's form):
            # without it, each lookup read every need (335 ms at 100 times today's volume).
            # It takes the place of the LIKE index PostgreSQL had on `ref` (needs 0013).
            models.Index(Upper("ref"), name="need_ref_upper"),
        ]

    def __str__(self):
        return f"{self.ref}: {self.description[:60]}"

    @property
    def article_label(self) -> str:
        """The need's article ("Article 5"), or "Chapter in general", in the active language."""
        if self.article_id:
            return gettext("Article %(number)s") % {"number": self.article.number}
        return gettext("Chapter in general")


class NeedComment(models.Model):
    """A remark on a need, e.g. the reason a focal point gave for changing its status."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="comments", verbose_name=_("need")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    status_from = models.CharField(
        _("status before"), max_length=20, choices=Status.choices, blank=True
    )
    status_to = models.CharField(
        _("status after"), max_length=20, choices=Status.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("comment on a need")
        verbose_name_plural = _("comments on needs")

    def __str__(self):
        return f"Comment on {self.need_id} at {self.created_at:%Y-%m-%d}"


class ActionStatus(models.TextChoices):
    """Where a follow-up action on a need stands."""

    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


# Actions with these statuses are finished: never overdue.
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


def overdue_q(today: datetime.date | None = None) -> Q:
    """The actions overdue on `today`: due before it and neither done nor cancelled."""
    return Q(due_date__lt=today or timezone.localdate()) & ~Q(status__in=CLOSED_ACTION_STATUSES)


class NeedActionQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """An action is seen by whoever sees its need."""
        return through("need", Need.objects.visibility_filter(audience))

    def with_overdue(self, today: datetime.date | None = None) -> "NeedActionQuerySet":
        """With `is_overdue`, computed by the database."""
        return self.annotate(is_overdue=flag(overdue_q(today)))

    def overdue(self, today: datetime.date | None = None) -> "NeedActionQuerySet":
        return self.filter(overdue_q(today))

    def for_lists(self) -> "NeedActionQuerySet":
        """With what lists and exports of actions show, in a fixed number of queries."""
        return self.select_related(
            "need__review__state", "need__chapter", "need__article", "created_by", "updated_by"
        ).with_overdue()


class NeedAction(models.Model):
    """A follow-up action on a need, recorded by the State's focal point or staff: what is
    done about the need, by whom, by when, and whether a national action plan includes it."""

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="actions", verbose_name=_("need")
    )
    what = models.TextField(_("what"), help_text=_("The action taken or planned."))
    responsible_institution = models.CharField(
        _("responsible institution"), max_length=300, blank=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    in_national_action_plan = models.BooleanField(
        _("in the national action plan"),
        default=False,
        help_text=_("Whether the State's national (anti-corruption) action plan includes it."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    objects = NeedActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                name="need_action_status_valid", condition=Q(status__in=ActionStatus.values)
            ),
            models.CheckConstraint(name="need_action_what_not_blank", condition=~Q(what="")),
        ]
        indexes = [
            models.Index(fields=["due_date", "status"]),
            models.Index(fields=["in_national_action_plan"]),
        ]

    def __str__(self):
        return f"{self.need_id}: {self.what[:60]}"
