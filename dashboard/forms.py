from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import RegionalGroup
from translations.fields import LocalizedModelChoiceField

from .models import Snapshot
from .selectors import LATEST_CYCLE


class DashboardFilterForm(forms.Form):
    cycle = forms.TypedChoiceField(
        label=_("Review cycle"),
        choices=[
            (1, _("First cycle (chapters III and IV)")),
            (2, _("Second cycle (chapters II and V)")),
        ],
        coerce=int,
        error_messages={"invalid_choice": _("Choose the first or the second review cycle.")},
    )
    region = LocalizedModelChoiceField(
        label=_("Regional group"),
        queryset=RegionalGroup.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions (the European Union included)"),
        error_messages={"invalid_choice": _("Choose one of the regional groups listed.")},
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
