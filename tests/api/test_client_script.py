"""The example client (scripts/api_client_example.py) against a running server."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

from .conftest import token_for

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_client_example.py"


@pytest.mark.django_db(transaction=True)
def test_the_example_client_pages_through_all_needs_of_a_region(live_server, people, tmp_path):
    kenya = factories.ReviewFactory(state=factories.state("KEN"), cycle=2)
    nigeria = factories.ReviewFactory(state=factories.state("NGA"), cycle=2)
    peru = factories.ReviewFactory(state=factories.state("PER"), cycle=2)
    african = {factories.NeedFactory(review=kenya).ref for _ in range(4)}
    african |= {factories.NeedFactory(review=nigeria).ref for _ in range(3)}
    factories.NeedFactory(review=peru)
    output = tmp_path / "needs.csv"

    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            live_server.url,
            "african",
            "--page-size",
            "2",
            "--csv",
            str(output),
        ],
        env={"TAN_API_TOKEN": token_for(people["donor"]), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "7 needs in region african"
    rows = output.read_text().splitlines()
    assert rows[0].startswith("ref,state,cycle")
    assert {row.split(",")[0] for row in rows[1:]} == african


@pytest.mark.django_db(transaction=True)
def test_the_example_client_reports_a_refused_token(live_server):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), live_server.url, "african"],
        env={"TAN_API_TOKEN": "wrong", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "401" in result.stderr
