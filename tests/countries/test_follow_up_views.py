"""The country page shows each need's source and the chains of needs across cycles; a focal
point proposes a link, staff accept it."""

import pytest
from django.urls import reverse

from needs.models import Acceptance, Need
from tests import factories

pytestmark = pytest.mark.django_db

KENYA_PAGE = reverse("countries:state_detail", args=["KEN"])
KENYA_NEEDS = reverse("countries:state_needs", args=["KEN"])
PROPOSE = reverse("needs:need_propose", args=["KEN"])


@pytest.fixture
def chain(home_state, published_review):
    """Kenya's published first-cycle need, carried on by a published second-cycle need that
    quotes its source."""
    first_review = factories.ReviewFactory(state=home_state, cycle=1)
    earlier = factories.NeedFactory(review=first_review, ref="N-FIRST", description="Old need")
    later = factories.NeedFactory(
        review=published_review,
        ref="N-SECOND",
        description="New need",
        source_paragraph="para 42",
        source_excerpt="Kenya " + "would benefit from training. " * 10,
    )
    Need.objects.filter(pk=later.pk).update(follows=earlier)
    return earlier, later


def test_the_needs_section_shows_the_source_and_both_ends_of_a_link(client, chain):
    page = client.get(KENYA_NEEDS).content.decode()

    assert 'data-testid="source-paragraph">para 42<' in page
    assert 'data-testid="source-excerpt-short"' in page  # shortened, the whole in <details>
    assert 'data-testid="source-excerpt"' in page
    assert 'data-testid="need-follows"' in page and "N-FIRST" in page
    assert 'data-testid="need-followed-by"' in page


def test_the_summary_counts_the_chains_and_the_needs_section_shows_each(client, chain):
    summary = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    assert 'data-testid="chain-total">1<' in summary
    assert f'href="{KENYA_NEEDS}#follow-up"' in summary
    assert 'data-testid="follow-up-chain" data-ref="N-FIRST"' in needs
    assert 'data-testid="follow-up-later" data-ref="N-SECOND"' in needs


def test_the_public_sees_no_chain_to_an_unpublished_need(client, chain):
    earlier, _later = chain
    earlier.review.executive_summary_published = False
    earlier.review.save()

    summary = client.get(KENYA_PAGE).content.decode()
    needs = client.get(KENYA_NEEDS).content.decode()

    assert "chain-total" not in summary
    assert "N-FIRST" not in needs and "follow-up-chain" not in needs


def test_the_needs_section_costs_the_same_queries_with_more_links(
    client, chain, published_review, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        client.get(KENYA_NEEDS)
    earlier, _ = chain
    for _ in range(6):
        more = factories.NeedFactory(review=published_review, source_paragraph="para 1")
        Need.objects.filter(pk=more.pk).update(follows=earlier)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(KENYA_NEEDS)


def test_a_focal_point_proposes_a_link_that_staff_accept(
    client_as, focal_point, staff, chain, published_review
):
    earlier, _ = chain
    form = client_as(focal_point).get(PROPOSE)
    assert "N-FIRST" in form.content.decode()

    response = client_as(focal_point).post(
        PROPOSE,
        {
            "placement": f"article:{factories.article(5).pk}",
            "category": factories.category("capacity_building").pk,
            "description": "Carry on the first-cycle training",
            "follows": earlier.pk,
            "source_paragraph": "para 7",
        },
    )

    proposal = Need.objects.get(description="Carry on the first-cycle training")
    assert response.status_code == 302
    assert (proposal.acceptance, proposal.follows, proposal.source_paragraph) == (
        Acceptance.PROPOSED,
        earlier,
        "para 7",
    )
    listing = client_as(staff).get(reverse("needs:proposals")).content.decode()
    assert 'data-testid="proposal-follows"' in listing
    client_as(staff).post(
        reverse("needs:proposal_decide", args=[proposal.pk]), {"decision": "accept"}
    )
    assert set(earlier.followed_by.filter(Need.COUNTED).values_list("ref", flat=True)) == {
        "N-SECOND",
        proposal.ref,
    }


def test_a_proposal_cannot_follow_a_need_of_its_own_cycle(client_as, focal_point, chain):
    earlier, _ = chain

    response = client_as(focal_point).post(
        PROPOSE,
        {
            "placement": f"article:{factories.article(15).pk}",
            "category": factories.category("capacity_building").pk,
            "description": "A first-cycle proposal",
            "follows": earlier.pk,
        },
    )

    assert response.status_code == 400
    assert "only a need of a later cycle can follow it" in response.content.decode()
    assert not Need.objects.filter(description="A first-cycle proposal").exists()
