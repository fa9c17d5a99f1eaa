"""A need's reference typed in any case (the activities' need filter, a link's form) is found
through the index on UPPER(ref) (needs 0013), not by reading every need."""

import pytest
from django.db import connection

from needs.models import Need

pytestmark = pytest.mark.django_db


def test_a_reference_is_found_in_any_case(published_need):
    assert Need.objects.get(ref__iexact=published_need.ref.lower()) == published_need


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_reference_in_any_case_is_found_through_its_index(published_need):
    queryset = Need.objects.filter(ref__iexact=published_need.ref.lower()).values("pk")
    with connection.cursor() as cursor:
        # On a few rows reading the table is as cheap; with that ruled out, only an index on
        # the expression Django's iexact compares can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "need_ref_upper" in plan, plan
