"""factory_boy factories over the reference data loaded by the migrations."""

import datetime

import factory
from factory.django import DjangoModelFactory

from assistance.models import Activity, ActivityNeedLink, Donor, DonorInterest, Provider
from core.models import Role, User
from needs.models import Category, Need, NeedAction, Theme
from reviews.models import Article, Chapter, Review, State


def state(iso3: str) -> State:
    return State.objects.get(iso3=iso3)


def chapter(roman: str) -> Chapter:
    return Chapter.objects.get(roman=roman)


def article(number: int) -> Article:
    return Article.objects.get(number=number)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def theme(code: str) -> Theme:
    return Theme.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    password = factory.django.Password("correct horse battery staple")


class DonorFactory(DjangoModelFactory):
    class Meta:
        model = Donor

    name = factory.Sequence(lambda n: f"Donor organisation {n}")


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")


class ReviewFactory(DjangoModelFactory):
    """A cycle 2 review of a State that has none yet, published unless told otherwise."""

    class Meta:
        model = Review
        skip_postgeneration_save = True

    state = factory.LazyFunction(
        lambda: (
            State.objects.filter(is_party=True).exclude(reviews__cycle=2).order_by("iso3").first()
        )
    )
    cycle = 2
    review_year = 2018
    self_assessment_submitted = datetime.date(2018, 3, 1)
    direct_dialogue = datetime.date(2018, 9, 1)
    executive_summary_completed = datetime.date(2019, 2, 1)
    executive_summary_published = True


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewFactory)
    chapter = factory.LazyAttribute(
        lambda n: (
            Chapter.objects.filter(reviewed_in_cycle=n.review.cycle).order_by("number").first()
        )
    )
    article = factory.LazyAttribute(lambda n: n.chapter.articles.order_by("number").first())
    category = factory.LazyFunction(lambda: Category.objects.get(code="capacity_building"))
    description = factory.Sequence(lambda n: f"Training for investigators on case {n}")
    identified_on = datetime.date(2019, 2, 1)


class NeedActionFactory(DjangoModelFactory):
    class Meta:
        model = NeedAction

    need = factory.SubFactory(NeedFactory)
    what = factory.Sequence(lambda n: f"Train the prosecutors, round {n}")
    responsible_institution = "Office of the Director of Public Prosecutions"
    due_date = datetime.date(2030, 6, 30)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"ACT-{n:05d}")
    title = factory.Sequence(lambda n: f"Assistance activity {n}")
    activity_type = "training"
    level = "national"
    provider = factory.SubFactory(ProviderFactory)


class ActivityNeedLinkFactory(DjangoModelFactory):
    class Meta:
        model = ActivityNeedLink

    activity = factory.SubFactory(ActivityFactory)
    need = factory.SubFactory(NeedFactory)
    extent = "partial"


class DonorInterestFactory(DjangoModelFactory):
    class Meta:
        model = DonorInterest

    donor = factory.SubFactory(DonorFactory)
    need = factory.SubFactory(NeedFactory)
    kind = "interest"


def make_user(role: str, **extra) -> User:
    if role == Role.DONOR and "donor" not in extra:
        extra["donor"] = DonorFactory()
    return UserFactory(role=role, **extra)
