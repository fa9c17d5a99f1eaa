"""The form a focal point or staff fill in to record a follow-up action on a need."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import ACTION_FIELDS
from .forms import DATE_WIDGET
from .models import ActionStatus, NeedAction


class NeedActionForm(forms.Form):
    what = forms.CharField(
        label=_("What"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        max_length=5000,
        help_text=_("The action taken or planned about the need."),
    )
    responsible_institution = forms.CharField(
        label=_("Responsible institution"),
        max_length=NeedAction._meta.get_field("responsible_institution").max_length,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED
    )
    in_national_action_plan = forms.BooleanField(
        label=_("Part of the national action plan"), required=False
    )
    # The version the form was opened at (edits only): a save over a newer edit is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, action: NeedAction | None = None, **kwargs):
        if action is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                **{name: getattr(action, name) for name in ACTION_FIELDS},
                "version": action.version,
            }
        super().__init__(*args, **kwargs)

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACTION_FIELDS}
