from decimal import Decimal

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assistance import fields as editable
from assistance.models import (
    Activity,
    ActivityNeedLink,
    Donor,
    DonorInterest,
    Extent,
    FundingContribution,
    InterestKind,
    Provider,
)
from core.api.fields import CodeField, StrictBooleanField, StrictJsonTypes
from needs.models import Need
from reviews.models import State

CURRENCY = {"regex": r"^[A-Z]{3}$", "help_text": "ISO 4217 code, e.g. USD."}


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", *editable.PROVIDER_FIELDS]


class DonorSerializer(StrictJsonTypes, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: StrictBooleanField,
    }

    country = CodeField(
        slug_field="iso3",
        queryset=State.objects.all(),
        allow_null=True,
        required=False,
        help_text="ISO3 code of the donor's country, if any.",
    )

    class Meta:
        model = Donor
        fields = ["id", *editable.DONOR_FIELDS]
        # A duplicate name is reported by the service, in the same words as on the pages.
        extra_kwargs = {"name": {"validators": []}}


class ActivityNeedLinkSerializer(serializers.ModelSerializer):
    need = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    state = serializers.CharField(source="need.review.state.iso3", read_only=True)

    class Meta:
        model = ActivityNeedLink
        fields = ["need", "state", "extent"]


class ActivityFundingSerializer(serializers.ModelSerializer):
    donor_name = serializers.CharField(source="donor.name", read_only=True)

    class Meta:
        model = FundingContribution
        fields = ["id", *editable.FUNDING_FIELDS, "donor_name"]


class ActivitySerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    beneficiary_states = serializers.SerializerMethodField(help_text="ISO3 codes.")
    needs = ActivityNeedLinkSerializer(
        source="visible_links",
        many=True,
        read_only=True,
        help_text="The needs it addresses (those you may see), fully or partly.",
    )
    funding = ActivityFundingSerializer(source="funding_list", many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            *editable.ACTIVITY_FIELDS,
            "provider_name",
            "needs",
            "funding",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_beneficiary_states(self, activity) -> list[str]:
        return [state.iso3 for state in activity.beneficiaries_list]


class ActivityWriteSerializer(StrictJsonTypes, serializers.ModelSerializer):
    beneficiary_states = serializers.SlugRelatedField(
        slug_field="iso3", queryset=State.objects.all(), many=True, required=False
    )
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    budget_currency = serializers.RegexField(required=False, **CURRENCY)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` you last read; the change is refused (409) if the activity "
        "was saved since. Also accepted as the `If-Match` header.",
    )

    class Meta:
        model = Activity
        fields = [*editable.ACTIVITY_FIELDS, "version"]
        # A duplicate reference is reported by the service, as on the pages.
        extra_kwargs = {"ref": {"validators": []}}


class ActivityCreateSerializer(ActivityWriteSerializer):
    class Meta(ActivityWriteSerializer.Meta):
        fields = list(editable.ACTIVITY_FIELDS)


class NeedLinkRequestSerializer(StrictJsonTypes, serializers.Serializer):
    need = serializers.SlugRelatedField(
        slug_field="ref", queryset=Need.objects.all(), help_text="The need's reference."
    )
    extent = serializers.ChoiceField(choices=Extent.choices, default=Extent.PARTIAL)


class NeedUnlinkRequestSerializer(StrictJsonTypes, serializers.Serializer):
    need = serializers.SlugRelatedField(
        slug_field="ref", queryset=Need.objects.all(), help_text="The need's reference."
    )


class FundingSerializer(StrictJsonTypes, serializers.ModelSerializer):
    activity = serializers.SlugRelatedField(slug_field="ref", queryset=Activity.objects.all())
    donor_name = serializers.CharField(source="donor.name", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    currency = serializers.RegexField(required=False, **CURRENCY)
    year = serializers.IntegerField(min_value=1990, max_value=2100)

    class Meta:
        model = FundingContribution
        fields = ["id", "activity", *editable.FUNDING_FIELDS, "donor_name"]


class DonorInterestSerializer(serializers.ModelSerializer):
    donor_name = serializers.CharField(source="donor.name", read_only=True)
    need = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    state = serializers.CharField(source="need.review.state.iso3", read_only=True)
    created_by = serializers.SerializerMethodField(help_text="Who registered it.")
    active = serializers.SerializerMethodField(help_text="Not withdrawn.")

    class Meta:
        model = DonorInterest
        fields = [
            "id",
            "donor",
            "donor_name",
            "need",
            "state",
            *editable.INTEREST_FIELDS,
            "created_by",
            "created_at",
            "withdrawn_at",
            "active",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by(self, interest) -> str | None:
        person = interest.created_by
        return (person.get_full_name() or person.username) if person else None

    def get_active(self, interest) -> bool:
        return interest.withdrawn_at is None


class DonorInterestCreateSerializer(StrictJsonTypes, serializers.Serializer):
    need = serializers.SlugRelatedField(
        slug_field="ref", queryset=Need.objects.all(), help_text="The need's reference."
    )
    kind = serializers.ChoiceField(choices=InterestKind.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False
    )
    currency = serializers.RegexField(required=False, default="USD", **CURRENCY)

    def validate_need(self, need):
        # A need the donor may not see does not exist for them: the same answer, in the same
        # words (the field's own, in the request's language), as for a reference nobody has.
        user = self.context["request"].user
        if not Need.objects.visible_to(user).filter(pk=need.pk).exists():
            self.fields["need"].fail("does_not_exist", slug_name="ref", value=need.ref)
        return need
