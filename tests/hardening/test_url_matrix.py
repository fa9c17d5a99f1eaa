"""Every URL pattern and every API operation, for every role and method, against the table of
what each must answer. A URL without an entry fails the test, with the line to review and add.

Each cell is one request with an empty body, made inside a savepoint that is rolled back, so
that cells do not depend on one another. A refused request (sign-in asked, 400, 401, 403, 404,
405, 409) must also have written nothing: the test compares a fingerprint of the data before
and after it. The admin's own URLs follow one rule (below) rather than a line each. No page
may carry an inline style (a <style> element, a style="" attribute): the Content Security
Policy blocks it.

Tokens: a status code, `login` (redirect to the sign-in page), `admin-login` (redirect to the
admin's sign-in page). Columns: anonymous, donor, focal point of the State (Kenya), focal point
of another State (Peru), Secretariat staff, administrator. The objects are Kenya's.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from .url_matrix import (
    ROLES,
    arguments_for,
    build_world,
    inline_styles,
    methods_of,
    request_cell,
    url_for,
    walk_urlconf,
)

EXPECTED = {
    # --- core ----------------------------------------------------------------------------
    "home": {"GET": "200 200 302 302 200 200", "POST": "405 405 405 405 405 405"},
    "healthz": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "favicon": {"GET": "302 302 302 302 302 302", "POST": "405 405 405 405 405 405"},
    "login": {"GET": "200 302 302 302 302 302", "POST": "200 302 302 302 302 302"},
    "logout": {"GET": "405 405 405 405 405 405", "POST": "302 302 302 302 302 302"},
    "lockout_list": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 302 302"},
    "api_tokens": {"GET": "login 403 403 403 403 200", "POST": "login 403 403 403 403 404"},
    # --- imports (core) ------------------------------------------------------------------
    "imports:upload": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "imports:template": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "imports:job": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 405 405"},
    "imports:job_status": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "imports:job_problems": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "imports:job_confirm": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 302 409",
    },
    "imports:job_recheck": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 409 409",
    },
    # --- reviews -------------------------------------------------------------------------
    "reviews:review_list": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "reviews:review_create": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 200 200",
    },
    "reviews:review_detail": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "reviews:review_edit": {
        "GET": "login 403 403 403 200 200",
        # An empty submission does not say which version it changes: refused, nothing written.
        "POST": "login 403 403 403 400 400",
    },
    "reviews:review_delete": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 409 409",
    },
    "reviews:review_history": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "countries:state_list": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "countries:state_detail": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "countries:state_actions": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "countries:state_needs": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "countries:state_proposals": {
        "GET": "login 403 200 403 200 200",
        "POST": "login 405 405 405 405 405",
    },
    "countries:state_assistance": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "countries:state_interest": {
        "GET": "login 200 200 200 200 200",
        "POST": "login 405 405 405 405 405",
    },
    # --- needs ---------------------------------------------------------------------------
    "needs:need_list": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 405 405"},
    "needs:need_export": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "needs:need_create": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 200 200"},
    "needs:need_edit": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 400 400"},
    "needs:need_delete": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 302 302"},
    "needs:need_history": {"GET": "login 403 403 403 200 200", "POST": "login 403 403 403 405 405"},
    "needs:deleted_needs": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "needs:need_restore": {"GET": "login 403 403 403 405 405", "POST": "login 403 403 403 302 302"},
    "needs:need_confirm": {"GET": "login 405 405 405 405 405", "POST": "login 403 302 403 302 302"},
    "needs:need_status": {"GET": "login 403 200 403 200 200", "POST": "login 403 400 403 400 400"},
    "needs:need_propose": {"GET": "login 403 200 403 200 200", "POST": "login 403 400 403 400 400"},
    # Follow-up actions: the focal point of the need's State and staff record them.
    "needs:action_create": {
        "GET": "login 403 200 403 200 200",
        "POST": "login 403 400 403 400 400",
    },
    "needs:action_edit": {"GET": "login 403 200 403 200 200", "POST": "login 403 400 403 400 400"},
    "needs:action_delete": {
        "GET": "login 403 200 403 200 200",
        "POST": "login 403 302 403 302 302",
    },
    "needs:action_export": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "needs:proposals": {"GET": "login 403 403 403 200 200", "POST": "login 405 405 405 405 405"},
    "needs:proposal_decide": {
        "GET": "login 405 405 405 405 405",
        "POST": "login 403 403 403 400 400",
    },
    # --- assistance ----------------------------------------------------------------------
    "assistance:activity_list": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:activity_csv": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:activity_xlsx": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:iati": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "assistance:activity_create": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    # The former address of the activity import: to the import page.
    "assistance:activity_import": {
        "GET": "login 403 403 403 302 302",
        "POST": "login 403 403 403 405 405",
    },
    "assistance:activity_detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:activity_edit": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:activity_delete": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 302 302",
    },
    "assistance:activity_link_need": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:activity_unlink_need": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 302 302",
    },
    "assistance:funding_add": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:funding_remove": {
        "GET": "login 403 403 403 405 405",
        "POST": "login 403 403 403 302 302",
    },
    "assistance:provider_list": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "assistance:provider_create": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:provider_edit": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:donor_list": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 405 405",
    },
    "assistance:donor_create": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:donor_edit": {
        "GET": "login 403 403 403 200 200",
        "POST": "login 403 403 403 400 400",
    },
    "assistance:catalogue": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "assistance:catalogue_csv": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:catalogue_xlsx": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:shared_needs": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:shared_needs_csv": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:shared_needs_xlsx": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:catalogue_need": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    "assistance:interest_register": {
        "GET": "405 405 405 405 405 405",
        "POST": "login 400 403 403 403 403",
    },
    "assistance:interest_withdraw": {
        "GET": "405 405 405 405 405 405",
        "POST": "login 302 403 403 302 302",
    },
    # --- alerts: one's own saved searches (the donor's here); the e-mails' unsubscribe link --
    "alerts:saved_search_list": {
        "GET": "login 200 200 200 200 200",
        "POST": "login 405 405 405 405 405",
    },
    "alerts:saved_search_create": {
        "GET": "405 405 405 405 405 405",
        "POST": "login 400 400 400 400 400",
    },
    "alerts:saved_search_edit": {
        "GET": "login 200 404 404 404 404",
        "POST": "login 400 404 404 404 404",
    },
    "alerts:saved_search_delete": {
        "GET": "login 200 404 404 404 404",
        "POST": "login 302 404 404 404 404",
    },
    # Signed in or not: the link's signed token is the permission (GET asks, POST turns off).
    "alerts:unsubscribe": {"GET": "200 200 200 200 200 200", "POST": "200 200 200 200 200 200"},
    # --- dashboard -----------------------------------------------------------------------
    "dashboard:index": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "dashboard:figure_csv": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "dashboard:snapshots": {"GET": "200 200 200 200 200 200", "POST": "403 403 403 403 400 400"},
    "dashboard:snapshot_delete": {
        "GET": "403 403 403 403 200 200",
        "POST": "403 403 403 403 302 302",
    },
    "dashboard:snapshot_download": {
        "GET": "200 200 200 200 200 200",
        "POST": "405 405 405 405 405 405",
    },
    # --- core ----------------------------------------------------------------------------
    "api-dashboard": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    # --- api -----------------------------------------------------------------------------
    "api:me": {"GET": "401 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:my-token": {
        "GET": "405 405 405 405 405 405",
        "POST": "401 201 201 201 201 201",
        "DELETE": "401 204 204 204 204 204",
    },
    "api:region-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:region-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:state-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:state-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:chapter-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:chapter-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:article-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:article-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:review-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 400 400"},
    "api:review-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 403 403 403 409 409",
        "PATCH": "401 403 403 403 200 200",
        "PUT": "401 403 403 403 200 200",
    },
    "api:category-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:category-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:theme-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:theme-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:need-list": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 400 400",
        "HEAD": "200 200 200 200 200 200",
    },
    "api:need-propose": {"GET": "405 405 405 405 405 405", "POST": "401 403 400 400 400 400"},
    "api:need-suggest": {"GET": "405 405 405 405 405 405", "POST": "401 403 400 400 400 400"},
    "api:need-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 403 403 403 204 204",
        "PATCH": "401 403 403 403 200 200",
        "PUT": "401 403 403 403 400 400",
    },
    "api:need-confirm": {"GET": "405 405 405 405 405 405", "POST": "401 403 200 403 200 200"},
    "api:need-action-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 400 403 400 400"},
    "api:need-action-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 403 204 403 204 204",
        "PATCH": "401 403 200 403 200 200",
        "PUT": "401 403 400 403 400 400",
    },
    "api:need-decide": {"GET": "405 405 405 405 405 405", "POST": "401 403 403 403 400 400"},
    "api:need-set-status": {"GET": "405 405 405 405 405 405", "POST": "401 403 400 403 400 400"},
    "api:provider-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:provider-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:donor-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 400 400"},
    "api:donor-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "PATCH": "401 403 403 403 200 200",
        "PUT": "401 403 403 403 400 400",
    },
    "api:activity-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 400 400"},
    "api:activity-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 403 403 403 204 204",
        "PATCH": "401 403 403 403 200 200",
        "PUT": "401 403 403 403 400 400",
    },
    "api:activity-link": {"GET": "405 405 405 405 405 405", "POST": "401 403 403 403 400 400"},
    "api:activity-unlink": {"GET": "405 405 405 405 405 405", "POST": "401 403 403 403 400 400"},
    "api:funding-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 400 400"},
    "api:funding-detail": {
        "GET": "200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 403 403 403 204 204",
    },
    "api:donor-interest-list": {
        "GET": "401 200 200 200 200 200",
        "POST": "401 400 403 403 403 403",
    },
    "api:donor-interest-detail": {
        "GET": "401 200 200 200 200 200",
        "POST": "401 403 403 403 403 403",
    },
    "api:donor-interest-withdraw": {
        "GET": "401 405 405 405 405 405",
        "POST": "401 200 403 403 200 200",
    },
    "api:shared-need-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:saved-search-list": {
        "GET": "401 200 200 200 200 200",
        "POST": "401 400 400 400 400 400",
    },
    "api:saved-search-detail": {
        "GET": "401 200 404 404 404 404",
        "POST": "401 403 403 403 403 403",
        "DELETE": "401 204 404 404 404 404",
        "PATCH": "401 200 404 404 404 404",
        "PUT": "401 400 404 404 404 404",
    },
    "api:snapshot-list": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:snapshot-detail": {"GET": "200 200 200 200 200 200", "POST": "401 403 403 403 403 403"},
    "api:schema": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "api:docs": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    "api:redoc": {"GET": "200 200 200 200 200 200", "POST": "405 405 405 405 405 405"},
    # --- core ----------------------------------------------------------------------------
    "api/^(?P<unmatched>[\\s\\S]*)\\Z": {
        "GET": "404 404 404 404 404 404",
        "POST": "404 404 404 404 404 404",
    },
    "set_language": {"GET": "302 302 302 302 302 302", "POST": "302 302 302 302 302 302"},
}

# Query strings for URLs that need one to answer at all.
QUERY = {"api-dashboard": "?cycle=2"}

# The admin: only administrators (is_staff) get in; everyone else is sent to its sign-in page.
# What an administrator gets depends on what each ModelAdmin allows (read-only admins refuse
# add/change with 403); it is never an error and never a sign-in page.
ADMIN_OUTSIDERS = ("anonymous", "donor", "focal_point", "other_focal_point", "staff")
ADMIN_ANSWERS = {"200", "302", "403", "404", "405"}
ADMIN_OWN_PAGES = {
    # The admin's sign-in page shows itself to everyone who is not in yet.
    "admin:login": {
        "GET": "200 200 200 200 200 302",
        "POST": "200 200 200 200 200 200",
    },
    "admin:logout": {
        "GET": "302 302 302 302 302 405",
        "POST": "302 302 302 302 302 302",
    },
}

# Refusals: these cells must leave the data as it was.
REFUSALS = {"login", "admin-login", "400", "401", "403", "404", "405", "409"}


def is_admin(route) -> bool:
    return route.route.startswith("admin/")


def expected_row(route, method: str) -> list[str] | None:
    if route.key in ADMIN_OWN_PAGES:
        return ADMIN_OWN_PAGES[route.key][method].split()
    if is_admin(route):
        return None  # by rule, see check_admin_cell
    entry = EXPECTED.get(route.key, {})
    # HEAD answers as GET does (HTTP semantics; DRF routes it to the same action).
    row = entry.get(method, entry.get("GET") if method == "HEAD" else None)
    return row.split() if row is not None else None


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


def schema_path(route) -> str:
    """`api/v1/^needs/(?P<ref>[^/ ]+)/$` → `/api/v1/needs/{ref}/`, as the schema writes it."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    # drf-spectacular names a primary key `id`.
    return "/" + path.replace("^", "").replace("$", "").replace("{pk}", "{id}")


