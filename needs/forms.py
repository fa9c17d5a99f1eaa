from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Review
from reviews.selectors import articles_reviewed_in, chapters_reviewed_in
from translations.fields import LocalizedModelChoiceField, LocalizedModelMultipleChoiceField
from translations.lookup import localized

from .models import Category, Need, Priority, Status, Subcategory, Theme

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


class CodedSelect(forms.Select):
    """Each option of a taxonomy entry carries its code (`data-code`): the suggested
    placements (static/js/placement_suggestions.js) name entries by code."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-code"] = instance.code
        return option


class SubcategorySelect(CodedSelect):
    """Each option names its category, so that a small script can offer only the
    subcategories of the chosen category (the server checks the pair in any case)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-category"] = str(instance.category_id)
        return option


class PlacementSelect(forms.Select):
    """Each option says its place as `article:5` or `chapter:II` (`data-placement`), whatever
    the form's values, for the suggested placements."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placements: dict[str, str] = {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.placements = dict(self.placements)
        return copied

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-placement"] = self.placements.get(str(value), str(value))
        return option


class NeedForm(forms.Form):
    placement = forms.ChoiceField(
        label=_("Article"),
        widget=PlacementSelect,
        help_text=_(
            "Only the chapters reviewed in this cycle; choose “in general” for a need "
            "about a whole chapter."
        ),
    )
    category = LocalizedModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=_("Choose a category"),
        widget=CodedSelect,
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
    # The version the form was opened at: a save over a newer version is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: Review, need: Need | None = None, **kwargs):
        self.review = review
        self.need = need
        if need is not None:
            kwargs.setdefault("initial", initial_for(need))
        super().__init__(*args, **kwargs)
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
        "version": need.version,
    }
