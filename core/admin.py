from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User, WorkerHeartbeat


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "state",
        "donor",
        "is_active",
    )
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name", "state__name", "donor__name")
    autocomplete_fields = ("state", "donor")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the tracker"), {"fields": ("role", "state", "donor", "preferred_language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the tracker"), {"fields": ("role", "state", "donor")}),
    )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "pid", "seen_at")
    search_fields = ("hostname",)
