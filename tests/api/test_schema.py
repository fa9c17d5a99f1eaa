import pytest
from django.db import OperationalError, connection
from django.db.models import QuerySet
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from core.api.schema import _reference_values
from reviews.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_data):
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return generated


def test_the_schema_generates_without_warnings_or_errors(schema):
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    validate_schema(schema)


def test_every_operation_documents_its_error_codes(schema):
    missing = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            # Any operation may be sent a query parameter it does not take (400).
            expected = {"400", "401"}
            if method != "get":
                expected |= {"403", "409"}
            if "{" in path:
                expected.add("404")
            if not expected <= codes:
                missing[f"{method.upper()} {path}"] = sorted(expected - codes)

    assert missing == {}


def test_the_400_says_unknown_parameters_and_sort_fields_are_refused(schema):
    response = schema["paths"]["/api/v1/needs/{ref}/"]["get"]["responses"]["400"]

    assert "A query parameter the operation does not take" in response["description"]
    assert "a field a list cannot sort by" in response["description"]


def test_lists_without_a_filterset_document_the_fields_they_sort_by(schema):
    parameters = schema["paths"]["/api/v1/funding/"]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")

    assert ordering["schema"]["items"]["enum"] == ["year", "amount", "-year", "-amount"]
    assert (ordering["style"], ordering["explode"]) == ("form", False)


def test_errors_are_documented_with_the_error_shape(schema):
    response = schema["paths"]["/api/v1/needs/{ref}/"]["patch"]["responses"]["409"]

    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Conflict"
    }


def test_reads_say_the_public_may_call_them_and_writes_do_not(schema):
    needs = schema["paths"]["/api/v1/needs/"]

    assert {} in needs["get"]["security"]
    assert {} not in needs["post"]["security"]
    assert {} not in schema["paths"]["/api/v1/donor-interests/"]["get"]["security"]


def test_the_schema_is_served_at_api_schema(client, api_data):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "TA Needs Tracker API"


def test_the_filters_list_no_codes_while_the_reference_table_does_not_exist(monkeypatch):
    # As `check --deploy` before `migrate`: the query fails and the table is not there.
    monkeypatch.setattr(QuerySet, "order_by", _failing_query)
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])

    assert _reference_values(State.objects.all(), "iso3") is None


def test_any_other_database_error_while_listing_codes_is_raised(monkeypatch):
    monkeypatch.setattr(QuerySet, "order_by", _failing_query)

    with pytest.raises(OperationalError, match="the server went away"):
        _reference_values(State.objects.all(), "iso3")


def _failing_query(*args, **kwargs):
    raise OperationalError("the server went away")
