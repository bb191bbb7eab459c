from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from atclusters.core.models import AuditEntry
from atclusters.registry import permissions
from atclusters.registry.models import (
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)
from atclusters.registry.permissions import AnyUser


def cluster_list(
    *,
    user: AnyUser,
    search: str = "",
    country: str = "",
    region: str = "",
    agency: str = "",
    ecosystem: str = "",
    status: str = "",
    label: str = "",
) -> QuerySet[ClusterOrganisation]:
    clusters = permissions.visible_clusters(user).select_related("agency", "country", "nuts_region")
    if search:
        clusters = clusters.filter(
            Q(name__icontains=search) | Q(acronym__icontains=search) | Q(city__icontains=search)
        )
    if country:
        clusters = clusters.filter(country_id=country.upper())
    if region:
        clusters = clusters.filter(nuts_region__code__startswith=region.upper())
    if agency:
        clusters = clusters.filter(agency__slug=agency)
    if ecosystem:
        clusters = clusters.filter(ecosystems__slug=ecosystem)
    if status:
        clusters = clusters.filter(status=status)
    if label:
        clusters = clusters.filter(label=label)
    return clusters.annotate(
        member_count=Count("memberships", filter=Q(memberships__until__isnull=True), distinct=True)
    ).order_by("name")


@dataclass(frozen=True)
class Composition:
    total: int
    by_type: list[tuple[str, int]]
    by_size: list[tuple[str, int]]
    by_region: list[tuple[str, int]]


def cluster_composition(*, cluster: ClusterOrganisation) -> Composition:
    """Counts of current members by type, size class and NUTS 2 region, from memberships."""
    organisations = list(
        Organisation.objects.filter(memberships__cluster=cluster, memberships__until__isnull=True)
        .select_related("nuts_region")
        .distinct()
    )
    types = {key: str(label) for key, label in Organisation.Type.choices}
    sizes = {key: str(label) for key, label in Organisation.SizeClass.choices}
    by_type = Counter(types[o.type] for o in organisations)
    by_size = Counter(sizes[o.size_class] for o in organisations)
    by_region = Counter(
        (o.nuts_region.code[:4] if o.nuts_region and o.nuts_region.level >= 2 else "—")
        for o in organisations
    )
    return Composition(
        total=len(organisations),
        by_type=[(label, by_type[label]) for label in types.values() if by_type[label]],
        by_size=[(label, by_size[label]) for label in sizes.values() if by_size[label]],
        by_region=sorted(by_region.items()),
    )


def cluster_memberships(
    *, cluster: ClusterOrganisation, current_only: bool = True
) -> QuerySet[Membership]:
    memberships = cluster.memberships.select_related("organisation", "organisation__country")
    if current_only:
        memberships = memberships.filter(until__isnull=True)
    return memberships.order_by("organisation__name", "-since")


def organisation_list(*, user: AnyUser, search: str = "", type: str = "") -> QuerySet[Organisation]:
    organisations = permissions.visible_organisations(user).select_related("country", "nuts_region")
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(vat_number__iexact=search) | Q(pic=search)
        )
    if type:
        organisations = organisations.filter(type=type)
    return organisations.order_by("name")


def agreement_list(*, user: AnyUser) -> QuerySet[CooperationAgreement]:
    return permissions.visible_agreements(user).select_related(
        "agency_a", "agency_b", "cluster_a", "cluster_b", "owner", "sector"
    )


def audit_history(*, instance) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(model=instance._meta.label_lower, object_pk=str(instance.pk))
