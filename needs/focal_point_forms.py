"""Forms a focal point uses to keep their State's needs current, and staff to decide proposals."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Chapter, Review
from translations.fields import LocalizedModelChoiceField
from translations.lookup import localized

from .fields import PROPOSAL_FIELDS
from .forms import BaseNeedForm, CodedSelect, SubcategorySelect, earlier_needs
from .models import Category, Status, Subcategory


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    comment = forms.CharField(
        label=_("Why the status changes"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        max_length=5000,
        help_text=_("Kept in the need's trail, with your name and the date."),
        error_messages={"required": _("Say why the status changes.")},
    )
    # The version the form was opened at: a save over a newer edit is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status
        if not self.is_bound:
            self.fields["status"].initial = current_status

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.current_status:
            raise forms.ValidationError(
                gettext("The need's status is already “%(status)s”; choose another one.")
                % {"status": Status(status).label}
            )
        return status


class SubcategoryChoiceField(LocalizedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{localized(obj.category)} — {localized(obj)}"


class NeedProposalForm(BaseNeedForm):
    """A new need for one of the State's reviews; staff accept or decline it."""

    edited_fields = PROPOSAL_FIELDS

    category = LocalizedModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), widget=CodedSelect
    )
    subcategory = SubcategoryChoiceField(
        label=_("Subcategory"),
        queryset=Subcategory.objects.select_related("category"),
        required=False,
        widget=SubcategorySelect,
        help_text=_("Optional; it must belong to the category chosen."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        max_length=5000,
        help_text=_("What assistance is needed, and for which institution."),
        error_messages={"required": _("Describe the need.")},
    )

    def __init__(self, *args, reviews: list[Review], **kwargs):
        self.reviews_by_cycle = {review.cycle: review for review in reviews}
        chapters = (
            Chapter.objects.filter(reviewed_in_cycle__in=self.reviews_by_cycle)
            .order_by("reviewed_in_cycle", "number")
            .prefetch_related("articles")
        )
        super().__init__(*args, chapters=chapters, **kwargs)
        latest = max(self.reviews_by_cycle, default=1)
        if latest > 1:
            self.fields["follows"].queryset = earlier_needs(reviews[0].state_id, latest)
            self.fields["follows"].help_text = _(
                "For a need of the second cycle: the first-cycle need it carries on, if any. "
                "Staff check the link when they decide on the proposal."
            )
        else:
            del self.fields["follows"]
        self.fields["placement"].help_text = _(
            "The article of the Convention the need is about, or its chapter in general. "
            "The chapter decides the cycle, and so the review, the need belongs to."
        )

    def placement_prompt(self) -> str:
        return gettext("Choose an article or chapter")

    def chapter_group_label(self, chapter) -> str:
        return gettext("Cycle %(cycle)s — Chapter %(roman)s: %(title)s") % {
            "cycle": chapter.reviewed_in_cycle,
            "roman": chapter.roman,
            "title": localized(chapter),
        }

    def clean(self):
        cleaned = super().clean()
        placement, follows = cleaned.get("placement"), cleaned.get("follows")
        if placement and follows is not None:
            chapter, _article = placement
            cycle = self.reviews_by_cycle[chapter.reviewed_in_cycle].cycle
            if follows.review.cycle >= cycle:
                self.add_error(
                    "follows",
                    gettext(
                        "Need %(ref)s is of cycle %(earlier)s; only a need of a later cycle can "
                        "follow it: choose an article of a later cycle, or no earlier need."
                    )
                    % {"ref": follows.ref, "earlier": follows.review.cycle},
                )
        return cleaned

    def review(self) -> Review:
        """The review the need belongs to: the one of its chapter's cycle."""
        chapter, _article = self.cleaned_data["placement"]
        return self.reviews_by_cycle[chapter.reviewed_in_cycle]


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Required to decline: the focal point sees it in the need's trail."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", gettext("Say why the proposal is declined."))
        return cleaned
