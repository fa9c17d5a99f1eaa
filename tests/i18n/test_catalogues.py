"""Every user-facing template string is marked for translation, and every catalogue has a
translation for every marked string, with nothing fuzzy.

The catalogue check runs `makemessages` over the project into a copy of `locale/`, exactly as
a developer would, then reads the merged catalogues: a string marked since the catalogues were
last translated shows up as an empty or fuzzy entry there."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES_DIR = BASE_DIR / "templates"
LOCALES = ["ar", "zh_Hans", "fr", "ru", "es"]
IGNORED = [".venv", "tests", "staticfiles", "test-artifacts", "node_modules", "locale"]

# Words that are the same in every language: formats, acronyms, codes.
UNTRANSLATED_WORDS = {"CSV", "XLSX", "IATI", "JSON", "API", "UNCAC", "ISO", "UTC"}

_TRANSLATED_BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_TAG_OR_VARIABLE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
_WORD = re.compile(r"[^\W\d_]{2,}")


def unmarked_text(source: str) -> list[str]:
    """The words of a template a reader would see that are not inside a translation tag:
    element text and the attributes read aloud or shown (aria-label, title, placeholder,
    alt). Text file templates (e-mails) are read as plain text."""
    text = _COMMENT_BLOCK.sub(" ", source)
    text = _TRANSLATED_BLOCK.sub(" ", text)
    text = _SCRIPT_OR_STYLE.sub(" ", text)
    text = _TAG_OR_VARIABLE.sub(" ", text)
    attributes = " ".join(_READ_ATTRIBUTES.findall(text))
    visible = _ENTITY.sub(" ", _HTML_TAG.sub(" ", text)) + " " + attributes
    return [word for word in _WORD.findall(visible) if word not in UNTRANSLATED_WORDS]


def _templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES_DIR.rglob("*")
        if path.suffix in {".html", ".txt"} and path.is_file()
    )


def test_the_scan_catches_unmarked_text():
    assert unmarked_text("<h1>Hello</h1>") == ["Hello"]
    assert unmarked_text('<a aria-label="Close the list" href="{% url \'x\' %}">x</a>') == [
        "Close",
        "the",
        "list",
    ]
    assert unmarked_text("{% block title %}Sign in{% endblock %}") == ["Sign", "in"]
    assert unmarked_text("<p>{{ count }} need{{ count|pluralize }}</p>") == ["need"]


def test_the_scan_accepts_marked_text():
    assert unmarked_text('<h1>{% translate "Hello" %}</h1>') == []
    assert unmarked_text("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>") == []
    assert (
        unmarked_text(
            "<p>{% blocktranslate trimmed count n=c %}One{% plural %}"
            "Many{% endblocktranslate %}</p>"
        )
        == []
    )
    assert unmarked_text("<a aria-label=\"{% translate 'Close' %}\">{{ x }}</a>") == []
    assert unmarked_text('<a class="btn btn-sm" data-testid="download-csv">CSV</a>') == []
    assert unmarked_text("{# A note for developers #}<p>{% comment %}Why{% endcomment %}</p>") == []


def test_every_template_string_is_marked_for_translation():
    unmarked = {}
    for path in _templates():
        name = str(path.relative_to(TEMPLATES_DIR))
        words = unmarked_text(path.read_text(encoding="utf-8"))
        if words:
            unmarked[name] = words
    assert unmarked == {}, "Text not marked for translation (wrap it in {% translate %})"


def _entries(po_text: str) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr(s) and flags (header left out)."""
    entries = []
    for block in po_text.strip().split("\n\n"):
        entry = {"flags": set(), "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
            else:
                key, _, rest = line.partition(" ")
                if key.startswith("msgstr"):
                    entry["msgstr"].append(_unquote(rest))
                    key = "msgstr"
                else:
                    entry[key] = _unquote(rest)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _unquote(quoted: str) -> str:
    return quoted.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_the_po_reader_sees_missing_and_fuzzy_entries():
    po = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "Needs"\nmsgstr "Besoins"\n\n'
        '#, fuzzy\nmsgid "Need"\nmsgstr "Besoins"\n\n'
        'msgid "Missing"\nmsgstr ""\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] ""\n'
    )
    entries = {entry["msgid"]: entry for entry in _entries(po)}
    assert entries["Needs"]["msgstr"] == ["Besoins"]
    assert "fuzzy" in entries["Need"]["flags"]
    assert entries["Missing"]["msgstr"] == [""]
    assert entries["one"]["msgstr"] == ["un", ""]


@pytest.mark.parametrize("locale", LOCALES)
def test_makemessages_finds_every_string_translated(tmp_path, locale, monkeypatch):
    # makemessages writes into the `locale` directory of the tree it scans, so it scans a copy.
    copy = tmp_path / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(*IGNORED, ".git", "__pycache__", "*.sqlite3", "*.mo"),
    )
    shutil.copytree(BASE_DIR / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages", locale=[locale], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0
        )
    po_text = (copy / "locale" / locale / "LC_MESSAGES" / "django.po").read_text("utf-8")
    entries = _entries(po_text)

    assert len(entries) > 200
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []
