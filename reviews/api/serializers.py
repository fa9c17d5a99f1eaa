from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import StrictBooleanField, StrictJsonTypes
from reviews.fields import EDITABLE_FIELDS, MILESTONE_FIELDS
from reviews.milestones import milestone_problems
from reviews.models import (
    CYCLE_CHOICES,
    Article,
    Chapter,
    DirectDialogue,
    RegionalGroup,
    Review,
    State,
)

STAGES = [
    ("not_started", _("No milestone reached yet")),
    ("self_assessment_submitted", _("Self-assessment checklist submitted")),
    ("direct_dialogue", _("Direct dialogue held")),
    ("executive_summary_completed", _("Executive summary completed")),
    ("country_report_completed", _("Country report completed")),
    ("executive_summary_published", _("Executive summary published")),
    ("country_report_published", _("Country report published")),
]


def review_stage(review: Review) -> str:
    """The furthest step the review has reached, publication counting above completion."""
    if review.country_report_published:
        return "country_report_published"
    if review.executive_summary_published:
        return "executive_summary_published"
    for field, _label in reversed(Review.MILESTONES):
        if getattr(review, field):
            return field
    return "not_started"


class RegionalGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionalGroup
        fields = ["code", "name"]


class DocumentLinkField(serializers.URLField):
    """A published document's address, null when there is none (stored as "")."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


# Declared once, used by the read serializers (each serializer copies its fields).
EXECUTIVE_SUMMARY_LINK = DocumentLinkField(
    help_text="Link to the published executive summary; null for none."
)
COUNTRY_REPORT_LINK = DocumentLinkField(
    help_text="Link to the published country report; null for none."
)


class ReviewStatusSerializer(serializers.ModelSerializer):
    """A State's review in one cycle, as far as the caller may see it."""

    stage = serializers.SerializerMethodField()
    executive_summary_url = EXECUTIVE_SUMMARY_LINK
    country_report_url = COUNTRY_REPORT_LINK

    class Meta:
        model = Review
        fields = [
            "id",
            "cycle",
            "review_year",
            "stage",
            "executive_summary_published",
            "country_report_published",
            "executive_summary_url",
            "country_report_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=STAGES))
    def get_stage(self, review) -> str:
        return review_stage(review)


class StateSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        source="regional_group", slug_field="code", read_only=True, allow_null=True
    )
    region_name = serializers.CharField(
        source="regional_group.name", read_only=True, allow_null=True, default=None
    )
    reviews = ReviewStatusSerializer(
        source="visible_reviews",
        many=True,
        read_only=True,
        help_text="Its reviews, one per cycle, that you may see (published ones for the public).",
    )

    class Meta:
        model = State
        fields = [
            "iso3",
            "name",
            "region",
            "region_name",
            "un_member",
            "is_party",
            "ratification_date",
            "reviews",
        ]


class ConventionArticleSerializer(serializers.ModelSerializer):
    chapter = serializers.SlugRelatedField(slug_field="roman", read_only=True)

    class Meta:
        model = Article
        fields = ["number", "title", "chapter"]


class ChapterArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["number", "title"]


class ConventionChapterSerializer(serializers.ModelSerializer):
    articles = ChapterArticleSerializer(many=True, read_only=True)

    class Meta:
        model = Chapter
        fields = ["roman", "number", "title", "reviewed_in_cycle", "articles"]


class ReviewSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    state_name = serializers.CharField(source="state.name", read_only=True)
    region = serializers.CharField(
        source="state.regional_group.code", read_only=True, allow_null=True, default=None
    )
    reviewing_states = serializers.SlugRelatedField(slug_field="iso3", many=True, read_only=True)
    direct_dialogue_kind = serializers.ChoiceField(
        choices=[("", _("Not recorded")), *DirectDialogue.choices], read_only=True
    )
    stage = serializers.SerializerMethodField()
    need_count = serializers.IntegerField(
        read_only=True, help_text="Accepted needs identified in this review."
    )
    executive_summary_url = EXECUTIVE_SUMMARY_LINK
    country_report_url = COUNTRY_REPORT_LINK

    class Meta:
        model = Review
        fields = [
            "id",
            "state",
            "state_name",
            "region",
            "cycle",
            "reviewing_states",
            *MILESTONE_FIELDS,
            "stage",
            "need_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=STAGES))
    def get_stage(self, review) -> str:
        return review_stage(review)


class ReviewUpdateSerializer(StrictJsonTypes, serializers.ModelSerializer):
    """The milestones of a review; its State and cycle never change."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: StrictBooleanField,
    }

    reviewing_states = serializers.SlugRelatedField(
        slug_field="iso3",
        many=True,
        queryset=State.objects.filter(is_party=True),
        required=False,
        help_text="The (at most two) reviewing States, by ISO3 code; parties only.",
    )
    direct_dialogue_kind = serializers.ChoiceField(
        choices=[("", _("Not recorded")), *DirectDialogue.choices], required=False
    )
    review_year = serializers.IntegerField(
        min_value=2006, max_value=2100, allow_null=True, required=False
    )
    executive_summary_url = serializers.URLField(
        max_length=500,
        allow_blank=True,
        required=False,
        help_text=_("Link to the published executive summary (http or https); empty for none."),
    )
    country_report_url = serializers.URLField(
        max_length=500,
        allow_blank=True,
        required=False,
        help_text=_("Link to the published country report (http or https); empty for none."),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` you last read; the change is refused (409) if the review "
        "was saved since. Also accepted as the `If-Match` header.",
    )

    class Meta:
        model = Review
        fields = [*EDITABLE_FIELDS, "version"]

    def validate_reviewing_states(self, value):
        if len(value) > 2:
            raise serializers.ValidationError(
                gettext("A review has two reviewing States, not more.")
            )
        return value

    def validate(self, attrs):
        """The milestones in order, explained field by field in the caller's language (the
        database would refuse them too, naming only a constraint)."""
        attrs = super().validate(attrs)
        values = {
            name: attrs[name] if name in attrs else getattr(self.instance, name, None)
            for name in MILESTONE_FIELDS
        }
        problems = milestone_problems(values)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class ReviewCreateSerializer(ReviewUpdateSerializer):
    state = serializers.SlugRelatedField(
        slug_field="iso3",
        queryset=State.objects.filter(is_party=True),
        help_text="The State party reviewed (ISO3 code).",
    )
    cycle = serializers.ChoiceField(choices=CYCLE_CHOICES)

    class Meta(ReviewUpdateSerializer.Meta):
        fields = ["state", "cycle", *EDITABLE_FIELDS]
        validators = []  # one review per State and cycle is checked by the service
