from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .changes import data_changed
from .models import User, WorkerHeartbeat


class ChangesDataAdminMixin:
    """An edit made in the admin is a change of the data like one made by a service: the
    data version moves on, so the dashboard figures are recomputed and the pages cached by
    version are rebuilt (without it they would show the old rows until the next write)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data_changed(sender=type(obj))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            data_changed(sender=type(form.instance))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        data_changed(sender=type(obj))

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        data_changed(sender=queryset.model)


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
