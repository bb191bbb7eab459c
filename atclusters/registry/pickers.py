"""The registry's pickers. Organisations: those the user may see, found by name, identifier, PIC,
VAT number or national company ID (registry.permissions.visible_organisations decides which).
Clusters: those the user may see (permissions.visible_clusters), found by name, acronym, legal
name or identifier, shown with their country in the reader's language."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from atclusters.core.pickers import Pick, Picker, picker_register
from atclusters.registry import permissions


def _user(request: HttpRequest | None):
    # No request (a form not bound to one): the public's view, never everything.
    return request.user if request is not None else AnonymousUser()


def _organisations(request: HttpRequest | None) -> list[Pick]:
    rows = (
        permissions.visible_organisations(_user(request))
        .values_list("slug", "name", "pic", "vat_number", "national_id")
        .order_by()
    )
    return [Pick(slug, name, tuple(t for t in terms if t)) for slug, name, *terms in rows]


def _clusters(request: HttpRequest | None) -> list[Pick]:
    clusters = (
        permissions.visible_clusters(_user(request))
        .select_related("country")
        .only("slug", "name", "acronym", "legal_name", "country__name", "country__names")
        .order_by()
    )
    return [
        Pick(
            c.slug,
            c.name,
            tuple(t for t in (c.acronym, c.legal_name) if t),
            detail=c.country.label,
        )
        for c in clusters
    ]


picker_register("organisation", Picker(_organisations))
picker_register("cluster", Picker(_clusters))
