import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Each user the fixtures create costs a full PBKDF2 hash (seconds on a busy machine)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
