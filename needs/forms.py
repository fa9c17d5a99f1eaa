from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Review
from reviews.selectors import articles_reviewed_in, chapters_reviewed_in
from translations.fields import LocalizedModelChoiceField, LocalizedModelMultipleChoiceField
from translations.lookup import localized

from .models import (
    SOURCE_EXCERPT_MAX_LENGTH,
    SOURCE_PARAGRAPH_MAX_LENGTH,
    Acceptance,
    Category,
    Need,
    Priority,
    Status,
    Subcategory,
    Theme,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHAPTER_PREFIX = "chapter:"
ARTICLE_PREFIX = "article:"


def description_language_field() -> forms.ChoiceField:
    """The language a need's description is written in: it is shown as written, marked with
    that language, whatever the language of the page."""
    return forms.ChoiceField(
        label=_("Language of the description"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The description stays in the language it is written in."),
    )


def offer_description_language(form: forms.Form, current: str | None) -> None:
    """Start from the need's language, or for a new need the language of the page; a code
    recorded through the API that is not among the six is kept as a choice."""
    field = form.fields["description_language"]
    codes = [code for code, _name in settings.LANGUAGES]
    if current and current not in codes:
        field.choices = [*settings.LANGUAGES, (current, current)]
    field.initial = current or translation.get_language() or settings.LANGUAGE_CODE


def source_paragraph_field() -> forms.CharField:
    return forms.CharField(
        label=_("Source paragraph"),
        required=False,
        max_length=SOURCE_PARAGRAPH_MAX_LENGTH,
        help_text=_("Where the executive summary or country report identifies it, e.g. “para 42”."),
    )


def source_excerpt_field() -> forms.CharField:
    return forms.CharField(
        label=_("Source excerpt"),
        required=False,
        max_length=SOURCE_EXCERPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "The sentence of the review that identifies the need, quoted "
            "(at most 2,000 characters)."
        ),
        error_messages={
            "max_length": _(
                "A source excerpt has at most %(limit_value)s characters "
                "(this one has %(show_value)s): quote the sentence that identifies the need."
            )
        },
    )


class EarlierNeedChoiceField(forms.ModelChoiceField):
    """A need of an earlier cycle, named by its reference, cycle and the start of its text."""

    def label_from_instance(self, obj):
        return gettext("%(ref)s (cycle %(cycle)s): %(description)s") % {
            "ref": obj.ref,
            "cycle": obj.review.cycle,
            "description": Truncator(obj.description).chars(90),
        }


def follows_field() -> EarlierNeedChoiceField:
    return EarlierNeedChoiceField(
        label=_("Follows"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("No earlier need"),
        help_text=_(
            "The need of the State's earlier cycle that this need carries on, if any: the "
            "country page shows them as a chain."
        ),
    )


def earlier_needs(state_id: int, cycle: int):
    """The accepted needs of the State's cycles before `cycle`, for the follows field."""
    return (
        Need.objects.filter(
            review__state_id=state_id, review__cycle__lt=cycle, acceptance=Acceptance.ACCEPTED
        )
        .select_related("review")
        .order_by("review__cycle", "chapter__number", "article__number", "id")
    )


class SubcategorySelect(forms.Select):
    """Each option names its category, so that a small script can offer only the
    subcategories of the chosen category (the server checks the pair in any case)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-category"] = str(instance.category_id)
        return option


class NeedForm(forms.Form):
    placement = forms.ChoiceField(
        label=_("Article"),
        help_text=_(
            "Only the chapters reviewed in this cycle; choose “in general” for a need "
            "about a whole chapter."
        ),
    )
    category = LocalizedModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("Choose a category")
    )
    subcategory = LocalizedModelChoiceField(
        label=_("Subcategory"),
        queryset=Subcategory.objects.all(),
        required=False,
        empty_label=_("None"),
        widget=SubcategorySelect,
        help_text=_("Optional; it must belong to the category."),
    )
    themes = LocalizedModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
    )
    description_language = description_language_field()
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Not set")), *Priority.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.UNMET)
    identified_on = forms.DateField(label=_("Identified on"), required=False, widget=DATE_WIDGET)
    source_paragraph = source_paragraph_field()
    source_excerpt = source_excerpt_field()
    follows = follows_field()
    # The version the form was opened at: a save over a newer version is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: Review, need: Need | None = None, **kwargs):
        self.review = review
        self.need = need
        if need is not None:
            kwargs.setdefault("initial", initial_for(need))
        super().__init__(*args, **kwargs)
        if review.cycle > 1:
            self.fields["follows"].queryset = earlier_needs(review.state_id, review.cycle)
        else:
            # A first-cycle need has no earlier need to follow.
            del self.fields["follows"]
        offer_description_language(self, need.description_language if need else None)
        self.chapters = {chapter.roman: chapter for chapter in chapters_reviewed_in(review.cycle)}
        self.articles = {str(a.number): a for a in articles_reviewed_in(review.cycle)}
        groups = []
        for chapter in self.chapters.values():
            options = [
                (
                    f"{CHAPTER_PREFIX}{chapter.roman}",
                    gettext("Chapter %(roman)s in general") % {"roman": chapter.roman},
                )
            ]
            options += [
                (f"{ARTICLE_PREFIX}{article.number}", article_label(article))
                for article in self.articles.values()
                if article.chapter_id == chapter.pk
            ]
            groups.append((chapter_label(chapter), options))
        self.fields["placement"].choices = [("", gettext("Choose an article")), *groups]

    def clean_placement(self):
        value = self.cleaned_data["placement"]
        if value.startswith(CHAPTER_PREFIX):
            return self.chapters[value.removeprefix(CHAPTER_PREFIX)], None
        article = self.articles[value.removeprefix(ARTICLE_PREFIX)]
        return self.chapters[article.chapter.roman], article

    def clean(self):
        cleaned = super().clean()
        category, subcategory = cleaned.get("category"), cleaned.get("subcategory")
        if category and subcategory and subcategory.category_id != category.pk:
            self.add_error(
                "subcategory",
                gettext("“%(subcategory)s” is not a subcategory of “%(category)s”.")
                % {"subcategory": localized(subcategory), "category": localized(category)},
            )
        if self.need is not None and cleaned.get("version") is None:
            # Without the version it was opened at, a save could overwrite a colleague's edit.
            self.add_error(None, gettext("This form is incomplete: reload the page and try again."))
        return cleaned

    def need_fields(self) -> dict:
        """Keyword arguments for need_create / need_update."""
        chapter, article = self.cleaned_data["placement"]
        return {
            "chapter": chapter,
            "article": article,
            "category": self.cleaned_data["category"],
            "subcategory": self.cleaned_data["subcategory"],
            "description": self.cleaned_data["description"],
            # Left out (an older form): the need keeps its language, a new one the page's.
            "description_language": self.cleaned_data["description_language"]
            or self.fields["description_language"].initial,
            "priority": self.cleaned_data["priority"],
            "status": self.cleaned_data["status"],
            "identified_on": self.cleaned_data["identified_on"],
            "source_paragraph": self.cleaned_data["source_paragraph"],
            "source_excerpt": self.cleaned_data["source_excerpt"],
            **({"follows": self.cleaned_data["follows"]} if "follows" in self.fields else {}),
            "themes": list(self.cleaned_data["themes"]),
        }


def chapter_label(chapter) -> str:
    """ "Chapter II: Preventive measures", in the active language."""
    return gettext("Chapter %(roman)s: %(title)s") % {
        "roman": chapter.roman,
        "title": localized(chapter),
    }


def article_label(article) -> str:
    """ "Article 5: Preventive anti-corruption policies and practices", in the active language."""
    return gettext("Article %(number)s: %(title)s") % {
        "number": article.number,
        "title": localized(article),
    }


def placement_value(need: Need) -> str:
    if need.article_id:
        return f"{ARTICLE_PREFIX}{need.article.number}"
    return f"{CHAPTER_PREFIX}{need.chapter.roman}"


def initial_for(need: Need) -> dict:
    return {
        "placement": placement_value(need),
        "category": need.category_id,
        "subcategory": need.subcategory_id,
        "themes": [theme.pk for theme in need.themes.all()],
        "description": need.description,
        "priority": need.priority,
        "status": need.status,
        "identified_on": need.identified_on,
        "source_paragraph": need.source_paragraph,
        "source_excerpt": need.source_excerpt,
        "follows": need.follows_id,
        "version": need.version,
    }
