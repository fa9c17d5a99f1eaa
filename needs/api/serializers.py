from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.access import can_see_personal_data
from core.api.fields import CodeField, StrictBooleanField, StrictJsonTypes
from needs.fields import ACTION_FIELDS, EDITABLE_FIELDS
from needs.models import (
    SOURCE_EXCERPT_MAX_LENGTH,
    SOURCE_PARAGRAPH_MAX_LENGTH,
    Category,
    Need,
    NeedAction,
    Priority,
    Status,
    Subcategory,
    Theme,
)
from needs.suggestions import MAX_DESCRIPTION_LENGTH
from reviews.models import CYCLE_CHOICES, Article, Chapter, Review, State
from translations.lookup import localized


@extend_schema_field(OpenApiTypes.STR)
class LocalizedLabelField(serializers.Field):
    """The name of a reference row (State, taxonomy entry) in the language the caller asked
    for with Accept-Language, English when it has no translation; codes stay as they are."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return localized(value)


def label_field() -> LocalizedLabelField:
    return LocalizedLabelField(
        source="*", help_text=_("In the language of the request (Accept-Language).")
    )


class NeedSubcategorySerializer(serializers.ModelSerializer):
    label = label_field()

    class Meta:
        model = Subcategory
        fields = ["code", "label"]


class NeedCategorySerializer(serializers.ModelSerializer):
    label = label_field()
    subcategories = NeedSubcategorySerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["code", "label", "position", "subcategories"]


class NeedThemeSerializer(serializers.ModelSerializer):
    label = label_field()

    class Meta:
        model = Theme
        fields = ["code", "label", "position"]


class NeedRefField(CodeField):
    """A need named by its `ref`, among the needs the caller may see."""

    default_error_messages = {
        "does_not_exist": _("There is no need {value} that you may see."),
        "blank": _("Give a need's ref, or null for none."),
    }

    def get_queryset(self):
        request = self.context.get("request")
        return Need.objects.visible_to(getattr(request, "user", None)).select_related("review")


class NeedSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="review.state.iso3", read_only=True)
    state_name = LocalizedLabelField(
        source="review.state", help_text=_("In the language of the request (Accept-Language).")
    )
    region = serializers.CharField(
        source="review.state.regional_group.code", read_only=True, allow_null=True, default=None
    )
    cycle = serializers.IntegerField(source="review.cycle", read_only=True)
    chapter = serializers.SlugRelatedField(slug_field="roman", read_only=True)
    article = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subcategory = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    priority = serializers.ChoiceField(
        choices=[("", _("Not set")), *Priority.choices], read_only=True
    )
    is_stale = serializers.BooleanField(
        read_only=True, help_text=_("Not confirmed as still relevant for over a year.")
    )
    last_confirmed_by = serializers.SerializerMethodField(
        help_text=_("Who last confirmed the need; signed-in callers only (null for the public).")
    )
    follows = serializers.CharField(
        source="follows_ref",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_(
            "The ref of the need of the State's earlier cycle that this need carries on (null "
            "for none, or when you may not see that need)."
        ),
    )
    followed_by = serializers.SerializerMethodField(
        help_text=_(
            "The refs of the later-cycle needs that carry this need on (those you may see)."
        )
    )

    class Meta:
        model = Need
        fields = [
            "ref",
            "state",
            "state_name",
            "region",
            "cycle",
            "review",
            *EDITABLE_FIELDS,
            "coverage",
            "acceptance",
            "followed_by",
            "last_confirmed_on",
            "last_confirmed_by",
            "is_stale",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_last_confirmed_by(self, need) -> str | None:
        request = self.context.get("request")
        person = need.last_confirmed_by
        if person is None or not can_see_personal_data(getattr(request, "user", None)):
            return None
        return person.get_full_name() or person.username

    def get_followed_by(self, need) -> list[str]:
        return [successor.ref for successor in getattr(need, "visible_successors", [])]


class NeedUpdateSerializer(StrictJsonTypes, serializers.ModelSerializer):
    """What staff may change in a need; its review (State and cycle) never changes."""

    chapter = serializers.SlugRelatedField(
        slug_field="roman",
        queryset=Chapter.objects.all(),
        help_text=_("Roman numeral, e.g. `II`."),
    )
    article = CodeField(
        slug_field="number",
        queryset=Article.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Article number, in the chapter; null for the chapter in general."),
    )
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())
    subcategory = CodeField(
        slug_field="code", queryset=Subcategory.objects.all(), allow_null=True, required=False
    )
    themes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False
    )
    priority = serializers.ChoiceField(
        choices=[("", _("Not set")), *Priority.choices], required=False
    )
    description = serializers.CharField(max_length=20_000)
    description_language = serializers.CharField(max_length=10, required=False)
    source_paragraph = serializers.CharField(
        max_length=SOURCE_PARAGRAPH_MAX_LENGTH,
        allow_blank=True,
        required=False,
        help_text=_("Where the review identifies the need, e.g. `para 42`."),
    )
    source_excerpt = serializers.CharField(
        max_length=SOURCE_EXCERPT_MAX_LENGTH,
        allow_blank=True,
        required=False,
        trim_whitespace=True,
        help_text=_(
            "The sentence of the review that identifies the need (at most 2,000 characters)."
        ),
        error_messages={
            "max_length": _(
                "A source excerpt has at most {max_length} characters: quote the sentence "
                "that identifies the need."
            )
        },
    )
    follows = NeedRefField(
        slug_field="ref",
        allow_null=True,
        required=False,
        help_text=_(
            "The ref of the need of the same State, from an earlier cycle, that this need "
            "carries on; null for none."
        ),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The `version` you last read; the change is refused (409) if the need was "
            "saved since. Also accepted as the `If-Match` header."
        ),
    )

    class Meta:
        model = Need
        fields = [*EDITABLE_FIELDS, "version"]


class NeedCreateSerializer(NeedUpdateSerializer):
    state = serializers.SlugRelatedField(
        slug_field="iso3", queryset=State.objects.all(), help_text=_("ISO3 code of the State.")
    )
    cycle = serializers.ChoiceField(
        choices=CYCLE_CHOICES, help_text=_("With `state`, names the review the need comes from.")
    )

    class Meta(NeedUpdateSerializer.Meta):
        fields = ["state", "cycle", *EDITABLE_FIELDS]

    def validate(self, attrs):
        state, cycle = attrs.pop("state"), attrs.pop("cycle")
        review = Review.objects.filter(state=state, cycle=cycle).first()
        if review is None:
            raise serializers.ValidationError(
                {
                    "cycle": [
                        gettext("%(state)s has no cycle %(cycle)s review; record the review first.")
                        % {"state": localized(state), "cycle": cycle}
                    ]
                }
            )
        attrs["review"] = review
        return attrs


class NeedStatusSerializer(StrictJsonTypes, serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    comment = serializers.CharField(
        max_length=5000, help_text=_("Why the status changes; kept with the need.")
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The `version` you last read (409 if outdated).")
    )


class NeedDecisionSerializer(StrictJsonTypes, serializers.Serializer):
    accept = StrictBooleanField(help_text=_("True to accept the proposal, false to decline."))
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Kept as a comment."),
    )


class NeedSuggestRequestSerializer(StrictJsonTypes, serializers.Serializer):
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text=_("The description being typed, in any of the six languages."),
    )
    cycle = serializers.ChoiceField(
        choices=CYCLE_CHOICES,
        required=False,
        help_text=_("Only needs of this cycle's reviews (its chapters), e.g. the form's review."),
    )


class NeedSuggestionSerializer(serializers.Serializer):
    category = serializers.CharField()
    category_label = serializers.CharField()
    subcategory = serializers.CharField(allow_null=True)
    subcategory_label = serializers.CharField()
    chapter = serializers.CharField(help_text=_("Roman numeral, e.g. `II`."))
    article = serializers.IntegerField(
        allow_null=True,
        help_text=_("Article number, in the chapter; null for the chapter in general."),
    )
    article_label = serializers.CharField()
    score = serializers.FloatField(
        help_text=_("Share of the most similar recorded needs placed so (0 to 1).")
    )


class NeedSuggestionsSerializer(serializers.Serializer):
    suggestions = NeedSuggestionSerializer(many=True)


class NeedActionSerializer(serializers.ModelSerializer):
    need = serializers.CharField(source="need.ref", read_only=True, help_text=_("The need's ref."))
    is_overdue = serializers.BooleanField(
        read_only=True, help_text=_("Due date passed and neither done nor cancelled.")
    )
    created_by = serializers.SerializerMethodField(
        help_text=_("Who recorded the action; signed-in callers only (null for the public).")
    )
    updated_by = serializers.SerializerMethodField(
        help_text=_("Who last changed the action; signed-in callers only (null for the public).")
    )

    class Meta:
        model = NeedAction
        fields = [
            "id",
            "need",
            *ACTION_FIELDS,
            "is_overdue",
            "version",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields

    def _person(self, person) -> str | None:
        request = self.context.get("request")
        if person is None or not can_see_personal_data(getattr(request, "user", None)):
            return None
        return person.get_full_name() or person.username

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by(self, action) -> str | None:
        return self._person(action.created_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_updated_by(self, action) -> str | None:
        return self._person(action.updated_by)


class NeedActionWriteSerializer(StrictJsonTypes, serializers.ModelSerializer):
    """What the State's focal point and staff record about an action."""

    what = serializers.CharField(max_length=5000, help_text=_("The action taken or planned."))
    responsible_institution = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    in_national_action_plan = StrictBooleanField(
        required=False,
        default=False,
        help_text=_("Whether the State's national action plan includes it."),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The `version` you last read; the change is refused (409) if the action was "
            "saved since. Also accepted as the `If-Match` header."
        ),
    )

    class Meta:
        model = NeedAction
        fields = [*ACTION_FIELDS, "version"]
