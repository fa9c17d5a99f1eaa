from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import NOTHING, Audience, VisibleQuerySet


class SearchedView(models.TextChoices):
    """The lists a search can be saved from, each filtered by the needs' FilterSet."""

    NEEDS = "needs", _("Needs list")
    CATALOGUE = "catalogue", _("Catalogue of unmet needs")


# The address of each view; the catalogue's marker says the filters are the visitor's own
# choice, so that it applies them as saved instead of its defaults.
VIEW_URLS = {
    SearchedView.NEEDS: ("needs:need_list", {}),
    SearchedView.CATALOGUE: ("assistance:catalogue", {"filtered": "1"}),
}


class AlertFrequency(models.TextChoices):
    NONE = "none", _("No e-mail")
    DAILY = "daily", _("Daily e-mail")
    WEEKLY = "weekly", _("Weekly e-mail")


class SavedSearchQuerySet(VisibleQuerySet):
    def visibility_filter(self, audience: Audience) -> Q | None:
        """A saved search is its owner's alone: others never learn that it exists."""
        if audience.user_id is None:
            return NOTHING
        return Q(owner_id=audience.user_id)


class SavedSearch(models.Model):
    """A filtered needs list or catalogue view kept under a name, with an optional alert.

    `query` holds the filters as the view's address gives them ({name: [values]}, normalised
    by `alerts.services`: only filters that filter, sorted). `last_alerted_at` is the alert's
    cursor: the next alert lists the needs new or changed after it (see `alerts.sending`).
    No history: it is one person's bookmark, not data others rely on.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("owner"),
    )
    name = models.CharField(
        _("name"), max_length=100, validators=[ProhibitNullCharactersValidator()]
    )
    view = models.CharField(_("view"), max_length=20, choices=SearchedView.choices)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    alert = models.CharField(
        _("e-mail alert"),
        max_length=10,
        choices=AlertFrequency.choices,
        default=AlertFrequency.NONE,
    )
    last_alerted_at = models.DateTimeField(
        _("last alerted at"),
        help_text=_("The next alert lists the needs new or changed since this moment."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "owner",
                name="saved_search_name_unique_per_owner",
                violation_error_message=_("You already have a saved search with this name."),
            ),
            models.CheckConstraint(
                name="saved_search_view_valid", condition=Q(view__in=SearchedView.values)
            ),
            models.CheckConstraint(
                name="saved_search_alert_valid", condition=Q(alert__in=AlertFrequency.values)
            ),
            models.CheckConstraint(name="saved_search_name_not_blank", condition=~Q(name="")),
        ]
        indexes = [models.Index(fields=["alert", "last_alerted_at"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        """The view, opened with the saved filters."""
        url_name, marker = VIEW_URLS[self.view]
        query = urlencode({**marker, **self.filters}, doseq=True)
        return f"{reverse(url_name)}?{query}" if query else reverse(url_name)

    @property
    def filters(self) -> dict[str, list[str]]:
        """The saved filters by name (PostgreSQL keeps a JSON object's keys in its own order)."""
        return dict(sorted(self.query.items()))


class AlertDelivery(models.Model):
    """That a saved search's alert was sent on a day.

    The unique (saved search, day) row is what stops a second run from sending it again, even
    when two runs overlap (`core.mail.send_once`).
    """

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    sent_on = models.DateField()
    need_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "saved_search_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "sent_on"], name="one_alert_per_saved_search_and_day"
            ),
        ]

    def __str__(self):
        return f"Alert of {self.need_count} needs for saved search {self.saved_search_id}"
