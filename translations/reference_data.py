"""The shipped translations of the reference data (translations/data/*.csv)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ["ar", "zh-hans", "fr", "ru", "es"]
_SINGLE_KIND_FILES = {
    "chapters.csv": "chapter",
    "articles.csv": "article",
    "regions.csv": "region",
    "states.csv": "state",
}


def shipped_translations() -> list[tuple[str, str, str, str]]:
    """(kind, code, language, text) for every shipped translation."""
    rows = []
    for filename, kind in _SINGLE_KIND_FILES.items():
        with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                rows.extend((kind, record["code"], lang, record[lang]) for lang in LANGUAGES)
    with open(DATA_DIR / "taxonomy.csv", encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            rows.extend((record["kind"], record["code"], lang, record[lang]) for lang in LANGUAGES)
    return rows


def load_translations(model, *, overwrite: bool = False) -> int:
    """Insert the shipped translations the table lacks (all of them with `overwrite`,
    replacing corrections). Works with the historical model of a migration too."""
    objects = [
        model(kind=kind, code=code, language=language, text=text)
        for kind, code, language, text in shipped_translations()
    ]
    if overwrite:
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["kind", "code", "language"],
            update_fields=["text"],
        )
        return len(objects)
    existing = set(model.objects.values_list("kind", "code", "language"))
    missing = [obj for obj in objects if (obj.kind, obj.code, obj.language) not in existing]
    model.objects.bulk_create(missing)
    return len(missing)
