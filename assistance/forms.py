"""Forms for the assistance pages; they validate input and hand it to the services."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reviews.models import State
from translations.lookup import localized

from . import fields as editable
from .models import (
    Activity,
    Donor,
    DonorInterest,
    Extent,
    FundingContribution,
    InterestKind,
    Provider,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InputOnlyModelForm(forms.ModelForm):
    """A ModelForm that checks the input only: the model's own validation (constraints,
    uniqueness) is run by the service, under its row lock, and its errors come back to the
    form from there. Its `instance` is therefore never modified."""

    def _post_clean(self):
        pass


CURRENCY_CODE_ERROR = _("Give a three-letter currency code, e.g. USD or EUR.")


class StateChoiceField(forms.ModelMultipleChoiceField):
    """States named in the active language, with their ISO3 code."""

    def label_from_instance(self, obj):
        return f"{localized(obj)} ({obj.iso3})"


class ActivityForm(InputOnlyModelForm):
    """Create or edit an activity. `version` carries the version the editor opened, so that a
    save over a colleague's newer edit is refused instead of overwriting it."""

    beneficiary_states = StateChoiceField(
        queryset=State.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=capfirst(_("beneficiary States")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several States."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = editable.ACTIVITY_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_budget_currency(self):
        currency = self.cleaned_data["budget_currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(CURRENCY_CODE_ERROR)
        return currency

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class FundingForm(InputOnlyModelForm):
    class Meta:
        model = FundingContribution
        fields = editable.FUNDING_FIELDS


class LinkNeedForm(forms.Form):
    need_ref = forms.CharField(
        label=_("Need reference"), max_length=40, help_text=_("For example N-1A2B3C4D5E.")
    )
    extent = forms.ChoiceField(
        label=capfirst(_("extent")), choices=Extent.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = needs

    def clean_need_ref(self):
        ref = self.cleaned_data["need_ref"].strip()
        need = self.needs.filter(ref__iexact=ref).first()
        if need is None:
            raise forms.ValidationError(
                _("There is no need with reference %(ref)s."), params={"ref": ref}
            )
        self.cleaned_data["need"] = need
        return ref


class ProviderForm(InputOnlyModelForm):
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = editable.PROVIDER_FIELDS
        labels = {"is_unodc": _("This is UNODC")}


class DonorForm(InputOnlyModelForm):
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Donor
        fields = editable.DONOR_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The country is a State: named in the active language.
        self.fields["country"].label_from_instance = localized


class InterestForm(InputOnlyModelForm):
    kind = forms.ChoiceField(
        label=capfirst(_("kind")),
        choices=InterestKind.choices,
        widget=forms.RadioSelect,
        initial=InterestKind.INTEREST,
        help_text=_("A commitment says your organisation intends to fund it."),
    )

    class Meta:
        model = DonorInterest
        fields = editable.INTEREST_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "amount": _("Amount (optional)"),
            "note": _("Note for staff and other donors"),
        }

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(CURRENCY_CODE_ERROR)
        return currency
