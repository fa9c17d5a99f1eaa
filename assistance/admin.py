from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ChangesDataAdminMixin

from .models import Activity, ActivityNeedLink, Donor, DonorInterest, FundingContribution, Provider


@admin.register(Provider)
class ProviderAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "is_unodc")
    list_filter = ("is_unodc",)
    search_fields = ("name", "short_name")


@admin.register(Donor)
class DonorAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")


class ReadOnlyAdminMixin:
    """Shown for reference only: these records change through the assistance pages, whose
    services keep need coverage, versions and the dashboard figures right."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FundingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FundingContribution
    extra = 0
    autocomplete_fields = ("donor",)


class LinkInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ActivityNeedLink
    extra = 0
    raw_id_fields = ("need",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "ref",
        "title",
        "activity_type",
        "level",
        "provider",
        "status",
        "start_date",
        "end_date",
    )
    list_filter = ("activity_type", "level", "status", "delivery_mode", "provider")
    search_fields = ("ref", "title", "description")
    autocomplete_fields = ("provider", "beneficiary_states")
    inlines = [FundingInline, LinkInline]


@admin.register(FundingContribution)
class FundingContributionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("activity", "donor", "amount", "currency", "year")
    list_filter = ("year", "currency", "donor")
    search_fields = ("activity__title", "donor__name")


@admin.register(ActivityNeedLink)
class ActivityNeedLinkAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("activity", "need", "extent", "created_at")
    list_filter = ("extent",)
    search_fields = ("activity__title", "need__ref")
    raw_id_fields = ("activity", "need")


@admin.register(DonorInterest)
class DonorInterestAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("donor", "need", "kind", "amount", "currency", "created_at", "withdrawn_at")
    list_filter = ("kind", "donor")
    search_fields = ("need__ref", "donor__name", "note")
    raw_id_fields = ("need",)
