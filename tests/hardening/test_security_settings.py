"""Production settings: `check --deploy` is clean, no secret has a default, every response
carries the security headers, and no template holds script that the policy would block."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.conftest import _url_with_database

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS", "SESSION_COOKIE_HTTPONLY")}))
"""


def production_environment(**overrides: str) -> dict[str, str]:
    """The environment of a production start: nothing of the test run's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for the browser tests
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tan_tracker.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        **overrides,
    )
    if "DATABASE_URL" in env:
        # The test database: migrated, as in production (the API schema reads reference data).
        env["DATABASE_URL"] = _url_with_database(
            env["DATABASE_URL"], connection.settings_dict["NAME"]
        )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_finds_nothing_to_warn_about(django_db_setup):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(DEBUG="false"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_also_passes_before_the_database_is_migrated(tmp_path):
    # It generates the API schema, whose filters list the reference codes of the database.
    env = production_environment(DEBUG="false")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'not-migrated.sqlite3'}"

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_and_https_enforced_unless_asked_otherwise():
    result = run(["-c", PRINT_SETTINGS], production_environment())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_HTTPONLY": True,
    }


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("url_name", ["home", "login"])
def test_every_page_carries_the_security_headers(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "worker-src": "'self' blob:",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
    }
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def style_sources(response) -> str:
    directives = (d.strip() for d in response["Content-Security-Policy"].split(";"))
    return next(d for d in directives if d.startswith("style-src ")).removeprefix("style-src ")


def test_only_the_redoc_page_allows_its_style_elements_by_a_nonce_of_its_own(client, db):
    redoc = client.get(reverse("api:redoc"))
    again = client.get(reverse("api:redoc"))
    dashboard = client.get(reverse("dashboard:index"))

    nonce = re.fullmatch(r"'self' 'nonce-([\w+/=]+)'", style_sources(redoc))[1]
    assert f'nonce="{nonce}"' in redoc.content.decode()
    assert style_sources(again) != style_sources(redoc)
    assert style_sources(dashboard) == "'self'"


# <script> without src (other than JSON data blocks), on*="..." handlers, javascript: URLs.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
    r"|\son[a-z]+\s*=\s*[\"']"
    r"|javascript:",
    re.IGNORECASE,
)


def project_templates() -> list[Path]:
    directories = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    directories += [path for path in ROOT.glob("*/templates") if ".venv" not in path.parts]
    return sorted({t for d in directories for t in d.rglob("*.html")})


def test_no_template_has_script_that_the_content_security_policy_blocks():
    templates = project_templates()
    assert any(t.name == "base.html" for t in templates)

    offenders = [
        f"{template.relative_to(ROOT)}: {match.group(0).strip()}"
        for template in templates
        for match in INLINE_SCRIPT.finditer(template.read_text())
    ]

    assert offenders == [], "move this JavaScript to a file under static/"


TEMPLATE_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)


def test_no_template_has_an_inline_style():
    offenders = [
        f"{template.relative_to(ROOT)}: {match.group(0)}"
        for template in project_templates()
        for match in re.finditer(
            r"<style\b|\sstyle=", TEMPLATE_COMMENT.sub("", template.read_text())
        )
    ]

    assert offenders == [], "move this style to a file under static/css/"
