"""Stored dashboard figures: computed in the background, read by the page and the API as is.

Each (cycle, scope) pair has one JSON document holding every figure of that view, where the
scope is `all` or a regional group's code. A document rather than one row per number,
because readers always want a whole view at once (one indexed row, one query, already in
the shape the API returns), a recomputation replaces a dozen rows instead of thousands, and a
snapshot freezes the documents verbatim. The documents are written only by
`services.recompute_figures`, which builds them from SQL aggregates.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.models import CYCLE_CHOICES

ALL_REGIONS = "all"


class FigureDocument(models.Model):
    cycle = models.PositiveSmallIntegerField(choices=CYCLE_CHOICES)
    scope = models.SlugField(max_length=40, help_text="`all` or a regional group's code.")
    figures = models.JSONField()

    class Meta:
        abstract = True

    @property
    def region(self) -> str | None:
        return None if self.scope == ALL_REGIONS else self.scope


class FigureSet(FigureDocument):
    """The current figures of one cycle for all regions or one regional group."""

    computed_at = models.DateTimeField()
    source_version = models.PositiveBigIntegerField(
        help_text="The data version (core.DataVersion) the figures were computed from."
    )

    class Meta:
        ordering = ["cycle", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "scope"], name="one_figure_set_per_view"),
            models.CheckConstraint(name="figure_set_cycle_1_or_2", condition=Q(cycle__in=[1, 2])),
        ]

    def __str__(self):
        return f"Cycle {self.cycle}, {self.scope}, computed at {self.computed_at:%Y-%m-%d %H:%M}"


class Snapshot(models.Model):
    """The figures frozen under a label (e.g. a conference document symbol) and a date."""

    label = models.CharField(
        _("label"),
        max_length=100,
        unique=True,
        help_text=_("For example the document symbol CAC/COSP/2021/6."),
    )
    taken_on = models.DateField(_("taken on"), help_text=_("The date the figures stand for."))
    computed_at = models.DateTimeField(
        _("figures computed at"), help_text=_("When the frozen figures were computed.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("taken by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "label"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.CheckConstraint(name="snapshot_label_not_blank", condition=~Q(label="")),
        ]

    def __str__(self):
        return f"{self.label} ({self.taken_on:%Y-%m-%d})"


class SnapshotFigureSet(FigureDocument):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figure_sets")

    class Meta:
        ordering = ["snapshot", "cycle", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "cycle", "scope"], name="one_snapshot_figure_set_per_view"
            ),
            models.CheckConstraint(
                name="snapshot_figure_set_cycle_1_or_2", condition=Q(cycle__in=[1, 2])
            ),
        ]

    def __str__(self):
        return f"{self.snapshot}: cycle {self.cycle}, {self.scope}"
