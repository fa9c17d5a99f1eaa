from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import Audience, VisibleQuerySet, through
from translations.lookup import localized

CYCLE_CHOICES = [(1, _("First cycle")), (2, _("Second cycle"))]


class RegionalGroup(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional group")
        verbose_name_plural = _("regional groups")

    def __str__(self):
        return self.name


class State(models.Model):
    """A UN Member State or other party; `is_party` says whether it is a party to the Convention."""

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=150)
    regional_group = models.ForeignKey(
        RegionalGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="states",
        verbose_name=_("regional group"),
    )
    un_member = models.BooleanField(_("UN Member State"), default=True)
    is_party = models.BooleanField(_("party to the Convention"), default=True)
    ratification_date = models.DateField(
        _("ratification date"),
        null=True,
        blank=True,
        help_text=_("Date of ratification, acceptance, approval or accession."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")
        constraints = [
            models.CheckConstraint(name="state_iso3_upper", condition=Q(iso3__regex=r"^[A-Z]{3}$")),
        ]

    def __str__(self):
        return self.name


class Chapter(models.Model):
    roman = models.CharField(_("roman numeral"), max_length=5, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    reviewed_in_cycle = models.PositiveSmallIntegerField(
        _("reviewed in cycle"),
        null=True,
        blank=True,
        choices=CYCLE_CHOICES,
        help_text=_("Cycle whose reviews cover it."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self):
        return f"Chapter {self.roman}: {self.title}"

    def history_name(self) -> str:
        """How history pages name the chapter, in the active language."""
        return gettext("Chapter %(roman)s: %(title)s") % {
            "roman": self.roman,
            "title": localized(self),
        }


class Article(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, related_name="articles", verbose_name=_("chapter")
    )
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return f"Article {self.number}: {self.title}"

    def history_name(self) -> str:
        """How history pages name the article, in the active language."""
        return gettext("Article %(number)s: %(title)s") % {
            "number": self.number,
            "title": localized(self),
        }


class DirectDialogue(models.TextChoices):
    COUNTRY_VISIT = "country_visit", _("Country visit")
    JOINT_MEETING = "joint_meeting", _("Joint meeting")


class ReviewQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """Staff see every review; a focal point also their own State's; everyone else the
        reviews whose executive summary is published."""
        if audience.staff:
            return None
        published = Q(executive_summary_published=True)
        if audience.state_id is not None:
            return published | Q(state_id=audience.state_id)
        return published

    def for_lists(self) -> "ReviewQuerySet":
        """With what lists of reviews show, in a fixed number of queries; `need_count` is the
        number of accepted needs, those the figures count."""
        # The needs app sits above reviews (a need belongs to a review): reviews reach needs
        # through the reverse relation `Review.needs`, never by import.
        needs = self.model._meta.get_field("needs").related_model
        return (
            self.select_related("state__regional_group")
            .prefetch_related("reviewing_states")
            .annotate(need_count=Count("needs", filter=through("needs", needs.COUNTED)))
        )


# The review's published documents, each with its `_published` flag and `_url` link.
DOCUMENTS = ("executive_summary", "country_report")


class Review(models.Model):
    """The review of one State party in one cycle, with its milestones."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("State")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), choices=CYCLE_CHOICES)
    review_year = models.PositiveSmallIntegerField(
        _("review year"), null=True, blank=True, help_text=_("Year of review, drawn by lot.")
    )
    reviewing_states = models.ManyToManyField(
        State,
        blank=True,
        related_name="reviews_conducted",
        verbose_name=_("reviewing States"),
        help_text=_("The two reviewing States."),
    )
    self_assessment_submitted = models.DateField(
        _("self-assessment checklist submitted"), null=True, blank=True
    )
    direct_dialogue = models.DateField(_("direct dialogue"), null=True, blank=True)
    direct_dialogue_kind = models.CharField(
        _("kind of direct dialogue"), max_length=20, choices=DirectDialogue.choices, blank=True
    )
    executive_summary_completed = models.DateField(
        _("executive summary completed"), null=True, blank=True
    )
    country_report_completed = models.DateField(
        _("country report completed"), null=True, blank=True
    )
    executive_summary_published = models.BooleanField(
        _("executive summary published"), default=False
    )
    country_report_published = models.BooleanField(_("country report published"), default=False)
    # Where the published documents are read (the UNODC country profile pages).
    executive_summary_url = models.URLField(
        _("executive summary link"),
        max_length=500,
        blank=True,
        help_text=_("The address of the published executive summary (http or https)."),
    )
    country_report_url = models.URLField(
        _("country report link"),
        max_length=500,
        blank=True,
        help_text=_("The address of the published country report (http or https)."),
    )
    # Incremented on every save; a form carries the version it was opened at so that a
    # save over someone else's newer edit is refused instead of overwriting it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[reviewing_states])

    class Meta:
        ordering = ["state__name", "cycle"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "cycle"], name="one_review_per_state_and_cycle"
            ),
            models.CheckConstraint(name="review_cycle_1_or_2", condition=Q(cycle__in=[1, 2])),
            models.CheckConstraint(
                name="review_year_plausible",
                condition=Q(review_year__isnull=True)
                | Q(review_year__gte=2006, review_year__lte=2100),
            ),
            models.CheckConstraint(
                name="dialogue_after_self_assessment",
                condition=Q(self_assessment_submitted__isnull=True)
                | Q(direct_dialogue__isnull=True)
                | Q(direct_dialogue__gte=F("self_assessment_submitted")),
            ),
            models.CheckConstraint(
                name="summary_after_dialogue",
                condition=Q(direct_dialogue__isnull=True)
                | Q(executive_summary_completed__isnull=True)
                | Q(executive_summary_completed__gte=F("direct_dialogue")),
            ),
            models.CheckConstraint(
                name="summary_after_self_assessment",
                condition=Q(self_assessment_submitted__isnull=True)
                | Q(executive_summary_completed__isnull=True)
                | Q(executive_summary_completed__gte=F("self_assessment_submitted")),
            ),
            models.CheckConstraint(
                name="report_after_summary",
                condition=Q(executive_summary_completed__isnull=True)
                | Q(country_report_completed__isnull=True)
                | Q(country_report_completed__gte=F("executive_summary_completed")),
            ),
            models.CheckConstraint(
                name="summary_published_only_when_completed",
                condition=Q(executive_summary_published=False)
                | Q(executive_summary_completed__isnull=False),
            ),
            models.CheckConstraint(
                name="report_published_only_when_completed",
                condition=Q(country_report_published=False)
                | Q(country_report_completed__isnull=False),
            ),
            *(
                models.CheckConstraint(
                    name=f"review_{document}_url_http",
                    condition=Q(**{f"{document}_url": ""})
                    | Q(**{f"{document}_url__startswith": "https://"})
                    | Q(**{f"{document}_url__startswith": "http://"}),
                )
                for document in DOCUMENTS
            ),
            *(
                models.CheckConstraint(
                    name=f"review_{document}_url_only_when_published",
                    condition=Q(**{f"{document}_url": ""}) | Q(**{f"{document}_published": True}),
                )
                for document in DOCUMENTS
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "executive_summary_published"]),
        ]

    def __str__(self):
        return f"{self.state} — cycle {self.cycle}"

    # What `history_name` reads besides the row itself (core.history fetches it with it).
    history_name_related = ("state",)

    def history_name(self) -> str:
        """How history pages name the review, in the active language."""
        return gettext("%(state)s — cycle %(cycle)s") % {
            "state": localized(self.state),
            "cycle": self.cycle,
        }

    MILESTONES = (
        ("self_assessment_submitted", _("Self-assessment checklist submitted")),
        ("direct_dialogue", _("Direct dialogue")),
        ("executive_summary_completed", _("Executive summary completed")),
        ("country_report_completed", _("Country report completed")),
    )

    @property
    def is_published(self) -> bool:
        return self.executive_summary_published
