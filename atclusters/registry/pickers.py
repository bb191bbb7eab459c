"""The organisation picker: the organisations the user may see, found by name, identifier, PIC,
VAT number or national company ID (registry.permissions.visible_organisations decides which)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from atclusters.core.pickers import Pick, Picker, picker_register
from atclusters.registry import permissions


def _organisations(request: HttpRequest | None) -> list[Pick]:
    # No request (a form not bound to one): the public's view, never everything.
    user = request.user if request is not None else AnonymousUser()
    rows = (
        permissions.visible_organisations(user)
        .values_list("slug", "name", "pic", "vat_number", "national_id")
        .order_by()
    )
    return [Pick(slug, name, tuple(t for t in terms if t)) for slug, name, *terms in rows]


picker_register("organisation", Picker(_organisations))
