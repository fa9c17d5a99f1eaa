"""Strict readers for settings taken from the environment.

An empty value counts as unset (the default applies), the same for every type.
A bad value stops start-up with a message naming the variable, instead of
silently falling back to a default that would hide the mistake.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false (1/0, yes/no, on/off), "
        f"not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be at least {minimum}, not {number}."
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a comma-separated list, not {value!r}."
        )
    return items


def env_url(name: str, default: str | None, schemes: tuple[str, ...]) -> str | None:
    value = env_str(name, default)
    if value is None:
        return None
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a URL starting with one of "
            f"{', '.join(s + '://' for s in schemes)}, not {value!r}."
        )
    return value


def env_time_limits(name: str, soft: int, hard: int) -> tuple[int, int]:
    """A Celery task's soft and hard time limits in seconds, from `<name>_SOFT_TIME_LIMIT` and
    `<name>_TIME_LIMIT`. The soft limit must come first: it lets the task stop cleanly (say
    why, undo its work) before the hard one kills the worker process."""
    soft = env_int(f"{name}_SOFT_TIME_LIMIT", soft, minimum=1)
    hard = env_int(f"{name}_TIME_LIMIT", hard, minimum=1)
    if soft >= hard:
        raise ImproperlyConfigured(
            f"The environment variable {name}_SOFT_TIME_LIMIT must be less than "
            f"{name}_TIME_LIMIT ({soft} is not less than {hard})."
        )
    return soft, hard
