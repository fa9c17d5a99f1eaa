from django import forms

from translations.lookup import localized


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """Choices of reference rows (regions, States, chapters...) named in the active language."""

    def label_from_instance(self, obj):
        return localized(obj)


class LocalizedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return localized(obj)
