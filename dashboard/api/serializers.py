"""The shape of `GET /api/v1/dashboard/` (PRODUCT.md section 4), read from stored figures."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import CYCLE_CHOICES, RegionalGroup

REGION_CODES = (
    "african",
    "asia_pacific",
    "eastern_european",
    "latin_american_caribbean",
    "western_european_other",
)


class DashboardQuerySerializer(serializers.Serializer):
    cycle = serializers.ChoiceField(
        choices=CYCLE_CHOICES,
        help_text="Review cycle: 1 (chapters III and IV) or 2 (chapters II and V).",
        error_messages={
            "required": _("Give the review cycle: 1 or 2."),
            "invalid_choice": _("Give the review cycle: 1 or 2."),
        },
    )
    # The five codes are fixed (PRODUCT.md section 4); listing them lets API clients and the
    # fuzzer tell a region from a typo.
    region = extend_schema_field({"type": "string", "enum": sorted(REGION_CODES)})(
        serializers.CharField(
            required=False,
            help_text="A regional group's code (african, asia_pacific, eastern_european, "
            "latin_american_caribbean, western_european_other); leave out for all regions, "
            "the European Union included.",
        )
    )

    def validate(self, attrs):
        # An HTML form sends `region=` for "all regions"; an API client that does so has
        # most likely lost a value on the way, and is told so.
        if self.initial_data.get("region") == "":
            raise serializers.ValidationError(
                {"region": [gettext("Give a regional group's code, or leave the parameter out.")]}
            )
        return attrs

    def validate_region(self, code: str) -> str:
        if not RegionalGroup.objects.filter(code=code).exists():
            known = ", ".join(RegionalGroup.objects.order_by("code").values_list("code", flat=True))
            raise serializers.ValidationError(
                gettext("Unknown regional group %(code)s; use one of: %(known)s.")
                % {"code": repr(code), "known": known}
            )
        return code


class TotalsSerializer(serializers.Serializer):
    states_parties = serializers.IntegerField(
        help_text="Parties to the Convention (in the region, when one is given)."
    )
    reviews = serializers.IntegerField(help_text="Reviews of the cycle, at any stage.")
    executive_summaries = serializers.IntegerField(
        help_text="Reviews of the cycle whose executive summary is completed."
    )
    states_with_needs = serializers.IntegerField(
        help_text="Distinct States with at least one counted need."
    )
    needs = serializers.IntegerField(
        help_text="Needs identified in the cycle, whatever their status, leaving out only "
        "proposals staff have not accepted."
    )


class ChapterSerializer(serializers.Serializer):
    chapter = serializers.CharField(help_text="Roman numeral.")
    needs = serializers.IntegerField()
    states = serializers.IntegerField(help_text="Distinct States behind these needs.")


class ArticleSerializer(serializers.Serializer):
    article = serializers.IntegerField(
        allow_null=True, help_text="Article number; null for needs about the chapter in general."
    )
    chapter = serializers.CharField()
    needs = serializers.IntegerField()
    states = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Category code.")
    needs = serializers.IntegerField()
    percent = serializers.FloatField(
        help_text="Share of the needs counted in `totals`, one decimal."
    )
    states = serializers.IntegerField()


class RegionSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="Regional group code.")
    states_parties = serializers.IntegerField()
    executive_summaries = serializers.IntegerField()
    states_with_needs = serializers.IntegerField()
    needs = serializers.IntegerField()


class ThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text="Theme code.")
    needs = serializers.IntegerField()
    states = serializers.IntegerField()
    percent_of_states = serializers.FloatField(
        help_text="Share of the States with needs (`totals.states_with_needs`), one decimal."
    )


class CoverageSerializer(serializers.Serializer):
    unmet = serializers.IntegerField(help_text="Needs no assistance activity addresses.")
    partly_covered = serializers.IntegerField(help_text="Needs addressed only partly.")
    covered = serializers.IntegerField(help_text="Needs an activity meets fully.")


class DashboardSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    region = serializers.CharField(allow_null=True, help_text="null: all regions.")
    computed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the figures were computed; null (and every count 0) until the first "
        "computation.",
    )
    totals = TotalsSerializer()
    by_chapter = ChapterSerializer(many=True)
    by_article = ArticleSerializer(many=True)
    by_category = CategorySerializer(many=True)
    by_region = RegionSerializer(many=True)
    by_theme = ThemeSerializer(many=True)
    coverage = CoverageSerializer()
