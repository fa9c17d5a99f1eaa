import pytest
from django.template import Context, Template
from django.test import RequestFactory

from assistance.models import ActivityNeedLink
from tests import factories

pytestmark = pytest.mark.django_db


def render(need, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load assistance_tags %}{% need_assistance need %}")
    return template.render(Context({"request": request, "need": need}))


def test_it_lists_assistance_for_everyone_and_interest_for_signed_in_users(
    activity, published_need, people, donor
):
    ActivityNeedLink.objects.create(activity=activity, need=published_need, extent="full")
    factories.DonorInterestFactory(need=published_need, donor=donor.donor)
    public = render(published_need, people["anonymous"])
    assert activity.title in public
    assert donor.donor.name not in public
    assert donor.donor.name in render(published_need, people["focal_point"])
