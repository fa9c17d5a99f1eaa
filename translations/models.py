from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReferenceKind(models.TextChoices):
    CHAPTER = "chapter", _("Chapter of the Convention")
    ARTICLE = "article", _("Article of the Convention")
    CATEGORY = "category", _("Category of need")
    SUBCATEGORY = "subcategory", _("Subcategory of need")
    THEME = "theme", _("Theme")
    REGION = "region", _("Regional group")
    STATE = "state", _("State")


# English is the language the reference rows themselves are written in; only the other five
# official languages are stored here.
TRANSLATED_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]


class ReferenceTranslation(models.Model):
    """The text of one reference row (chapter, article, taxonomy label, region, State) in one
    official language. The row is named by its stable code: the chapter's roman numeral, the
    article's number, the taxonomy/region code, the State's ISO3 code."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind.choices)
    code = models.CharField(_("code"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=TRANSLATED_LANGUAGES)
    text = models.CharField(_("text"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "code", "language"]
        verbose_name = _("reference translation")
        verbose_name_plural = _("reference translations")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code", "language"], name="one_translation_per_row_and_language"
            ),
            models.CheckConstraint(
                name="reference_translation_language_known",
                condition=Q(language__in=[code for code, _name in TRANSLATED_LANGUAGES]),
            ),
            models.CheckConstraint(
                name="reference_translation_kind_known",
                condition=Q(kind__in=ReferenceKind.values),
            ),
            models.CheckConstraint(name="reference_translation_not_blank", condition=~Q(text="")),
        ]

    def __str__(self):
        return f"{self.kind} {self.code} [{self.language}]: {self.text}"
