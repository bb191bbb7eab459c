"""The one error hierarchy of the platform's writes. A service refuses bad input with a
`DomainError` naming the field at fault (several fields at once: `InvalidFields`), and an actor
who may not write with `core.permissions.PermissionDenied`. The API answers them once, for every
domain (api/api.py: 422 and 403), and forms put them on their fields (core.forms.add_error); the
command line prints them. Messages are translated where they are raised."""

from collections.abc import Mapping


class DomainError(ValueError):
    """Bad input for a write: `field` names the input at fault, `message` says why (in the
    user's language), `code` is a stable word for programs."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code

    @property
    def errors(self) -> dict[str, str]:
        """Field → message, for every field at fault."""
        return {self.field: self.message}

    @property
    def detail(self) -> dict[str, list[str]]:
        """The API's answer: every message of every field at fault."""
        return {field: [message] for field, message in self.errors.items()}


class InvalidFields(DomainError):
    """Several fields at fault at once (a form's worth of answers, a posting's fields)."""

    def __init__(self, errors: Mapping[str, str], code: str = "invalid"):
        if not errors:
            raise ValueError("InvalidFields needs at least one field")
        self._errors = dict(errors)
        field, message = next(iter(self._errors.items()))
        super().__init__(field, message, code)
        self.args = ("; ".join(f"{name}: {reason}" for name, reason in self._errors.items()),)

    @property
    def errors(self) -> dict[str, str]:
        return dict(self._errors)
