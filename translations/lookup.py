"""Reference data in the active language, without a database query per page view.

Each language's table is kept in Django's cache under a key that carries a version; saving a
translation writes a new version, so every process reads the fresh rows at its next lookup.
A process also keeps the tables it read in memory under the same keys: the cache hands out a
copy of a table at each read, which cost 130 µs a label, a tenth of a second on a page in
French naming 190 States five times. English is the language of the reference rows
themselves and is never looked up."""

import uuid

from django.core.cache import cache
from django.utils.translation import get_language

from translations.models import ReferenceKind, ReferenceTranslation

VERSION_KEY = "reference-translations:version"
# {cache key: table} of this process; the keys of older versions are never asked again.
_read_tables: dict[str, dict[tuple[str, str], str]] = {}


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _table(language: str) -> dict[tuple[str, str], str]:
    version = cache.get(VERSION_KEY)
    if version is None:
        bump_version()
        version = cache.get(VERSION_KEY)
    key = f"reference-translations:{version}:{language}"
    table = _read_tables.get(key)
    if table is not None:
        return table
    table = cache.get(key)
    if table is None:
        table = {
            (kind, code): text
            for kind, code, text in ReferenceTranslation.objects.filter(
                language=language
            ).values_list("kind", "code", "text")
        }
        cache.set(key, table, timeout=None)
    if not any(kept.startswith(f"reference-translations:{version}:") for kept in _read_tables):
        _read_tables.clear()  # a new version: the older tables are of no more use
    _read_tables[key] = table
    return table


def translate_reference(kind: str, code, english: str, language: str | None = None) -> str:
    """The text of reference row `kind`/`code` in `language` (the active one by default),
    or `english` when there is no translation."""
    language = (language or get_language() or "en").lower()
    if language == "en" or language.startswith("en-") or code is None:
        return english
    return _table(language).get((kind, str(code)), english)


# Model label -> (kind, attribute holding the code, attribute holding the English text).
_REFERENCE_MODELS = {
    "reviews.chapter": (ReferenceKind.CHAPTER, "roman", "title"),
    "reviews.article": (ReferenceKind.ARTICLE, "number", "title"),
    "reviews.regionalgroup": (ReferenceKind.REGION, "code", "name"),
    "reviews.state": (ReferenceKind.STATE, "iso3", "name"),
    "needs.category": (ReferenceKind.CATEGORY, "code", "label"),
    "needs.subcategory": (ReferenceKind.SUBCATEGORY, "code", "label"),
    "needs.theme": (ReferenceKind.THEME, "code", "label"),
}


def localized(obj, language: str | None = None) -> str:
    """The title/name/label of a chapter, article, taxonomy entry, regional group or State in
    the active language, falling back to English; anything else is returned as text."""
    if obj is None or obj == "":
        return ""
    spec = _REFERENCE_MODELS.get(getattr(getattr(obj, "_meta", None), "label_lower", ""))
    if spec is None:
        return str(obj)
    kind, code_attribute, text_attribute = spec
    return translate_reference(
        kind, getattr(obj, code_attribute), getattr(obj, text_attribute), language
    )
