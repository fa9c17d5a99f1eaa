import pytest

from reviews.reference import load_reference
from translations.lookup import bump_version
from translations.models import ReferenceTranslation
from translations.reference_data import load_translations


@pytest.fixture(autouse=True)
def _fresh_translation_cache():
    """Each test sees the translations of its own database, not a table cached by another."""
    bump_version()
    yield
    bump_version()


@pytest.fixture
def committed_reference_data(transactional_db):
    """Reference rows and their translations for tests that commit (browser tests): another
    committing test's flush may have removed the rows the migrations loaded."""
    load_reference()
    load_translations(ReferenceTranslation)
    bump_version()
