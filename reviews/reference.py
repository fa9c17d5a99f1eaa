"""Load the reference data shipped in reviews/data/ (chapters and articles, States, taxonomy).

Re-runnable: rows are matched on their codes and updated, never duplicated. Works with the
historical models of a data migration (pass `apps`) as well as with the current ones.
Corrections staff make in the application to a State's party flag or ratification date are
kept: those two fields are only set when the State is first created.
"""

import csv
from pathlib import Path

from django.apps import apps as global_apps

DATA_DIR = Path(__file__).resolve().parent / "data"

REGIONAL_GROUP_NAMES = {
    "african": "African States",
    "asia_pacific": "Asia-Pacific States",
    "eastern_european": "Eastern European States",
    "latin_american_caribbean": "Latin American and Caribbean States",
    "western_european_other": "Western European and other States",
}

# Cycle 1 reviews chapters III and IV, cycle 2 chapters II and V.
CHAPTER_CYCLE = {"III": 1, "IV": 1, "II": 2, "V": 2}

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def _rows(filename: str) -> list[list[str]]:
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [row for row in reader if row]


def load_reference(apps=global_apps) -> dict[str, int]:
    RegionalGroup = apps.get_model("reviews", "RegionalGroup")
    State = apps.get_model("reviews", "State")
    Chapter = apps.get_model("reviews", "Chapter")
    Article = apps.get_model("reviews", "Article")
    Category = apps.get_model("needs", "Category")
    Subcategory = apps.get_model("needs", "Subcategory")
    Theme = apps.get_model("needs", "Theme")

    groups = {}
    for code, name in REGIONAL_GROUP_NAMES.items():
        groups[code], _ = RegionalGroup.objects.update_or_create(code=code, defaults={"name": name})

    existing_states = {state.iso3: state for state in State.objects.all()}
    for iso3, name, group_code, un_member, party in _rows("states_parties.csv"):
        reference = {
            "name": name,
            "regional_group_id": groups[group_code].pk if group_code in groups else None,
            "un_member": un_member == "yes",
        }
        state = existing_states.get(iso3)
        if state is None:
            State.objects.create(iso3=iso3, is_party=party == "yes", **reference)
            continue
        # Saving only what differs keeps a re-run from adding empty entries to the history.
        changed = [f for f, value in reference.items() if getattr(state, f) != value]
        if changed:
            for field in changed:
                setattr(state, field, reference[field])
            state.save(update_fields=changed)

    chapters = {}
    for roman, chapter_title, number, article_title in _rows("uncac_articles.csv"):
        if roman not in chapters:
            chapters[roman], _ = Chapter.objects.update_or_create(
                roman=roman,
                defaults={
                    "number": ROMAN.index(roman) + 1,
                    "title": chapter_title,
                    "reviewed_in_cycle": CHAPTER_CYCLE.get(roman),
                },
            )
        Article.objects.update_or_create(
            number=int(number), defaults={"chapter": chapters[roman], "title": article_title}
        )

    categories = {}
    positions = {"category": 0, "subcategory": 0, "theme": 0}
    for row in _rows("need_taxonomy.csv"):
        kind, code, parent = row[0], row[1], row[2]
        # Some labels contain unquoted commas; everything after the third column is the label.
        label = ",".join(row[3:]).strip()
        positions[kind] += 1
        defaults = {"label": label, "position": positions[kind]}
        if kind == "category":
            categories[code], _ = Category.objects.update_or_create(code=code, defaults=defaults)
        elif kind == "subcategory":
            Subcategory.objects.update_or_create(
                code=code, defaults={**defaults, "category": categories[parent]}
            )
        elif kind == "theme":
            Theme.objects.update_or_create(code=code, defaults=defaults)
        else:
            raise ValueError(f"need_taxonomy.csv: unknown kind {kind!r}")

    return {
        "regional groups": RegionalGroup.objects.count(),
        "States": State.objects.count(),
        "chapters": Chapter.objects.count(),
        "articles": Article.objects.count(),
        "categories": Category.objects.count(),
        "subcategories": Subcategory.objects.count(),
        "themes": Theme.objects.count(),
    }
