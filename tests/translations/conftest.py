import pytest

from translations.lookup import bump_version


@pytest.fixture(autouse=True)
def _fresh_translation_cache():
    """Each test sees the translations of its own database, not a table cached by another."""
    bump_version()
    yield
    bump_version()
