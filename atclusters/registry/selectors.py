import json
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from atclusters.core.domains import SearchResult
from atclusters.core.models import Agency, AuditEntry
from atclusters.core.permissions import AnyUser
from atclusters.registry import identifiers, permissions
from atclusters.registry.models import (
    DESCRIPTION_LANGUAGES,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)

# By name regardless of case ("AgroCluster" before "ASINCAR"), as a reader sorts names.
BY_NAME = Lower("name")
CLUSTER_SORTS = {
    "name": (BY_NAME,),
    "members": ("-member_count", BY_NAME),
    "-members": ("member_count", BY_NAME),
    "newest": ("-year_established", BY_NAME),
    "oldest": ("year_established", BY_NAME),
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
    # Many-to-many filters go through subqueries so that no cluster is repeated and no DISTINCT
    # is needed over the wide rows.
    if ecosystem:
        clusters = clusters.filter(
            pk__in=ClusterOrganisation.ecosystems.through.objects.filter(
                term__slug=ecosystem
            ).values("clusterorganisation_id")
        )
    if technology:
        clusters = clusters.filter(
            pk__in=ClusterOrganisation.technology_fields.through.objects.filter(
                term__slug=technology
            ).values("clusterorganisation_id")
        )
    if sector:
        clusters = clusters.filter(
            pk__in=ClusterOrganisation.sectors.through.objects.filter(
                naceactivity__code__startswith=sector
            ).values("clusterorganisation_id")
        )
    if status:
        clusters = clusters.filter(status=status)
    if label:
        clusters = clusters.filter(label=label)
    # A correlated count: computed for the clusters that pass the filters, not for every cluster.
    current_members = (
        Membership.objects.filter(cluster=OuterRef("pk"), until__isnull=True)
        .order_by()
        .values("cluster")
        .annotate(count=Count("pk"))
        .values("count")
    )
    clusters = clusters.annotate(member_count=Coalesce(Subquery(current_members), 0))
    if min_members is not None:
        clusters = clusters.filter(member_count__gte=min_members)
    if max_members is not None:
        clusters = clusters.filter(member_count__lte=max_members)
    return clusters.order_by(*CLUSTER_SORTS.get(sort, CLUSTER_SORTS["name"]))


@dataclass(frozen=True)
class Composition:
    total: int
    by_type: list[tuple[str, int]]
    by_size: list[tuple[str, int]]
    by_region: list[tuple[str, int]]


def public_contacts(*, slugs: list[str]) -> dict[str, ClusterOrganisation]:
    """The public contact (email, else website) of the published clusters among `slugs`, as
    their profiles show it: what a "Contact this cluster" link on a match may use. Nothing
    else (no manager, no member) is revealed."""
    clusters = ClusterOrganisation.objects.filter(
        slug__in=slugs, status=ClusterOrganisation.Status.PUBLISHED
    ).exclude(contact_email="", website="")
    return {c.slug: c for c in clusters.only("slug", "name", "contact_email", "website")}


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


def cluster_memberships(*, user: AnyUser, cluster: ClusterOrganisation) -> QuerySet[Membership]:
    """The current members this reader may see: all of them for those who manage the cluster,
    otherwise those that agreed to be listed (and the reader's own organisations)."""
    memberships = (
        cluster.memberships.all()
        if permissions.can_manage_memberships(user, cluster)
        else permissions.visible_memberships(user).filter(cluster=cluster)
    ).filter(until__isnull=True)
    return memberships.select_related("organisation", "organisation__country").order_by(
        "organisation__name", "-since"
    )


def organisation_list(*, user: AnyUser, search: str = "", type: str = "") -> QuerySet[Organisation]:
    organisations = permissions.visible_organisations(user).select_related("country", "nuts_region")
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(vat_number__iexact=search) | Q(pic=search)
        )
    if type:
        organisations = organisations.filter(type=type)
    return organisations.order_by(BY_NAME)


def agreement_list(
    *, user: AnyUser, cluster: ClusterOrganisation | None = None
) -> QuerySet[CooperationAgreement]:
    agreements = permissions.visible_agreements(user)
    if cluster is not None:
        agreements = agreements.filter(Q(cluster_a=cluster) | Q(cluster_b=cluster))
    return agreements.select_related(
        "agency_a", "agency_b", "cluster_a", "cluster_b", "owner", "sector"
    ).order_by("-start", "title")


@dataclass(frozen=True)
class Network:
    """Parties (agencies and clusters) as nodes, agreements as edges, for the network picture."""

    nodes: list[tuple[str, str, str]]  # (key, label, key of the node's agency)
    edges: list[tuple[str, str, str]]  # (key of party a, key of party b, agreement title)
    agreements: list[CooperationAgreement]


