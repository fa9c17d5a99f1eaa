"""What the URL matrix test walks: every pattern of the root URLConf, the objects that fill
their arguments, and the request made for each role and method, each undone afterwards."""

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alerts.sending import unsubscribe_token
from alerts.services import saved_search_create
from assistance.models import DonorInterest, FundingContribution
from core.models import ImportJob, ImportStatus, User
from dashboard.services import recompute_figures, snapshot_create
from needs.models import Acceptance, Need
from needs.services import need_delete
from tests import factories

ROLES = ("anonymous", "donor", "focal_point", "other_focal_point", "staff", "administrator")
METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route as written, its name (namespaced) and its arguments."""

    route: str
    name: str | None
    arguments: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name or self.route


def walk_urlconf(patterns=None, prefix: str = "", namespace: str | None = None):
    """Every URL pattern under the root URLConf, however deeply included."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_urlconf(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            route = prefix + str(pattern.pattern)
            named = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
            # Unnamed regex groups (django-simple-history's admin) are passed by position.
            positional = [f"_{n}" for n in range(len(re.findall(r"\((?!\?)", route)))]
            arguments = tuple(dict.fromkeys(named + positional))
            yield Route(route=route, name=name, arguments=arguments)


@dataclass
class World:
    """Objects of the home State (Kenya) that the URLs point at, with the `people` fixture."""

    people: dict
    review: object
    need: object
    unpublished_need: object
    proposal: object
    deleted_need_history_id: int
    activity: object
    funding: object
    interest: object
    snapshot: object
    import_job: object
    saved_search: object
    action: object


def build_world(people, home_state, published_review, published_need, unpublished_need):
    donor_org = people["donor"].donor
    proposal = factories.NeedFactory(
        review=published_review,
        acceptance=Acceptance.PROPOSED,
        proposed_by=people["focal_point"],
        description="Proposed by the focal point",
    )
    doomed = factories.NeedFactory(review=published_review, description="Deleted need")
    doomed_id = doomed.pk
    need_delete(need=doomed, user=people["staff"])
    deleted_history_id = Need.history.get(id=doomed_id, history_type="-").history_id
    link = factories.ActivityNeedLinkFactory(need=published_need)
    link.activity.beneficiary_states.add(home_state)
    funding = FundingContribution.objects.create(
        activity=link.activity, donor=donor_org, amount=1000, year=2024
    )
    interest = DonorInterest.objects.create(
        donor=donor_org, need=published_need, kind="interest", created_by=people["donor"]
    )
    recompute_figures()
    snapshot = snapshot_create(
        label="End of 2025", taken_on=datetime.date(2025, 12, 31), user=people["staff"]
    )
    import_job = ImportJob.objects.create(
        kind="needs",
        filename="needs.csv",
        data=b"state,cycle\n",
        status=ImportStatus.CHECKED,
        created_by=people["staff"],
    )
    # The donor's, with its alert on: only they see it; its unsubscribe link works for anyone.
    saved_search = saved_search_create(
        owner=people["donor"], name="Kenya", view="catalogue", query={"state": "KEN"}, alert="daily"
    )
    action = factories.NeedActionFactory(need=published_need)
    return World(
        action=action,
        people=people,
        review=published_review,
        need=published_need,
        unpublished_need=unpublished_need,
        proposal=proposal,
        deleted_need_history_id=deleted_history_id,
        activity=link.activity,
        funding=funding,
        interest=interest,
        snapshot=snapshot,
        import_job=import_job,
        saved_search=saved_search,
    )


def admin_arguments(route: Route) -> dict:
    """Arguments for the admin's URLs: an existing object of the model the URL is about."""
    values = {}
    match = re.match(r"admin/(\w+)/(\w+)/", route.route)
    model = None
    if match:
        try:
            model = apps.get_model(match[1], match[2])
        except LookupError:
            model = None
    first = model.objects.order_by("pk").first() if model is not None else None
    for argument in route.arguments:
        if argument in ("object_id", "id", "_0"):
            values[argument] = str(first.pk) if first is not None else "0"
        elif argument == "_1":  # a history entry of that object
            history = getattr(first, "history", None)
            entry = history.order_by("history_id").first() if history is not None else None
            values[argument] = str(entry.history_id) if entry is not None else "0"
        elif argument == "app_label":
            values[argument] = "core"
        elif argument == "content_type_id":
            values[argument] = ContentType.objects.get_for_model(User).pk
        elif argument == "url":
            values[argument] = "no-such-page/"
    return values


def methods_of(route: Route) -> tuple[str, ...]:
    """GET and POST for every URL, and whatever else an API endpoint answers (PUT, PATCH,
    DELETE of its viewset's actions)."""
    callback = resolve_route(route).callback
    actions = dict(getattr(callback, "actions", None) or {})
    # DRF adds HEAD to a viewset's actions only once the view has served a request, which
    # made the method list depend on the tests that ran before: add it as DRF will.
    if "get" in actions:
        actions.setdefault("head", actions["get"])
    extra = sorted(method.upper() for method in actions if method not in ("get", "post"))
    return (*METHODS, *extra)


