from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Review
from reviews.selectors import chapters_reviewed_in
from translations.fields import LocalizedModelChoiceField, LocalizedModelMultipleChoiceField
from translations.lookup import localized

from .fields import EDITABLE_FIELDS, MANY_TO_MANY_FIELDS, PLACEMENT_FIELDS
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


class CodedSelect(forms.Select):
    """Each option of a taxonomy entry carries its code (`data-code`): the suggested
    placements (static/js/placement_suggestions.js) name entries by code."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-code"] = instance.code
        return option


class PlacementSelect(forms.Select):
    """Each option says its place (`data-placement`, the value itself: `article:5` or
    `chapter:II`), as the suggested placements name them."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-placement"] = str(value)
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


class BaseNeedForm(forms.Form):
    """The fields of a need (`needs.fields`) as people fill them in, for staff (NeedForm) and
    focal points (NeedProposalForm). The chapter and article are one choice, "placement",
    whose values are `chapter:<roman>` for a chapter in general and `article:<number>`.
    The services check every rule again; the form says first what it can, next to its field."""

    # The fields of needs.fields the form asks for; need_fields() returns them.
    edited_fields = EDITABLE_FIELDS
    # Where the services' errors about a field are shown.
    service_error_fields = dict.fromkeys(PLACEMENT_FIELDS, "placement")

    placement = forms.ChoiceField(label=_("Article"), widget=PlacementSelect)
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
    source_paragraph = source_paragraph_field()
    source_excerpt = source_excerpt_field()
    # Left out (del) where there is no earlier cycle: the need then follows none.
    follows = follows_field()

    def __init__(self, *args, chapters, need: Need | None = None, **kwargs):
        """`chapters`: the chapters a need may be about, with their articles."""
        self.need = need
        super().__init__(*args, **kwargs)
        offer_description_language(self, need.description_language if need else None)
        # {placement value: (chapter, article)}
        self.placements: dict[str, tuple] = {}
        groups = []
        for chapter in chapters:
            options = [
                (
                    self._place(chapter, None),
                    gettext("Chapter %(roman)s in general") % {"roman": chapter.roman},
                )
            ]
            options += [
                (self._place(chapter, article), article_label(article))
                for article in chapter.articles.all()
            ]
            groups.append((self.chapter_group_label(chapter), options))
        self.fields["placement"].choices = [("", self.placement_prompt()), *groups]

    def _place(self, chapter, article) -> str:
        value = placement_value_of(chapter, article)
        self.placements[value] = (chapter, article)
        return value

    def placement_prompt(self) -> str:
        return gettext("Choose an article")

    def chapter_group_label(self, chapter) -> str:
        return chapter_label(chapter)

    def clean_placement(self):
        """(chapter, article): the choices offered are the only values accepted."""
        return self.placements[self.cleaned_data["placement"]]

    def clean(self):
        cleaned = super().clean()
        category, subcategory = cleaned.get("category"), cleaned.get("subcategory")
        if category and subcategory and subcategory.category_id != category.pk:
            self.add_error(
                "subcategory",
                gettext("“%(subcategory)s” is not a subcategory of “%(category)s”.")
                % {"subcategory": localized(subcategory), "category": localized(category)},
            )
        return cleaned

    def need_fields(self) -> dict:
        """Keyword arguments for need_create / need_update / need_propose."""
        cleaned = dict(self.cleaned_data)
        cleaned["chapter"], cleaned["article"] = cleaned["placement"]
        cleaned["themes"] = list(cleaned["themes"])
        # Left out (an older form): the need keeps its language, a new one the page's.
        cleaned["description_language"] = (
            cleaned["description_language"] or self.fields["description_language"].initial
        )
        # A form without the follows field (a first-cycle need) leaves the link as it is.
        return {name: cleaned[name] for name in self.edited_fields if name in cleaned}


class NeedForm(BaseNeedForm):
    """Staff add and edit the needs of one review."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.UNMET)
    identified_on = forms.DateField(label=_("Identified on"), required=False, widget=DATE_WIDGET)
    # The version the form was opened at: a save over a newer version is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: Review, need: Need | None = None, **kwargs):
        self.review = review
        if need is not None:
            kwargs.setdefault("initial", initial_for(need))
        chapters = chapters_reviewed_in(review.cycle).prefetch_related("articles")
        super().__init__(*args, chapters=chapters, need=need, **kwargs)
        if review.cycle > 1:
            self.fields["follows"].queryset = earlier_needs(review.state_id, review.cycle)
        else:
            # A first-cycle need has no earlier need to follow.
            del self.fields["follows"]
        self.fields["placement"].help_text = _(
            "Only the chapters reviewed in this cycle; choose “in general” for a need "
            "about a whole chapter."
        )

    def clean(self):
        cleaned = super().clean()
        if self.need is not None and cleaned.get("version") is None:
            # Without the version it was opened at, a save could overwrite a colleague's edit.
            self.add_error(None, gettext("This form is incomplete: reload the page and try again."))
        return cleaned


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


def placement_value_of(chapter, article) -> str:
    """The placement choice of a chapter in general (article None) or of an article."""
    if article is not None:
        return f"{ARTICLE_PREFIX}{article.number}"
    return f"{CHAPTER_PREFIX}{chapter.roman}"


def placement_value(need: Need) -> str:
    return placement_value_of(need.chapter, need.article)


def initial_for(need: Need) -> dict:
    initial = {
        name: getattr(need, name)
        for name in EDITABLE_FIELDS
        if name not in (*PLACEMENT_FIELDS, *MANY_TO_MANY_FIELDS)
    }
    initial.update(
        placement=placement_value(need),
        category=need.category_id,
        subcategory=need.subcategory_id,
        themes=[theme.pk for theme in need.themes.all()],
        follows=need.follows_id,
        version=need.version,
    )
    return initial