@pytest.fixture
def world(people, home_state, published_review, published_need, unpublished_need):
    return build_world(people, home_state, published_review, published_need, unpublished_need)


def test_every_url_answers_every_role_as_the_table_says(world, people):
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    missing, wrong, written, styles = [], [], [], []
    cells = 0
    walked_operations = set()

    for route in walk_urlconf():
        url = url_for(route, arguments_for(route, world)) + QUERY.get(route.key, "")
        for method in methods_of(route):
            walked_operations.add((schema_path(route), method))
            expected = expected_row(route, method)
            observed = []
            for column, role in enumerate(ROLES):
                refusal = expected is None or expected[column] in REFUSALS
                token, unchanged, response = request_cell(
                    clients[role], people[role], method, url, check_unchanged=refusal
                )
                styles.extend(f"{method} {url} as {role}: {s}" for s in inline_styles(response))
                observed.append(token)
                cells += 1
                if token in REFUSALS and not unchanged:
                    written.append(f"{method} {url} as {role}: {token} but data was written")
            if is_admin(route) and expected is None:
                wrong += check_admin_cell(route, method, url, observed)
            elif expected is None:
                missing.append(f'    "{route.key}": {{"{method}": "{" ".join(observed)}"}},')
            elif observed != expected:
                wrong.append(
                    f"{method} {url}: expected {' '.join(expected)}, got {' '.join(observed)}"
                )

    assert not missing, (
        "URLs without an entry in EXPECTED (check each against the permission rules "
        "before adding it):\n" + "\n".join(missing)
    )
    assert not wrong, "\n".join(wrong)
    assert not written, "\n".join(written)
    assert not styles, "Inline style, blocked by the policy:\n" + "\n".join(styles)
    unwalked = schema_operations() - walked_operations
    assert not unwalked, f"API operations the matrix did not reach: {sorted(unwalked)}"
    report = settings.BASE_DIR / "test-artifacts" / "url-matrix.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text(f"{cells} URL x role x method cells checked\n")
    assert cells > 1000


def check_admin_cell(route, method: str, url: str, observed: list[str]) -> list[str]:
    problems = []
    by_role = dict(zip(ROLES, observed, strict=True))
    for role in ADMIN_OUTSIDERS:
        if by_role[role] != "admin-login":
            problems.append(f"{method} {url} as {role}: {by_role[role]}, not the admin sign-in")
    if by_role["administrator"] not in ADMIN_ANSWERS:
        problems.append(f"{method} {url} as administrator: {by_role['administrator']}")
    return problems
