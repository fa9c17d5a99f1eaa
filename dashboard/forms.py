from django import forms
from django.utils import timezone

from reviews.models import CYCLE_CHOICES, RegionalGroup

from .models import Snapshot
from .selectors import LATEST_CYCLE


class DashboardFilterForm(forms.Form):
    cycle = forms.TypedChoiceField(
        label="Review cycle",
        choices=[
            (value, f"{label} (chapters {'III and IV' if value == 1 else 'II and V'})")
            for value, label in CYCLE_CHOICES
        ],
        coerce=int,
        error_messages={"invalid_choice": "Choose the first or the second review cycle."},
    )
    region = forms.ModelChoiceField(
        label="Regional group",
        queryset=RegionalGroup.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="All regions (the European Union included)",
        error_messages={"invalid_choice": "Choose one of the regional groups listed."},
    )

    @classmethod
    def from_query(cls, params) -> "DashboardFilterForm":
        """The form bound to the page's query string, the latest cycle when none is given."""
        return cls(
            data={"cycle": params.get("cycle", LATEST_CYCLE), "region": params.get("region", "")}
        )


class SnapshotForm(forms.ModelForm):
    class Meta:
        model = Snapshot
        fields = ["label", "taken_on"]
        widgets = {"taken_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"taken_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
