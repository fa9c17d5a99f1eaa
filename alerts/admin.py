from django.contrib import admin

from .models import AlertDelivery, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """For support: see a person's searches and turn an alert off. Their filters are checked
    by the service when saved from the pages or the API, so they are not edited here."""

    list_display = ("name", "owner", "view", "alert", "last_alerted_at", "updated_at")
    list_filter = ("view", "alert")
    search_fields = ("name", "owner__username", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("owner", "view", "query", "last_alerted_at", "created_at", "updated_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ("saved_search", "sent_on", "need_count", "sent_at")
    list_filter = ("sent_on",)
    raw_id_fields = ("saved_search",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
