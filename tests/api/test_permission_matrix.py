"""Every API operation, called by every role: the answer each role gets.

The same rules as the pages (the models' `visible_to`, `core.access`, the apps' `rules.py`):
the public and donors read published data; a focal point also reads everything of their own
State and maintains its needs; staff change everything; donors register and withdraw their own
interest; everyone signed in keeps their own saved searches (of the needs list: staff only).
401 means "sign in", 403 "your role may not", 404 "not a record you may see".
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from .conftest import ROLES

EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**EVERYONE, "anonymous": 401}


def staff_only(code: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "donor": 403,
        "focal_point": 403,
        "other_focal_point": 403,
        "staff": code,
        "administrator": code,
    }


def own_state_and_staff(code: int) -> dict[str, int]:
    return {**staff_only(code), "focal_point": code}


def owner_only(code: int) -> dict[str, int]:
    """A record of one person (the donor's saved search): others are told it does not exist."""
    return {**dict.fromkeys(ROLES, 404), "anonymous": 401, "donor": code}


HIDDEN_FROM_OUTSIDERS = {
    "anonymous": 404,
    "donor": 404,
    "focal_point": 200,
    "other_focal_point": 404,
    "staff": 200,
    "administrator": 200,
}


@dataclass
class Operation:
    method: str
    path: str  # as in the schema
    url: Callable[[dict], str]
    expected: dict[str, int]
    body: Callable[[dict], dict] | None = None
    note: str = field(default="")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}{' ' + self.note if self.note else ''}"


def need_body(data):
    return {
        "state": "KEN",
        "cycle": 2,
        "chapter": "II",
        "article": 5,
        "category": "capacity_building",
        "description": "Training for judges on asset recovery",
    }


def activity_body(data):
    return {
        "ref": "ACT-NEW-1",
        "title": "Regional workshop on whistle-blower protection",
        "activity_type": "training",
        "level": "regional",
        "provider": data["activity"].provider_id,
    }


