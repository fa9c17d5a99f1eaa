"""Edits made in the Django admin count as data changes, as the services' do."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.changes import data_version
from needs.models import Need
from reviews.models import Review
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_request():
    request = RequestFactory().post("/admin/")
    request.user = factories.UserFactory(is_staff=True, is_superuser=True)
    return request


@pytest.mark.parametrize("model", [Need, Review])
@pytest.mark.parametrize("edit", ["save", "delete"])
def test_an_edit_in_the_admin_moves_the_data_version_on(model, edit, admin_request):
    review = factories.ReviewFactory(state=factories.state("KEN"))
    row = factories.NeedFactory(review=review) if model is Need else review
    model_admin = admin.site._registry[model]
    before = data_version()

    if edit == "save":
        model_admin.save_model(admin_request, row, form=None, change=True)
    else:
        model_admin.delete_queryset(admin_request, model.objects.filter(pk=row.pk))

    assert data_version() == before + 1
