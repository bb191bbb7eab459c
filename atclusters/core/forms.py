from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from atclusters.core.errors import DomainError


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("token name"))


class DocumentForm(forms.Form):
    """An uploaded document: a new one, or a new version of one of `documents` (any objects
    with `pk` and `title`); the service checks the file (core.uploads)."""

    document = forms.ChoiceField(label=_("Document"), required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("For a new document; the file's name when empty."),
    )  # fmt: skip
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(d.pk): d for d in documents}
        self.fields["document"].choices = [  # type: ignore[attr-defined]
            ("", _("a new document")),
            *(
                (key, _("new version of %(title)s") % {"title": d.title})
                for key, d in self.documents.items()
            ),
        ]


class ImportForm(forms.Form):
    """An upload for an importer (core/importing.py): the file, within the import size limit,
    and whether to check it only. Each domain's form gives the kinds it imports."""

    kind = forms.ChoiceField(choices=(), label=_("what to import"))
    file = forms.FileField(label=_("file (.csv, .xlsx or .json)"))
    dry_run = forms.BooleanField(required=False, initial=True, label=_("check only, write nothing"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


def add_error(
    form: forms.BaseForm,
    error: DomainError | ValidationError,
    *,
    renamed: Mapping[str, str] | None = None,
) -> None:
    """Puts what a service refused on the form: each message on the field it names (after
    `renamed`, for a service's name that the form calls otherwise), or on the form as a whole
    when the form has no such field."""
    if isinstance(error, DomainError):
        by_field: dict[str, list[str]] = error.detail
    elif hasattr(error, "error_dict"):
        by_field = error.message_dict
    else:
        by_field = {NON_FIELD_ERRORS: error.messages}
    for name, messages in by_field.items():
        field = (renamed or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
