from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    """The upload of every kind of file, and so the one place where its size is limited."""

    file = forms.FileField(label=_("File"))
    allow_duplicates = forms.BooleanField(
        required=False, label=_("Import probable duplicates anyway")
    )

    def __init__(self, *args, importer, **kwargs):
        super().__init__(*args, **kwargs)
        # Here rather than on the field: the size is written in the language of the request.
        self.fields["file"].help_text = gettext(
            "A .csv (UTF-8) or .xlsx file with the columns of the template; at most %(size)s."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        if "allow_duplicates" in importer.options:
            self.fields["allow_duplicates"].help_text = importer.duplicates_rule
        else:
            del self.fields["allow_duplicates"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s; files of at most %(limit)s are accepted. "
                    "Split it into smaller files."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
                },
                code="too_big",
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(gettext("Upload a .csv or .xlsx file."), code="file_type")
        return upload
