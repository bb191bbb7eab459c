"""The undertaking picker: the undertakings the user may see, found by name, ID or VAT number."""

from django.http import HttpRequest

from atclusters.core.pickers import Pick, Picker, picker_register
from atclusters.stateaid import permissions


def _undertakings(request: HttpRequest | None) -> list[Pick]:
    user = request.user if request is not None else None
    return [
        Pick(u.identifier, u.name, (u.vat, u.country))
        for u in permissions.visible_undertakings(user).only("identifier", "name", "vat", "country")
    ]


picker_register("undertaking", Picker(_undertakings))
