from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from reviews.models import Review
from reviews.selectors import articles_reviewed_in, chapters_reviewed_in

from .models import Category, ImportKind, Need, Priority, Status, Subcategory, Theme

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHAPTER_PREFIX = "chapter:"
ARTICLE_PREFIX = "article:"


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
        label="Article",
        help_text="Only the chapters reviewed in this cycle; choose “in general” for a need "
        "about a whole chapter.",
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), empty_label="Choose a category"
    )
    subcategory = forms.ModelChoiceField(
        queryset=Subcategory.objects.all(),
        required=False,
        empty_label="None",
        widget=SubcategorySelect,
        help_text="Optional; it must belong to the category.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    priority = forms.ChoiceField(choices=[("", "Not set"), *Priority.choices], required=False)
    status = forms.ChoiceField(choices=Status.choices, initial=Status.UNMET)
    identified_on = forms.DateField(required=False, widget=DATE_WIDGET)
    # The version the form was opened at: a save over a newer version is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, review: Review, need: Need | None = None, **kwargs):
        self.review = review
        self.need = need
        if need is not None:
            kwargs.setdefault("initial", initial_for(need))
        super().__init__(*args, **kwargs)
        self.chapters = {chapter.roman: chapter for chapter in chapters_reviewed_in(review.cycle)}
        self.articles = {str(a.number): a for a in articles_reviewed_in(review.cycle)}
        groups = []
        for chapter in self.chapters.values():
            options = [(f"{CHAPTER_PREFIX}{chapter.roman}", f"Chapter {chapter.roman} in general")]
            options += [
                (f"{ARTICLE_PREFIX}{article.number}", str(article))
                for article in self.articles.values()
                if article.chapter_id == chapter.pk
            ]
            groups.append((str(chapter), options))
        self.fields["placement"].choices = [("", "Choose an article"), *groups]

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
            self.add_error("subcategory", f"“{subcategory}” is not a subcategory of “{category}”.")
        if self.need is not None and cleaned.get("version") is None:
            # Without the version it was opened at, a save could overwrite a colleague's edit.
            self.add_error(None, "This form is incomplete: reload the page and try again.")
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
            "priority": self.cleaned_data["priority"],
            "status": self.cleaned_data["status"],
            "identified_on": self.cleaned_data["identified_on"],
            "themes": list(self.cleaned_data["themes"]),
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


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.NEEDS,
        label="The file contains",
    )
    file = forms.FileField(
        help_text="A .csv (UTF-8) or .xlsx file with the columns of the template; "
        f"at most {filesizeformat(settings.MAX_UPLOAD_BYTES)}."
    )
    allow_duplicates = forms.BooleanField(
        required=False,
        label="Import probable duplicates anyway",
        help_text="A row without ref that repeats a need of the same review (same article, "
        "category and description) is reported as a probable duplicate and, unless this is "
        "ticked, rejects the file.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; files of at most "
                f"{filesizeformat(settings.MAX_UPLOAD_BYTES)} are accepted. Split it into "
                "smaller files.",
                code="too_big",
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.", code="file_type")
        return upload
