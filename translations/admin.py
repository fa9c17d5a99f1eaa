from django.contrib import admin

from translations.models import ReferenceTranslation
from translations.services import translation_save, translations_delete


@admin.register(ReferenceTranslation)
class ReferenceTranslationAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "language", "text", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["code", "text"]
    list_editable = ["text"]
    ordering = ["kind", "code", "language"]

    def save_model(self, request, obj, form, change):
        translation_save(translation=obj)

    def delete_model(self, request, obj):
        translations_delete(translations=ReferenceTranslation.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        translations_delete(translations=queryset)