def resolve_route(route: Route):
    for pattern in _patterns_by_route():
        if pattern[0] == route.route:
            return pattern[1]
    raise LookupError(route.route)


def _patterns_by_route():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    return walk(get_resolver().url_patterns)


def outcome_token(response) -> str:
    """The status, and for a redirect whether it goes to a sign-in page."""
    if response.status_code == 302:
        location = response.get("Location", "")
        if location.startswith(reverse("admin:login")):
            return "admin-login"
        if location.startswith(reverse("login")):
            return "login"
    return str(response.status_code)


def data_fingerprint() -> tuple:
    """Something that changes with any write to the data (not to sessions or sign-in records):
    on PostgreSQL the rows this transaction inserted, updated and deleted in every table;
    elsewhere the row count of every table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE relname NOT LIKE 'django_session%%' AND relname NOT LIKE 'axes_%%' "
                "ORDER BY relname"
            )
            return tuple(cursor.fetchall())
        tables = [
            m._meta.db_table for m in apps.get_models() if m._meta.db_table != "django_session"
        ]
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables))
        return cursor.fetchone()


def request_cell(client: Client, user, method: str, url: str, *, check_unchanged: bool):
    """One request as `user`, undone afterwards, so that no cell sees what another did.

    Returns the outcome token, whether the data was unchanged (when asked to check) and the
    response."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if user.is_authenticated and (session is None or not session.value):
        client.force_login(user)  # again, after a cell that signed out
    with transaction.atomic():
        before = data_fingerprint() if check_unchanged else None
        response = client.generic(method, url, data=b"{}", content_type="application/json")
        unchanged = data_fingerprint() == before if check_unchanged else True
        transaction.set_rollback(True)
    return outcome_token(response), unchanged, response


class _InlineStyles(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        self.found += [f'<{tag} style="{value}">' for name, value in attrs if name == "style"]


def inline_styles(response) -> list[str]:
    """The <style> elements and style="" attributes of an HTML page, which the Content
    Security Policy blocks."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = _InlineStyles()
    parser.feed(response.content.decode(response.charset or "utf-8"))
    return parser.found


def url_for(route: Route, kwargs: dict) -> str:
    if route.name is None:
        # An unnamed catch-all: fill its one argument by hand.
        path = re.sub(r"\^|\\Z|\$", "", route.route)
        for argument, value in kwargs.items():
            path = re.sub(rf"\(\?P<{argument}>[^)]*\)", str(value), path)
        return "/" + path
    positional = [kwargs.pop(key) for key in sorted(kwargs) if key.startswith("_")]
    if positional:
        return reverse(route.name, args=positional)
    return reverse(route.name, kwargs=kwargs)


def arguments_for(route: Route, world: World) -> dict:
    """The values that fill a route's arguments: the home State's objects."""
    if (route.name or "").startswith("admin:") or route.route.startswith("admin/"):
        return admin_arguments(route)
    name = route.name or route.route
    need, activity = world.need, world.activity
    by_argument = {
        "iso3": "KEN",
        "review_pk": world.review.pk,
        "need_ref": need.ref,
        "contribution_id": world.funding.pk,
        "interest_id": world.interest.pk,
        "action_id": world.action.pk,
        "history_id": world.deleted_need_history_id,
        "fmt": "csv",
        "kind": "needs",
        "slug": "by-chapter",
        "file_format": "json",
        "roman": "II",
        "number": need.article.number,
        "unmatched": "no-such-resource/",
        "token": unsubscribe_token(world.saved_search),
    }
    pk_by_name = {
        "reviews:": world.review.pk,
        "needs:proposal_decide": world.proposal.pk,
        "imports:": world.import_job.pk,
        "needs:": need.pk,
        "assistance:provider": activity.provider.pk,
        "assistance:donor": world.people["donor"].donor_id,
        "dashboard:": world.snapshot.pk,
        "alerts:": world.saved_search.pk,
        "api:saved-search": world.saved_search.pk,
        "api:need-action": world.action.pk,
        "api:review": world.review.pk,
        "api:provider": activity.provider.pk,
        "api:donor-interest": world.interest.pk,
        "api:donor": world.people["donor"].donor_id,
        "api:funding": world.funding.pk,
        "api:snapshot": world.snapshot.pk,
    }
    ref_by_name = {
        "assistance:catalogue": need.ref,
        "assistance:interest": need.ref,
        "assistance:": activity.ref,
        "api:activity": activity.ref,
        "": need.ref,
    }
    code_by_name = {
        "api:region": "african",
        "api:category": need.category.code,
        "api:theme": "technology",
    }

    def by_prefix(table: dict):
        for prefix, value in table.items():
            if name.startswith(prefix):
                return value
        raise LookupError(f"{name}: no object for its arguments; add one to arguments_for()")

    values = {}
    for argument in route.arguments:
        if argument == "pk":
            values[argument] = by_prefix(pk_by_name)
        elif argument == "ref":
            values[argument] = by_prefix(ref_by_name)
        elif argument == "code":
            values[argument] = by_prefix(code_by_name)
        else:
            values[argument] = by_argument[argument]
    return values
