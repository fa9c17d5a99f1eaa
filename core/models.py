from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
