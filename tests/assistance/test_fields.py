"""The editable fields of activities, providers, donors, funding and interest are named once
(assistance/fields.py); the forms, the API, the import and the services offer exactly those."""

import pytest

from assistance import fields, forms
from assistance.api import serializers
from assistance.imports import FILE_COLUMNS
from assistance.services import activity_update, donor_update, provider_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form", "names"),
    [
        (forms.ActivityForm, fields.ACTIVITY_FIELDS),
        (forms.ProviderForm, fields.PROVIDER_FIELDS),
        (forms.DonorForm, fields.DONOR_FIELDS),
        (forms.FundingForm, fields.FUNDING_FIELDS),
        (forms.InterestForm, fields.INTEREST_FIELDS),
    ],
)
def test_each_form_asks_for_the_editable_fields(form, names):
    assert set(form().fields) - {"version"} == set(names)


@pytest.mark.parametrize(
    ("serializer", "names"),
    [
        (serializers.ActivityWriteSerializer, {*fields.ACTIVITY_FIELDS, "version"}),
        (serializers.ActivityCreateSerializer, set(fields.ACTIVITY_FIELDS)),
        (serializers.DonorSerializer, {"id", *fields.DONOR_FIELDS}),
        (serializers.ProviderSerializer, {"id", *fields.PROVIDER_FIELDS}),
        (serializers.FundingSerializer, {"id", "activity", "donor_name", *fields.FUNDING_FIELDS}),
    ],
)
def test_each_serializer_offers_the_editable_fields(serializer, names):
    assert set(serializer().fields) == names


def test_the_import_reads_the_activity_fields_under_their_headers():
    names = [column.name for column in FILE_COLUMNS]

    assert names == [*fields.ACTIVITY_IMPORT_COLUMNS, "funding", "needs"]


def test_the_services_refuse_fields_that_are_not_editable(activity, provider):
    with pytest.raises(TypeError, match="version"):
        activity_update(activity=activity, version=7)
    with pytest.raises(TypeError, match="kind"):
        provider_update(provider=provider, kind="government")
    with pytest.raises(TypeError, match="is_unodc"):
        donor_update(donor=factories.DonorFactory(), is_unodc=True)
