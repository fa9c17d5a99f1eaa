from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ChangesDataAdminMixin

from .models import Category, Need, NeedAction, NeedComment, Subcategory, Theme


class SubcategoryInline(admin.TabularInline):
    model = Subcategory
    extra = 0


@admin.register(Category)
class CategoryAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "position")
    search_fields = ("code", "label")
    inlines = [SubcategoryInline]


@admin.register(Subcategory)
class SubcategoryAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "category", "position")
    list_filter = ("category",)
    search_fields = ("code", "label")


@admin.register(Theme)
class ThemeAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label", "position")
    search_fields = ("code", "label")


class NeedCommentInline(admin.TabularInline):
    model = NeedComment
    extra = 0
    readonly_fields = ("author", "created_at", "status_from", "status_to")


@admin.register(Need)
class NeedAdmin(ChangesDataAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "ref",
        "review",
        "chapter",
        "article",
        "category",
        "priority",
        "status",
        "coverage",
        "acceptance",
        "last_confirmed_on",
    )
    list_filter = (
        "review__cycle",
        "chapter",
        "category",
        "priority",
        "status",
        "coverage",
        "acceptance",
        "review__state__regional_group",
    )
    search_fields = ("ref", "description", "review__state__name", "review__state__iso3")
    autocomplete_fields = ("review", "article", "themes", "follows")
    readonly_fields = ("coverage", "version", "created_at", "updated_at", "updated_by")
    list_select_related = ("review__state", "chapter", "article", "category")
    inlines = [NeedCommentInline]


@admin.register(NeedComment)
class NeedCommentAdmin(ChangesDataAdminMixin, admin.ModelAdmin):
    list_display = ("need", "author", "status_from", "status_to", "created_at")
    list_filter = ("status_to",)
    search_fields = ("text", "need__ref")


@admin.register(NeedAction)
class NeedActionAdmin(SimpleHistoryAdmin):
    list_display = ("need", "what", "responsible_institution", "due_date", "status")
    list_filter = ("status", "in_national_action_plan", "need__review__cycle")
    search_fields = ("what", "responsible_institution", "need__ref")
    autocomplete_fields = ("need",)
    readonly_fields = ("version", "created_at", "created_by", "updated_at", "updated_by")
    list_select_related = ("need",)