def agreement_network(*, user: AnyUser) -> Network:
    """The current agreements the reader may see, with every agency as a node even when it has
    none yet; clusters are placed after their agency so that they sit beside it."""
    today = timezone.localdate()
    agreements = list(agreement_list(user=user).filter(Q(end__isnull=True) | Q(end__gte=today)))
    agencies = list(Agency.objects.order_by("name"))
    clusters = {
        party.pk: party
        for agreement in agreements
        for party in (agreement.cluster_a, agreement.cluster_b)
        if party is not None
    }
    nodes: list[tuple[str, str, str]] = []
    for agency in agencies:
        agency_key = f"agency-{agency.pk}"
        nodes.append((agency_key, agency.acronym or agency.name, agency_key))
        for cluster in sorted(clusters.values(), key=lambda c: c.name):
            if cluster.agency_id == agency.pk:
                nodes.append((f"cluster-{cluster.pk}", cluster.acronym or cluster.name, agency_key))

    def key(agency: Agency | None, cluster: ClusterOrganisation | None) -> str:
        return f"agency-{agency.pk}" if agency is not None else f"cluster-{cluster.pk}"  # type: ignore[union-attr]

    edges = [
        (key(a.agency_a, a.cluster_a), key(a.agency_b, a.cluster_b), a.title) for a in agreements
    ]
    return Network(nodes=nodes, edges=edges, agreements=agreements)


@dataclass(frozen=True)
class Headline:
    clusters: int
    members: int
    members_by_type: list[tuple[str, int]]
    regions: int
    agreements: int


def headline_figures() -> Headline:
    """Live figures for the home page: published clusters, their current members (distinct
    organisations) by type, the NUTS 2 regions they are in, and public agreements."""
    published = ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
    current_members = Membership.objects.filter(until__isnull=True, cluster__in=published)
    by_type = dict(
        Organisation.objects.filter(pk__in=current_members.values("organisation_id"))
        .order_by()
        .values_list("type")
        .annotate(count=Count("pk"))
    )
    types = {key: str(label) for key, label in Organisation.Type.choices}
    regions = {
        code[:4]
        for code in published.exclude(nuts_region=None).values_list("nuts_region_id", flat=True)
    }
    return Headline(
        clusters=published.count(),
        members=sum(by_type.values()),
        members_by_type=[(types[key], by_type[key]) for key in types if by_type.get(key)],
        regions=len(regions),
        agreements=permissions.visible_agreements(AnonymousUser()).count(),
    )


def newest_clusters(*, count: int) -> QuerySet[ClusterOrganisation]:
    return (
        ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
        .select_related("country")
        .order_by("-created_at")[:count]
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


def cluster_points(*, user: AnyUser) -> dict:
    """Published clusters with a latitude and longitude, as a GeoJSON FeatureCollection."""
    rows = (
        cluster_list(user=user, status=ClusterOrganisation.Status.PUBLISHED)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("slug")
        .values_list(  # type: ignore[misc]  # member_count is annotated by cluster_list
            "slug", "name", "acronym", "latitude", "longitude", "member_count"
        )
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
                "properties": {
                    "slug": slug,
                    "name": name,
                    "acronym": acronym,
                    "members": members,
                },
            }
            for slug, name, acronym, latitude, longitude, members in rows
        ],
    }


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
        **(
            {
                "location": {
                    "@type": "Place",
                    "geo": {
                        "@type": "GeoCoordinates",
                        "latitude": float(cluster.latitude),
                        "longitude": float(cluster.longitude),
                    },
                }
            }
            if cluster.latitude is not None and cluster.longitude is not None
            else {}
        ),
        "memberOf": [network.name for network in cluster.networks.all()],
        **({"email": cluster.contact_email} if cluster.contact_email else {}),
        **({"telephone": cluster.contact_phone} if cluster.contact_phone else {}),
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


def cluster_member_activity(
    *, cluster: ClusterOrganisation
) -> list[tuple[str | None, str | None, int | None]]:
    """(NUTS code, NACE code, employees) of each current member, for regional coverage."""
    return list(
        Organisation.objects.filter(memberships__cluster=cluster, memberships__until__isnull=True)
        .distinct()
        .values_list("nuts_region__code", "nace__code", "employees")
    )


def site_search(*, user: AnyUser, query: str, limit: int) -> list[SearchResult]:
    """Clusters (by name or acronym) and organisations (by name) the user may see, for the
    site search (RegistryConfig.search)."""
    clusters = (
        permissions.visible_clusters(user)
        .filter(Q(name__icontains=query) | Q(acronym__iexact=query))
        .order_by("name")[:limit]
    )
    organisations = organisation_list(user=user, search=query)[:limit]
    return [
        *(
            SearchResult(cluster.name, reverse("cluster_detail", args=[cluster.slug]), _("cluster"))
            for cluster in clusters
        ),
        *(
            SearchResult(
                organisation.name,
                reverse("organisation_detail", args=[organisation.slug]),
                _("organisation"),
            )
            for organisation in organisations
        ),
    ]


def vat_number_normalised(value: str, country: str) -> str | None:
    """The VAT number in its canonical form when it has the country's prefix and the format
    VIES checks for it (identifiers.VAT_PATTERNS, with its source), else None: for the domains
    that record organisations outside the registry (funding's partners)."""
    try:
        return identifiers.normalise_vat(value, country)
    except identifiers.IdentifierError:
        return None


vat_prefix = identifiers.vat_prefix
