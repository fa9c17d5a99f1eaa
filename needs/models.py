import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.label


class Subcategory(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="subcategories")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position", "label"]
        verbose_name_plural = "subcategories"

    def __str__(self):
        return self.label


class Theme(models.Model):
    """A cross-cutting theme (technology, training, corruption risk assessment...)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    UNMET = "unmet", _("Unmet")
    IN_PROGRESS = "in_progress", _("Assistance planned or under way")
    PARTIALLY_MET = "partially_met", _("Partially met")
    MET = "met", _("Met")
    OBSOLETE = "obsolete", _("No longer relevant")


class Coverage(models.TextChoices):
    UNMET = "unmet", _("Unmet")
    PARTLY_COVERED = "partly_covered", _("Partly covered")
    COVERED = "covered", _("Covered")


class Acceptance(models.TextChoices):
    """Needs proposed by a focal point wait for staff to accept them."""

    ACCEPTED = "accepted", _("Accepted")
    PROPOSED = "proposed", _("Proposed by the focal point")
    DECLINED = "declined", _("Declined")


def new_need_ref() -> str:
    return "N-" + secrets.token_hex(5).upper()


class Need(models.Model):
    """A technical assistance need identified in one review."""

    ref = models.CharField(
        max_length=40, unique=True, default=new_need_ref, help_text="Stable reference."
    )
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="needs")
    chapter = models.ForeignKey("reviews.Chapter", on_delete=models.PROTECT, related_name="needs")
    article = models.ForeignKey(
        "reviews.Article",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        help_text="Empty for a need about the chapter in general.",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="needs")
    subcategory = models.ForeignKey(
        Subcategory, null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="needs")
    description = models.TextField()
    description_language = models.CharField(max_length=10, default="en")
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNMET)
    # Derived from the assistance linked to the need; kept up to date by assistance.services.
    coverage = models.CharField(max_length=20, choices=Coverage.choices, default=Coverage.UNMET)
    acceptance = models.CharField(
        max_length=10, choices=Acceptance.choices, default=Acceptance.ACCEPTED
    )
    identified_on = models.DateField(null=True, blank=True)
    last_confirmed_on = models.DateField(null=True, blank=True)
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["review", "chapter__number", "article__number", "id"]
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
        ]
        indexes = [
            models.Index(fields=["review", "chapter", "article"]),
            models.Index(fields=["category", "acceptance"]),
            models.Index(fields=["status"]),
            models.Index(fields=["coverage"]),
            models.Index(fields=["last_confirmed_on"]),
        ]

    def __str__(self):
        return f"{self.ref}: {self.description[:60]}"

    @property
    def article_label(self) -> str:
        return f"Article {self.article.number}" if self.article_id else "Chapter in general"


class NeedComment(models.Model):
    """A remark on a need, e.g. the reason a focal point gave for changing its status."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    status_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Status.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Comment on {self.need_id} at {self.created_at:%Y-%m-%d}"


class ImportKind(models.TextChoices):
    REVIEWS = "reviews", "Reviews"
    NEEDS = "needs", "Needs"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    CHECKED = "checked", "Checked: ready to import"
    REJECTED = "rejected", "Rejected: nothing imported"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed: nothing imported"


class ImportJob(models.Model):
    """One uploaded file on its way in: first checked (dry run), then imported on confirmation.

    Big files are checked and imported by a Celery worker, which reads the file from `data`
    and reports its progress in `stage`/`processed_rows`/`total_rows` for the page to poll.
    `started_at` is empty while a step waits for a worker; a worker claims the step by
    setting it, so a redelivered task never runs a step twice at the same time.
    """

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(default=0)
    allow_duplicates = models.BooleanField(
        default=False, help_text="Import rows reported as probable duplicates anyway."
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    in_worker = models.BooleanField(default=False)
    stage = models.CharField(max_length=20, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    file_error = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    # {ref: version} of the needs the check found to update: the import refuses rows whose
    # need was saved by someone else between the check and the confirmation.
    seen_versions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="import_job_status_valid", condition=Q(status__in=ImportStatus.values)
            ),
            models.CheckConstraint(
                name="import_job_kind_valid", condition=Q(kind__in=ImportKind.values)
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} import {self.pk}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.CHECKED, ImportStatus.DONE):
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
