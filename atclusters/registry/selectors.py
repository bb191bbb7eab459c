import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from atclusters.core.models import AuditEntry
from atclusters.registry import permissions
from atclusters.registry.models import (
    DESCRIPTION_LANGUAGES,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)
from atclusters.registry.permissions import AnyUser

CLUSTER_SORTS = {
    "name": ("name",),
    "members": ("-member_count", "name"),
    "-members": ("member_count", "name"),
    "newest": ("-year_established", "name"),
    "oldest": ("year_established", "name"),
}


def cluster_list(
    *,
    user: AnyUser,
    search: str = "",
    country: str = "",
    region: str = "",
    agency: str = "",
    ecosystem: str = "",
    technology: str = "",
    sector: str = "",
    status: str = "",
    label: str = "",
    min_members: int | None = None,
    max_members: int | None = None,
    sort: str = "name",
) -> QuerySet[ClusterOrganisation]:
    """Visible clusters, filtered; `search` looks in names, acronym, city and the descriptions in
    every language; `sector` is a NACE division (or any code prefix)."""
    clusters = permissions.visible_clusters(user).select_related("agency", "country", "nuts_region")
    if search:
        text = Q(name__icontains=search) | Q(acronym__icontains=search) | Q(city__icontains=search)
        for code in DESCRIPTION_LANGUAGES:
            text |= Q(**{f"description_{code}__icontains": search})
        clusters = clusters.filter(text)
    if country:
        clusters = clusters.filter(country_id=country.upper())
    if region:
        clusters = clusters.filter(nuts_region__code__startswith=region.upper())
    if agency:
        clusters = clusters.filter(agency__slug=agency)
    if ecosystem:
        clusters = clusters.filter(ecosystems__slug=ecosystem)
    if technology:
        clusters = clusters.filter(technology_fields__slug=technology)
    if sector:
        clusters = clusters.filter(sectors__code__startswith=sector)
    if status:
        clusters = clusters.filter(status=status)
    if label:
        clusters = clusters.filter(label=label)
    clusters = clusters.annotate(
        member_count=Count("memberships", filter=Q(memberships__until__isnull=True), distinct=True)
    )
    if min_members is not None:
        clusters = clusters.filter(member_count__gte=min_members)
    if max_members is not None:
        clusters = clusters.filter(member_count__lte=max_members)
    return clusters.distinct().order_by(*CLUSTER_SORTS.get(sort, CLUSTER_SORTS["name"]))


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


@dataclass(frozen=True)
class Headline:
    clusters: int
    members: int
    members_by_type: list[tuple[str, int]]
    regions: int
    agreements: int


def headline_figures() -> Headline:
    """Live figures for the home page: published clusters, their current members (distinct
    organisations) by type, the NUTS 2 regions they are in, and recorded agreements."""
    published = ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
    members = Organisation.objects.filter(
        memberships__until__isnull=True, memberships__cluster__in=published
    ).distinct()
    types = {key: str(label) for key, label in Organisation.Type.choices}
    by_type = Counter(members.values_list("type", flat=True))
    regions = {
        code[:4]
        for code in published.exclude(nuts_region=None).values_list("nuts_region_id", flat=True)
    }
    return Headline(
        clusters=published.count(),
        members=sum(by_type.values()),
        members_by_type=[(types[key], by_type[key]) for key in types if by_type[key]],
        regions=len(regions),
        agreements=CooperationAgreement.objects.count(),
    )


def clusters_by_nuts2(*, user: AnyUser) -> dict[str, dict[str, int]]:
    """Visible published clusters and their current members, per NUTS 2 code."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        cluster_list(user=user, status=ClusterOrganisation.Status.PUBLISHED)
        .filter(nuts_region__level__gte=2)
        .values_list("nuts_region_id", "member_count")  # type: ignore[misc]  # annotated above
    )
    for code, members in rows:
        entry = counts.setdefault(code[:4], {"clusters": 0, "members": 0})
        entry["clusters"] += 1
        entry["members"] += members
    return counts


def cluster_json_ld(*, cluster: ClusterOrganisation, url: str, description: str) -> SafeString:
    """schema.org Organization for a cluster profile, as text safe inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": cluster.name,
        "url": url,
        "description": strip_tags(description),
        "address": {
            "@type": "PostalAddress",
            "addressCountry": cluster.country_id,
            **({"addressLocality": cluster.city} if cluster.city else {}),
            **({"addressRegion": cluster.nuts_region.name} if cluster.nuts_region else {}),
        },
        "memberOf": [network.name for network in cluster.networks.all()],
    }
    if cluster.acronym:
        data["alternateName"] = cluster.acronym
    if cluster.website:
        data["sameAs"] = [cluster.website]
    if cluster.year_established:
        data["foundingDate"] = str(cluster.year_established)
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def audit_history(*, instance) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(model=instance._meta.label_lower, object_pk=str(instance.pk))
