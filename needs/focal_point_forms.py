"""Forms a focal point uses to keep their State's needs current, and staff to decide proposals."""

from django import forms

from reviews.models import Article, Chapter, Review

from .models import Category, Priority, Status, Subcategory, Theme


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    comment = forms.CharField(
        label="Why the status changes",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Kept in the need's trail, with your name and the date.",
        error_messages={"required": "Say why the status changes."},
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
                f"The need's status is already “{Status(status).label}”; choose another one."
            )
        return status


class SubcategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category.label} — {obj.label}"


class NeedProposalForm(forms.Form):
    """A new need for one of the State's reviews; staff accept or decline it."""

    placement = forms.ChoiceField(
        label="Article",
        help_text="The article of the Convention the need is about, or its chapter in general. "
        "The chapter decides the cycle, and so the review, the need belongs to.",
    )
    category = forms.ModelChoiceField(queryset=Category.objects.all())
    subcategory = SubcategoryChoiceField(
        queryset=Subcategory.objects.select_related("category"),
        required=False,
        help_text="Optional; it must belong to the category chosen.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What assistance is needed, and for which institution.",
        error_messages={"required": "Describe the need."},
    )
    priority = forms.ChoiceField(choices=[("", "Not set"), *Priority.choices], required=False)

    def __init__(self, *args, reviews: list[Review], **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews_by_cycle = {review.cycle: review for review in reviews}
        chapters = Chapter.objects.filter(
            reviewed_in_cycle__in=self.reviews_by_cycle
        ).prefetch_related("articles")
        self.fields["placement"].choices = [
            ("", "Choose an article or chapter"),
            *self._groups(chapters),
        ]

    @staticmethod
    def _groups(chapters):
        for chapter in chapters.order_by("reviewed_in_cycle", "number"):
            options = [(f"chapter:{chapter.pk}", f"Chapter {chapter.roman} in general")]
            options += [
                (f"article:{article.pk}", f"Article {article.number}: {article.title}")
                for article in chapter.articles.all()
            ]
            yield (
                f"Cycle {chapter.reviewed_in_cycle} — Chapter {chapter.roman}: {chapter.title}",
                options,
            )

    def clean(self):
        cleaned = super().clean()
        placement = cleaned.get("placement")
        if not placement:
            return cleaned
        kind, _, pk = placement.partition(":")
        if kind == "article":
            article = Article.objects.select_related("chapter").get(pk=pk)
            chapter = article.chapter
        else:
            article, chapter = None, Chapter.objects.get(pk=pk)
        cleaned["article"] = article
        cleaned["chapter"] = chapter
        cleaned["review"] = self.reviews_by_cycle[chapter.reviewed_in_cycle]
        return cleaned


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    reason = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to decline: the focal point sees it in the need's trail.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the proposal is declined.")
        return cleaned
