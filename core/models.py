from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .imports import registry


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat staff")
    FOCAL_POINT = "focal_point", _("Focal point")
    DONOR = "donor", _("Donor")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person signed in to the tracker; what they may see and do follows from `role`."""

    role = models.CharField(_("Role"), max_length=20, choices=Role.choices, blank=True)
    state = models.ForeignKey(
        "reviews.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
        verbose_name=_("State"),
        help_text=_("The State whose focal point this person is."),
    )
    donor = models.ForeignKey(
        "assistance.Donor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("Donor"),
        help_text=_("The donor organisation this person acts for."),
    )
    # The language the person last chose in the switcher: what is sent to them outside a
    # request (the daily digest), where the language cookie cannot be read.
    preferred_language = models.CharField(
        _("Preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the tracker sends to this person."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="focal_point_has_state",
                condition=~Q(role=Role.FOCAL_POINT) | Q(state__isnull=False),
            ),
            models.CheckConstraint(
                name="donor_has_organisation",
                condition=~Q(role=Role.DONOR) | Q(donor__isnull=False),
            ),
        ]

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and (
            self.role in (Role.SECRETARIAT, Role.ADMINISTRATOR) or self.is_superuser
        )

    @property
    def is_focal_point(self) -> bool:
        return self.is_active and self.role == Role.FOCAL_POINT and self.state_id is not None

    @property
    def is_donor(self) -> bool:
        return self.is_active and self.role == Role.DONOR and self.donor_id is not None

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == Role.ADMINISTRATOR or self.is_superuser)


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran a task; `/healthz` reports it."""

    hostname = models.CharField(max_length=255, unique=True)
    pid = models.PositiveIntegerField()
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.hostname} (pid {self.pid}) at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DigestDelivery(models.Model):
    """That a focal point was sent the day's digest of needs to confirm.

    The unique (user, sent_on) row is what stops a second run on the same day from sending
    the digest again, even when two runs overlap.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    sent_on = models.DateField()
    need_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_per_user_and_day"),
        ]

    def __str__(self):
        return f"Digest of {self.need_count} needs to user {self.user_id} on {self.sent_on}"


class DataVersion(models.Model):
    """The single row (id 1) counting the committed changes to the data that figures and
    caches are computed from (reviews, needs, assistance, donor interest).

    `core.changes.data_changed()` increments `version` once in each transaction that writes
    such data; what is computed from the data records the version it read. It is stale
    exactly when the current version is higher, which, unlike comparing clocks, cannot be
    fooled by a transaction that commits late.
    """

    ROW_ID = 1

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="data_version_single_row", condition=Q(id=1)),
        ]

    def __str__(self):
        return f"Data version {self.version}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: ready to import")
    REJECTED = "rejected", _("Rejected: nothing imported")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")


class ImportJob(models.Model):
    """One uploaded file on its way in: first checked (dry run), then imported on confirmation.

    `kind` names the importer (`core.imports.registry`) that reads the file; the apps register
    theirs, so the kinds are checked when a job starts rather than by the database.
    Big files are checked and imported by a Celery worker, which reads the file from `data`
    and reports its progress in `stage`/`processed_rows`/`total_rows` for the page to poll.
    `started_at` is empty while a step waits for a worker; a worker claims the step by
    setting it, so a redelivered task never runs a step twice at the same time.
    """

    kind = models.CharField(max_length=10)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(default=0)
    allow_duplicates = models.BooleanField(
        default=False, help_text="Import rows reported as probable duplicates anyway."
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    # The language of the person who uploaded (or last confirmed) the file: the problems and
    # messages stored with the job are written in it, even by a worker.
    language = models.CharField(max_length=10, blank=True)
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
    # Advice the check gives with its problems (`ImportResult.hints`).
    hints = models.JSONField(default=list, blank=True)
    # {ref: version} of the records the check found to update: the import refuses rows whose
    # record was saved by someone else between the check and the confirmation.
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
        ]

    def __str__(self):
        return f"{self.kind} import {self.pk}: {self.filename}"

    @property
    def importer(self):
        return registry.get(self.kind)

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
