from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ChangesDataAdminMixin

from .models import Article, Chapter, RegionalGroup, Review, State


@admin.register(RegionalGroup)
class RegionalGroupAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(State)
class StateAdmin(ChangesDataAdminMixin, SimpleHistoryAdmin):
    list_display = ("iso3", "name", "regional_group", "un_member", "is_party", "ratification_date")
    list_filter = ("regional_group", "is_party", "un_member")
    search_fields = ("iso3", "name")
    list_editable = ("is_party", "ratification_date")


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("roman", "title", "reviewed_in_cycle")
    list_filter = ("reviewed_in_cycle",)
    search_fields = ("roman", "title")
    inlines = [ArticleInline]


@admin.register(Article)
class ArticleAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("number", "title", "chapter")
    list_filter = ("chapter",)
    search_fields = ("title", "=number")


@admin.register(Review)
class ReviewAdmin(ChangesDataAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "state",
        "cycle",
        "review_year",
        "self_assessment_submitted",
        "direct_dialogue",
        "executive_summary_completed",
        "country_report_completed",
        "executive_summary_published",
        "country_report_published",
    )
    list_filter = (
        "cycle",
        "state__regional_group",
        "executive_summary_published",
        "country_report_published",
        "review_year",
    )
    search_fields = ("state__name", "state__iso3")
    autocomplete_fields = ("state", "reviewing_states")
    readonly_fields = ("version", "created_at", "updated_at", "updated_by")
    list_select_related = ("state",)
