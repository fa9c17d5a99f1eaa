import unicodedata

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from translations.fields import LocalizedModelChoiceField
from translations.lookup import localized

from .fields import MILESTONE_FIELDS
from .milestones import FIRST_REVIEW_YEAR, LAST_REVIEW_YEAR, milestone_problems
from .models import CYCLE_CHOICES, DirectDialogue, Review, State

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _parties():
    return State.objects.filter(is_party=True).order_by("name")


def alphabetical(text: str) -> str:
    """A sort key that files "Égypte" under E and ignores case, in any script."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class LocalizedOrderIterator(ModelChoiceIterator):
    """The choices in the alphabetical order of their names in the active language (the
    database sorts by the English names)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: alphabetical(choice[1]))


class StateChoiceField(LocalizedModelChoiceField):
    """A State, named and sorted in the active language."""

    iterator = LocalizedOrderIterator


class ReviewForm(forms.Form):
    """A review's State, cycle and milestones; the services do the writing and re-check."""

    state = StateChoiceField(queryset=_parties(), label=_("State under review"))
    cycle = forms.TypedChoiceField(choices=CYCLE_CHOICES, coerce=int, label=_("Cycle"))
    review_year = forms.IntegerField(
        required=False,
        min_value=FIRST_REVIEW_YEAR,
        max_value=LAST_REVIEW_YEAR,
        label=_("Review year"),
        help_text=_("The year drawn by lot."),
    )
    reviewing_state_1 = StateChoiceField(
        queryset=_parties(), required=False, label=_("First reviewing State")
    )
    reviewing_state_2 = StateChoiceField(
        queryset=_parties(), required=False, label=_("Second reviewing State")
    )
    self_assessment_submitted = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Self-assessment checklist submitted")
    )
    direct_dialogue = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Direct dialogue")
    )
    direct_dialogue_kind = forms.ChoiceField(
        choices=[("", _("Not known yet")), *DirectDialogue.choices],
        required=False,
        label=_("Kind of direct dialogue"),
    )
    executive_summary_completed = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Executive summary completed")
    )
    country_report_completed = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Country report completed")
    )
    executive_summary_published = forms.BooleanField(
        required=False, label=_("Executive summary published")
    )
    country_report_published = forms.BooleanField(
        required=False, label=_("Country report published")
    )
    executive_summary_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Link to the published executive summary"),
        help_text=_("For example the page of the UNODC country profile; http or https."),
    )
    country_report_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Link to the published country report"),
        help_text=_("Only once the country report is published."),
    )
    # The version the form was opened at: a save over a newer version is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: Review | None = None, **kwargs):
        self.review = review
        if review is not None:
            kwargs.setdefault("initial", initial_for(review))
        super().__init__(*args, **kwargs)
        if review is not None:
            # A review stays the review of its State and cycle; a mistake there is a new review.
            for name in ("state", "cycle"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Cannot be changed once the review exists.")

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("state")
        cycle = cleaned.get("cycle")
        if (
            self.review is None
            and state is not None
            and cycle is not None
            and Review.objects.filter(state=state, cycle=cycle).exists()
        ):
            self.add_error(
                "cycle",
                gettext("%(state)s already has a review in cycle %(cycle)s.")
                % {"state": localized(state), "cycle": cycle},
            )
        first, second = cleaned.get("reviewing_state_1"), cleaned.get("reviewing_state_2")
        if first is not None and first == second:
            self.add_error("reviewing_state_2", gettext("Choose two different reviewing States."))
        for name, reviewer in (("reviewing_state_1", first), ("reviewing_state_2", second)):
            if reviewer is not None and reviewer == state:
                self.add_error(name, gettext("A State cannot review itself."))
        if self.review is not None and cleaned.get("version") is None:
            # Without the version it was opened at, a save could silently overwrite a
            # colleague's edit (or blank the milestones, from an empty submission).
            self.add_error(None, gettext("This form is incomplete: reload the page and try again."))
        values = {name: cleaned.get(name) for name in MILESTONE_FIELDS}
        for name, message in milestone_problems(values).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def milestones(self) -> dict:
        return {name: self.cleaned_data[name] for name in MILESTONE_FIELDS}

    def reviewing_states(self) -> list[State]:
        return [
            state
            for state in (
                self.cleaned_data.get("reviewing_state_1"),
                self.cleaned_data.get("reviewing_state_2"),
            )
            if state is not None
        ]


def initial_for(review: Review) -> dict:
    reviewers = sorted(review.reviewing_states.all(), key=lambda state: state.name)
    initial = {name: getattr(review, name) for name in MILESTONE_FIELDS}
    initial.update(
        state=review.state,
        cycle=review.cycle,
        reviewing_state_1=reviewers[0] if reviewers else None,
        reviewing_state_2=reviewers[1] if len(reviewers) > 1 else None,
        version=review.version,
    )
    return initial
