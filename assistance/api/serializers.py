from decimal import Decimal

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assistance import fields as editable
from assistance.models import (
    Activity,
    ActivityNeedLink,
    ActivityStatus,
    ActivityType,
    Donor,
    DonorInterest,
    Extent,
    FundingContribution,
    InterestKind,
    Level,
    Provider,
)
from core.api.fields import CodeField, StrictBooleanField, StrictJsonTypes
from needs.models import Coverage, Need, Status
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


# --- Needs shared by several States of a region (read-only) --------------------------------
class _CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request.")


class _ChapterRefSerializer(serializers.Serializer):
    roman = serializers.CharField()
    title = serializers.CharField()


class _ArticleRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()


class _TaxonomyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class _StateRefSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()


class _SharedNeedSerializer(serializers.Serializer):
    ref = serializers.CharField()
    coverage = serializers.ChoiceField(choices=Coverage.choices)
    status = serializers.ChoiceField(choices=Status.choices)


class SharedNeedMemberSerializer(serializers.Serializer):
    state = _StateRefSerializer()
    coverage = serializers.ChoiceField(
        choices=Coverage.choices,
        help_text="The State's coverage in this group: unmet when every one of its needs here "
        "is, covered when every one is, partly covered otherwise.",
    )
    need_count = serializers.IntegerField(help_text="The State's needs in this group.")
    needs = _SharedNeedSerializer(
        many=True,
        allow_null=True,
        help_text="The State's first 10 needs in this group, by ref (`need_count` says how "
        "many it has; /api/v1/needs/ with its state, cycle, chapter, article, category and "
        "subcategory lists them all); null in CSV answers, which carry every group.",
    )


class RegionalActivitySerializer(serializers.Serializer):
    ref = serializers.CharField()
    title = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    linked_states = serializers.IntegerField(
        help_text="States of the group whose needs here the activity is linked to."
    )


class SharedNeedGroupSerializer(serializers.Serializer):
    region = _CodeNameSerializer()
    cycle = serializers.IntegerField()
    chapter = _ChapterRefSerializer()
    article = _ArticleRefSerializer(
        allow_null=True, help_text="Null for needs about the chapter in general."
    )
    category = _TaxonomyRefSerializer()
    subcategory = _TaxonomyRefSerializer(
        allow_null=True, help_text="Null: needs of the category without a subcategory."
    )
    states = serializers.IntegerField(help_text="States of the region with needs in this group.")
    needs = serializers.IntegerField()
    states_unmet = serializers.IntegerField(help_text="States whose needs here are all unmet.")
    states_partly_covered = serializers.IntegerField()
    states_covered = serializers.IntegerField(help_text="States whose needs here are all covered.")
    members = SharedNeedMemberSerializer(many=True, help_text="The States, by name.")
    regional_activities = RegionalActivitySerializer(
        many=True,
        help_text="Activities linked to these needs that are regional (regional level or a "
        "regional platform) or linked to them in at least two of the States.",
    )
