from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AlertFrequency, SavedSearch, SearchedView

NAME_MAX_LENGTH = SavedSearch._meta.get_field("name").max_length
# The raw query string a page posts; what is kept is normalised and capped by the service.
RAW_QUERY_MAX_LENGTH = 10_000


class SavedSearchForm(forms.Form):
    """A saved search's name and alert: what its owner may change on the pages."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For you to find it again, e.g. “Unmet needs in East Africa”."),
    )
    alert = forms.ChoiceField(
        label=_("E-mail alert"),
        choices=AlertFrequency.choices,
        initial=AlertFrequency.NONE,
        help_text=_("An e-mail listing the needs that are new or have changed, if any."),
    )


class SaveSearchForm(SavedSearchForm):
    """ "Save this search" on the needs list and the catalogue: the page's filters come as
    its query string."""

    view = forms.ChoiceField(choices=SearchedView.choices, widget=forms.HiddenInput)
    query = forms.CharField(
        required=False, max_length=RAW_QUERY_MAX_LENGTH, widget=forms.HiddenInput
    )
