from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import NOTHING, Audience, VisibleQuerySet, through
from needs.models import Need


class Provider(models.Model):
    """Who delivers assistance (UNODC or another organisation)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_unodc = models.BooleanField(_("UNODC"), default=False)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return self.short_name or self.name


class DonorKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MULTILATERAL = "multilateral", _("Multilateral organisation")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class Donor(models.Model):
    """An organisation that funds assistance or registers interest in needs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DonorKind.choices, default=DonorKind.GOVERNMENT
    )
    country = models.ForeignKey(
        "reviews.State",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        return self.short_name or self.name


class ActivityType(models.TextChoices):
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    LEGISLATIVE_DRAFTING = "legislative_drafting", _("Legislative drafting")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring or adviser placement")
    INSTITUTION_BUILDING = "institution_building", _("Institution-building")
    KNOWLEDGE_TOOL = "knowledge_tool", _("Knowledge tool")
    ASSESSMENT = "assessment", _("Assessment")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("In person and remote")


class ActivityQuerySet(VisibleQuerySet):
    """Assistance delivered is public information: everyone sees every activity."""


class Activity(models.Model):
    """An assistance activity or project, delivered to one or more beneficiary States."""

    ref = models.CharField(
        _("reference"), max_length=40, unique=True, help_text=_("Stable reference.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    activity_type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("provider"),
    )
    beneficiary_states = models.ManyToManyField(
        "reviews.State",
        blank=True,
        related_name="assistance_received",
        verbose_name=_("beneficiary States"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    delivery_mode = models.CharField(
        _("delivery mode"),
        max_length=10,
        choices=DeliveryMode.choices,
        default=DeliveryMode.IN_PERSON,
    )
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="USD")
    needs = models.ManyToManyField(
        "needs.Need",
        through="ActivityNeedLink",
        related_name="activities",
        blank=True,
        verbose_name=_("needs"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[beneficiary_states])

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # The lists' order (pages and API): a page is read from the index, not sorted.
        indexes = [models.Index(fields=["-start_date", "title", "id"], name="activity_list_order")]
        constraints = [
            models.CheckConstraint(
                name="activity_dates_in_order",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="activity_budget_not_negative",
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
            ),
            models.CheckConstraint(
                name="activity_type_valid", condition=Q(activity_type__in=ActivityType.values)
            ),
            models.CheckConstraint(
                name="activity_level_valid", condition=Q(level__in=Level.values)
            ),
            models.CheckConstraint(
                name="activity_status_valid", condition=Q(status__in=ActivityStatus.values)
            ),
        ]

    def __str__(self):
        return self.title


class FundingContributionQuerySet(VisibleQuerySet):
    """Who funds what is public, as the activities are."""


class FundingContribution(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="funding", verbose_name=_("activity")
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("donor")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    year = models.PositiveSmallIntegerField(_("year"))
    objects = FundingContributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "donor__name"]
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding contributions")
        constraints = [
            models.CheckConstraint(name="contribution_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="contribution_currency_code", condition=Q(currency__regex=r"^[A-Z]{3}$")
            ),
        ]

    def __str__(self):
        return f"{self.donor}: {self.amount} {self.currency} ({self.year})"


class Extent(models.TextChoices):
    FULL = "full", _("Meets the need fully")
    PARTIAL = "partial", _("Meets the need partly")


class ActivityNeedLinkQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """A link is seen by whoever sees its need."""
        return through("need", Need.objects.visibility_filter(audience))


class ActivityNeedLink(models.Model):
    """That an activity addresses a need, fully or partly; the need's coverage follows."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="need_links", verbose_name=_("activity")
    )
    need = models.ForeignKey(
        "needs.Need",
        on_delete=models.CASCADE,
        related_name="activity_links",
        verbose_name=_("need"),
    )
    extent = models.CharField(
        _("extent"), max_length=10, choices=Extent.choices, default=Extent.PARTIAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    objects = ActivityNeedLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link between an activity and a need")
        verbose_name_plural = _("links between activities and needs")
        constraints = [
            models.UniqueConstraint(fields=["activity", "need"], name="one_link_per_activity_need"),
            models.CheckConstraint(name="link_extent_valid", condition=Q(extent__in=Extent.values)),
        ]
        indexes = [models.Index(fields=["need", "extent"])]

    def __str__(self):
        return f"{self.activity} → {self.need_id} ({self.extent})"


class InterestKind(models.TextChoices):
    INTEREST = "interest", _("Interest")
    COMMITMENT = "commitment", _("Commitment")


class DonorInterestQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """Never the public; staff see all; anyone else signed in the interest in the needs
        they see."""
        if not audience.signed_in:
            return NOTHING
        if audience.staff:
            return None
        return through("need", Need.objects.visibility_filter(audience))


class DonorInterest(models.Model):
    """A donor's interest in, or commitment to, meeting a need; visible to everyone signed in."""

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="interests", verbose_name=_("donor")
    )
    need = models.ForeignKey(
        "needs.Need",
        on_delete=models.CASCADE,
        related_name="donor_interests",
        verbose_name=_("need"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InterestKind.choices)
    note = models.TextField(_("note"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    objects = DonorInterestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("donor interest")
        verbose_name_plural = _("donor interests")
        constraints = [
            models.UniqueConstraint(
                fields=["donor", "need"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_interest_per_donor_need",
            ),
            models.CheckConstraint(
                name="interest_amount_not_negative",
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
            ),
            models.CheckConstraint(
                name="interest_kind_valid", condition=Q(kind__in=InterestKind.values)
            ),
        ]

    def __str__(self):
        return f"{self.donor} {self.kind} in {self.need_id}"
