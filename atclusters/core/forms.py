from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from atclusters.core.errors import DomainError


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("token name"))


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
