from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Provider(models.Model):
    """Who delivers assistance (UNODC or another organisation)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    is_unodc = models.BooleanField(default=False)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class DonorKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    MULTILATERAL = "multilateral", "Multilateral organisation"
    FOUNDATION = "foundation", "Foundation"
    OTHER = "other", "Other"


class Donor(models.Model):
    """An organisation that funds assistance or registers interest in needs."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=DonorKind.choices, default=DonorKind.GOVERNMENT)
    country = models.ForeignKey(
        "reviews.State", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class ActivityType(models.TextChoices):
    LEGAL_ADVICE = "legal_advice", "Legal advice"
    LEGISLATIVE_DRAFTING = "legislative_drafting", "Legislative drafting"
    TRAINING = "training", "Training"
    MENTORING = "mentoring", "Mentoring or adviser placement"
    INSTITUTION_BUILDING = "institution_building", "Institution-building"
    KNOWLEDGE_TOOL = "knowledge_tool", "Knowledge tool"
    ASSESSMENT = "assessment", "Assessment"
    REGIONAL_PLATFORM = "regional_platform", "Regional platform"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    GLOBAL = "global", "Global"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "In person and remote"


class Activity(models.Model):
    """An assistance activity or project, delivered to one or more beneficiary States."""

    ref = models.CharField(max_length=40, unique=True, help_text="Stable reference.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    activity_type = models.CharField(max_length=30, choices=ActivityType.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="activities")
    beneficiary_states = models.ManyToManyField(
        "reviews.State", blank=True, related_name="assistance_received"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    delivery_mode = models.CharField(
        max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, default="USD")
    needs = models.ManyToManyField(
        "needs.Need", through="ActivityNeedLink", related_name="activities", blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[beneficiary_states])

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name_plural = "activities"
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


class FundingContribution(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="funding")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="contributions")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    year = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "donor__name"]
        constraints = [
            models.CheckConstraint(name="contribution_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="contribution_currency_code", condition=Q(currency__regex=r"^[A-Z]{3}$")
            ),
        ]

    def __str__(self):
        return f"{self.donor}: {self.amount} {self.currency} ({self.year})"


class Extent(models.TextChoices):
    FULL = "full", "Meets the need fully"
    PARTIAL = "partial", "Meets the need partly"


class ActivityNeedLink(models.Model):
    """That an activity addresses a need, fully or partly; the need's coverage follows."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="need_links")
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="activity_links")
    extent = models.CharField(max_length=10, choices=Extent.choices, default=Extent.PARTIAL)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "need"], name="one_link_per_activity_need"),
            models.CheckConstraint(name="link_extent_valid", condition=Q(extent__in=Extent.values)),
        ]
        indexes = [models.Index(fields=["need", "extent"])]

    def __str__(self):
        return f"{self.activity} → {self.need_id} ({self.extent})"


class InterestKind(models.TextChoices):
    INTEREST = "interest", "Interest"
    COMMITMENT = "commitment", "Commitment"


class DonorInterest(models.Model):
    """A donor's interest in, or commitment to, meeting a need; visible to everyone signed in."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="interests")
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="donor_interests")
    kind = models.CharField(max_length=12, choices=InterestKind.choices)
    note = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
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