V1 = "/api/v1"
OPERATIONS = [
    Operation("GET", "/api/v1/me/", lambda d: f"{V1}/me/", SIGNED_IN),
    Operation("POST", "/api/v1/me/token/", lambda d: f"{V1}/me/token/", SIGNED_IN),
    Operation(
        "DELETE",
        "/api/v1/me/token/",
        lambda d: f"{V1}/me/token/",
        {**SIGNED_IN, **dict.fromkeys(ROLES[1:], 204)},
    ),
    Operation("GET", "/api/v1/regions/", lambda d: f"{V1}/regions/", EVERYONE),
    Operation("GET", "/api/v1/regions/{code}/", lambda d: f"{V1}/regions/african/", EVERYONE),
    Operation("GET", "/api/v1/states/", lambda d: f"{V1}/states/", EVERYONE),
    Operation("GET", "/api/v1/states/{iso3}/", lambda d: f"{V1}/states/KEN/", EVERYONE),
    Operation("GET", "/api/v1/chapters/", lambda d: f"{V1}/chapters/", EVERYONE),
    Operation("GET", "/api/v1/chapters/{roman}/", lambda d: f"{V1}/chapters/V/", EVERYONE),
    Operation("GET", "/api/v1/articles/", lambda d: f"{V1}/articles/", EVERYONE),
    Operation("GET", "/api/v1/articles/{number}/", lambda d: f"{V1}/articles/5/", EVERYONE),
    Operation("GET", "/api/v1/categories/", lambda d: f"{V1}/categories/", EVERYONE),
    Operation(
        "GET",
        "/api/v1/categories/{code}/",
        lambda d: f"{V1}/categories/capacity_building/",
        EVERYONE,
    ),
    Operation("GET", "/api/v1/themes/", lambda d: f"{V1}/themes/", EVERYONE),
    Operation("GET", "/api/v1/themes/{code}/", lambda d: f"{V1}/themes/technology/", EVERYONE),
    Operation("GET", "/api/v1/reviews/", lambda d: f"{V1}/reviews/", EVERYONE),
    Operation(
        "GET",
        "/api/v1/reviews/{id}/",
        lambda d: f"{V1}/reviews/{d['published_need'].review_id}/",
        EVERYONE,
        note="published",
    ),
    Operation(
        "GET",
        "/api/v1/reviews/{id}/",
        lambda d: f"{V1}/reviews/{d['unpublished_need'].review_id}/",
        HIDDEN_FROM_OUTSIDERS,
        note="unpublished",
    ),
    Operation(
        "POST",
        "/api/v1/reviews/",
        lambda d: f"{V1}/reviews/",
        staff_only(201),
        lambda d: {"state": "FRA", "cycle": 1, "review_year": 2012},
    ),
    Operation(
        "PUT",
        "/api/v1/reviews/{id}/",
        lambda d: f"{V1}/reviews/{d['published_need'].review_id}/",
        staff_only(200),
        lambda d: {"review_year": 2019, "reviewing_states": ["PER"]},
    ),
    Operation(
        "PATCH",
        "/api/v1/reviews/{id}/",
        lambda d: f"{V1}/reviews/{d['published_need'].review_id}/",
        staff_only(200),
        lambda d: {"country_report_completed": "2019-06-01"},
    ),
    Operation(
        "DELETE",
        "/api/v1/reviews/{id}/",
        lambda d: f"{V1}/reviews/{d['empty_review'].pk}/",
        staff_only(204),
    ),
    Operation("GET", "/api/v1/needs/", lambda d: f"{V1}/needs/", EVERYONE),
    Operation(
        "GET",
        "/api/v1/needs/{ref}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/",
        EVERYONE,
        note="published",
    ),
    Operation(
        "GET",
        "/api/v1/needs/{ref}/",
        lambda d: f"{V1}/needs/{d['unpublished_need'].ref}/",
        HIDDEN_FROM_OUTSIDERS,
        note="unpublished",
    ),
    Operation("POST", "/api/v1/needs/", lambda d: f"{V1}/needs/", staff_only(201), need_body),
    Operation(
        "PUT",
        "/api/v1/needs/{ref}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/",
        staff_only(200),
        lambda d: {"chapter": "II", "category": "capacity_building", "description": "Revised"},
    ),
    Operation(
        "PATCH",
        "/api/v1/needs/{ref}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/",
        staff_only(200),
        lambda d: {"priority": "high"},
    ),
    Operation(
        "DELETE",
        "/api/v1/needs/{ref}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/",
        staff_only(204),
    ),
    Operation(
        "GET",
        "/api/v1/needs/{ref}/actions/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/",
        EVERYONE,
        note="published",
    ),
    Operation(
        "GET",
        "/api/v1/needs/{ref}/actions/",
        lambda d: f"{V1}/needs/{d['unpublished_need'].ref}/actions/",
        HIDDEN_FROM_OUTSIDERS,
        note="unpublished",
    ),
    Operation(
        "POST",
        "/api/v1/needs/{ref}/actions/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/",
        own_state_and_staff(201),
        lambda d: {"what": "Draft the asset declaration regulations", "status": "planned"},
    ),
    Operation(
        "POST",
        "/api/v1/needs/{ref}/actions/",
        lambda d: f"{V1}/needs/{d['other_need'].ref}/actions/",
        # Peru's need: its own focal point records actions on it, Kenya's does not.
        {**staff_only(201), "other_focal_point": 201},
        lambda d: {"what": "Draft the asset declaration regulations"},
        note="Peru's need",
    ),
    Operation(
        "GET",
        "/api/v1/needs/{ref}/actions/{id}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/{d['action'].pk}/",
        EVERYONE,
    ),
    Operation(
        "PUT",
        "/api/v1/needs/{ref}/actions/{id}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/{d['action'].pk}/",
        own_state_and_staff(200),
        lambda d: {"what": "Revised", "status": "in_progress", "due_date": "2027-01-31"},
    ),
    Operation(
        "PATCH",
        "/api/v1/needs/{ref}/actions/{id}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/{d['action'].pk}/",
        own_state_and_staff(200),
        lambda d: {"status": "done"},
    ),
    Operation(
        "DELETE",
        "/api/v1/needs/{ref}/actions/{id}/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/actions/{d['action'].pk}/",
        own_state_and_staff(204),
    ),
    Operation(
        "POST",
        "/api/v1/needs/propose/",
        lambda d: f"{V1}/needs/propose/",
        own_state_and_staff(201),
        need_body,
    ),
    Operation(
        "POST",
        "/api/v1/needs/suggest/",
        lambda d: f"{V1}/needs/suggest/",
        {**own_state_and_staff(200), "other_focal_point": 200},
        lambda d: {"description": "Training for judges on asset recovery"},
    ),
    Operation(
        "POST",
        "/api/v1/needs/{ref}/confirm/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/confirm/",
        own_state_and_staff(200),
    ),
    Operation(
        "POST",
        "/api/v1/needs/{ref}/status/",
        lambda d: f"{V1}/needs/{d['published_need'].ref}/status/",
        own_state_and_staff(200),
        lambda d: {"status": "in_progress", "comment": "Project started"},
    ),
    Operation(
        "POST",
        "/api/v1/needs/{ref}/decide/",
        lambda d: f"{V1}/needs/{d['proposal'].ref}/decide/",
        staff_only(200),
        lambda d: {"accept": True},
    ),
    Operation("GET", "/api/v1/providers/", lambda d: f"{V1}/providers/", EVERYONE),
    Operation(
        "GET",
        "/api/v1/providers/{id}/",
        lambda d: f"{V1}/providers/{d['activity'].provider_id}/",
        EVERYONE,
    ),
    Operation("GET", "/api/v1/donors/", lambda d: f"{V1}/donors/", EVERYONE),
    Operation(
        "GET", "/api/v1/donors/{id}/", lambda d: f"{V1}/donors/{d['funding'].donor_id}/", EVERYONE
    ),
    Operation(
        "POST",
        "/api/v1/donors/",
        lambda d: f"{V1}/donors/",
        staff_only(201),
        lambda d: {"name": "Ministry of Foreign Affairs of Norway", "kind": "government"},
    ),
    Operation(
        "PUT",
        "/api/v1/donors/{id}/",
        lambda d: f"{V1}/donors/{d['funding'].donor_id}/",
        staff_only(200),
        lambda d: {"name": "Renamed donor", "kind": "foundation", "country": "NOR"},
    ),
    Operation(
        "PATCH",
        "/api/v1/donors/{id}/",
        lambda d: f"{V1}/donors/{d['funding'].donor_id}/",
        staff_only(200),
        lambda d: {"short_name": "RD"},
    ),
    Operation("GET", "/api/v1/activities/", lambda d: f"{V1}/activities/", EVERYONE),
    Operation(
        "GET",
        "/api/v1/activities/{ref}/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/",
        EVERYONE,
    ),
    Operation(
        "POST", "/api/v1/activities/", lambda d: f"{V1}/activities/", staff_only(201), activity_body
    ),
    Operation(
        "PUT",
        "/api/v1/activities/{ref}/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/",
        staff_only(200),
        activity_body,
    ),
    Operation(
        "PATCH",
        "/api/v1/activities/{ref}/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/",
        staff_only(200),
        lambda d: {"status": "ongoing"},
    ),
    Operation(
        "DELETE",
        "/api/v1/activities/{ref}/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/",
        staff_only(204),
    ),
    Operation(
        "POST",
        "/api/v1/activities/{ref}/link/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/link/",
        staff_only(200),
        lambda d: {"need": d["other_need"].ref, "extent": "full"},
    ),
    Operation(
        "POST",
        "/api/v1/activities/{ref}/unlink/",
        lambda d: f"{V1}/activities/{d['activity'].ref}/unlink/",
        staff_only(200),
        lambda d: {"need": d["published_need"].ref},
    ),
    Operation("GET", "/api/v1/funding/", lambda d: f"{V1}/funding/", EVERYONE),
    Operation(
        "GET", "/api/v1/funding/{id}/", lambda d: f"{V1}/funding/{d['funding'].pk}/", EVERYONE
    ),
    Operation(
        "POST",
        "/api/v1/funding/",
        lambda d: f"{V1}/funding/",
        staff_only(201),
        lambda d: {
            "activity": d["activity"].ref,
            "donor": d["funding"].donor_id,
            "amount": "25000.00",
            "year": 2025,
        },
    ),
    Operation(
        "DELETE",
        "/api/v1/funding/{id}/",
        lambda d: f"{V1}/funding/{d['funding'].pk}/",
        staff_only(204),
    ),
    Operation("GET", "/api/v1/donor-interests/", lambda d: f"{V1}/donor-interests/", SIGNED_IN),
    Operation(
        "GET",
        "/api/v1/donor-interests/{id}/",
        lambda d: f"{V1}/donor-interests/{d['interest'].pk}/",
        SIGNED_IN,
    ),
    Operation(
        "POST",
        "/api/v1/donor-interests/",
        lambda d: f"{V1}/donor-interests/",
        {**staff_only(403), "anonymous": 401, "donor": 201},
        lambda d: {"need": d["other_need"].ref, "kind": "commitment", "amount": "50000"},
    ),
    Operation(
        "POST",
        "/api/v1/donor-interests/{id}/withdraw/",
        lambda d: f"{V1}/donor-interests/{d['interest'].pk}/withdraw/",
        {**staff_only(200), "donor": 200},
    ),
    Operation("GET", "/api/v1/shared-needs/", lambda d: f"{V1}/shared-needs/", EVERYONE),
    Operation("GET", "/api/v1/saved-searches/", lambda d: f"{V1}/saved-searches/", SIGNED_IN),
    Operation(
        "POST",
        "/api/v1/saved-searches/",
        lambda d: f"{V1}/saved-searches/",
        {**SIGNED_IN, **dict.fromkeys(ROLES[1:], 201)},
        lambda d: {"name": "Chapter V", "view": "catalogue", "query": {"chapter": ["V"]}},
        note="catalogue",
    ),
    Operation(
        "POST",
        "/api/v1/saved-searches/",
        lambda d: f"{V1}/saved-searches/",
        staff_only(201),
        lambda d: {"name": "Proposals", "view": "needs", "query": {"acceptance": "proposed"}},
        note="needs list",
    ),
    Operation(
        "GET",
        "/api/v1/saved-searches/{id}/",
        lambda d: f"{V1}/saved-searches/{d['saved_search'].pk}/",
        owner_only(200),
    ),
    Operation(
        "PUT",
        "/api/v1/saved-searches/{id}/",
        lambda d: f"{V1}/saved-searches/{d['saved_search'].pk}/",
        owner_only(200),
        lambda d: {
            "name": "Kenya and Peru",
            "view": "catalogue",
            "query": {"state": ["KEN", "PER"]},
        },
    ),
    Operation(
        "PATCH",
        "/api/v1/saved-searches/{id}/",
        lambda d: f"{V1}/saved-searches/{d['saved_search'].pk}/",
        owner_only(200),
        lambda d: {"alert": "none"},
    ),
    Operation(
        "DELETE",
        "/api/v1/saved-searches/{id}/",
        lambda d: f"{V1}/saved-searches/{d['saved_search'].pk}/",
        owner_only(204),
    ),
    Operation("GET", "/api/v1/dashboard/", lambda d: f"{V1}/dashboard/?cycle=2", EVERYONE),
    Operation("GET", "/api/v1/snapshots/", lambda d: f"{V1}/snapshots/", EVERYONE),
    Operation(
        "GET", "/api/v1/snapshots/{id}/", lambda d: f"{V1}/snapshots/{d['snapshot'].pk}/", EVERYONE
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_each_role_gets_the_answer_its_rights_give(operation, clients, api_data):
    """One row of the matrix: the operation called by each role on the same data (each call
    rolled back, so that one role's write does not change what the next one meets)."""
    body = operation.body(api_data) if operation.body else None
    answers = {}
    for role in ROLES:
        with transaction.atomic():
            response = clients[role].generic(
                operation.method,
                operation.url(api_data),
                data=None if body is None else json.dumps(body),
                content_type="application/json",
            )
            answers[role] = response.status_code
            transaction.set_rollback(True)

    assert answers == operation.expected


@pytest.mark.django_db
def test_the_matrix_covers_every_operation_of_the_schema(api_data):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    in_schema = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in methods
    }

    assert in_schema == {(op.method, op.path) for op in OPERATIONS}
