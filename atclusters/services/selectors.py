"""Reads of the services domain: the catalogue, requests, programmes, eligibility of an
organisation, uptake and satisfaction."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from atclusters.core.permissions import AnyUser
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation
from atclusters.services import eligibility, permissions
from atclusters.services.models import Claim, Programme, Service, ServiceCategory, ServiceRequest


def catalogue(
    *, provider: str = "", category: str = "", language: str = "", include_inactive: bool = False
) -> QuerySet[Service]:
    """Offered services; `provider` is an agency's or a cluster's slug."""
    services = Service.objects.select_related("agency", "cluster", "category")
    if not include_inactive:
        services = services.filter(is_active=True)
    if provider:
        services = services.filter(
            Q(cluster__slug=provider) | Q(cluster__isnull=True, agency__slug=provider)
        )
    if category:
        services = services.filter(category__slug=category)
    if language:
        # The JSON text holds each code quoted: a substring test that works on every database.
        services = services.filter(languages__icontains=f'"{language}"')
    return services


def applicant(
    organisation: Organisation, *, on: date | None = None, documents=()
) -> eligibility.Applicant:
    on = on or timezone.localdate()
    clusters = Membership.objects.filter(organisation=organisation, since__lte=on).filter(
        Q(until__isnull=True) | Q(until__gte=on)
    )
    return eligibility.Applicant(
        clusters=frozenset(clusters.values_list("cluster__slug", flat=True)),
        size=organisation.size_class or eligibility.size_class(organisation.employees),
        country=organisation.country_id,
        sector=organisation.nace.code if organisation.nace is not None else "",
        region=organisation.nuts_region_id or "",
        documents=frozenset(documents),
    )


def rules_of(item: Service | Programme) -> eligibility.Rules:
    extra: dict[str, Any] = {}
    if isinstance(item, Programme):
        extra = {
            "sectors": frozenset(item.eligible_sectors),
            "regions": frozenset(item.eligible_regions),
            "documents": frozenset(item.documents_required),
        }
    return eligibility.Rules(
        clusters=frozenset(item.eligible_clusters.values_list("slug", flat=True)),
        sizes=frozenset(item.eligible_sizes),
        countries=frozenset(item.eligible_countries),
        **extra,
    )


def eligibility_of(
    item: Service | Programme, organisation: Organisation, *, on: date | None = None, documents=()
) -> list[eligibility.RuleResult]:
    return eligibility.evaluate(rules_of(item), applicant(organisation, on=on, documents=documents))


def is_member(service: Service, organisation: Organisation, *, on: date) -> bool:
    """Member prices are for current members of the providing cluster; for an agency's or the
    hub's services, of any cluster of the agency."""
    memberships = Membership.objects.filter(organisation=organisation, since__lte=on).filter(
        Q(until__isnull=True) | Q(until__gte=on)
    )
    if service.cluster_id:
        return memberships.filter(cluster_id=service.cluster_id).exists()
    return memberships.filter(cluster__agency_id=service.agency_id).exists()


def units_delivered_in_month(service: Service, day: date) -> Decimal:
    total = ServiceRequest.objects.filter(
        service=service,
        status=ServiceRequest.Status.DELIVERED,
        delivered_on__year=day.year,
        delivered_on__month=day.month,
    ).aggregate(total=Sum("units"))["total"]
    return total or Decimal(0)


def provider_queue(*, user: AnyUser) -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(service__in=permissions.manageable_services(user))
        .select_related("service", "organisation", "grant")
        .order_by("status", "-created_at")
    )


def my_requests(*, user: AnyUser) -> QuerySet[ServiceRequest]:
    return (
        ServiceRequest.objects.filter(organisation__in=permissions.represented(user))
        .select_related("service", "organisation")
        .order_by("-created_at")
    )


def committed(programme: Programme) -> Decimal:
    total = programme.claims.filter(status__in=Claim.COMMITTED).aggregate(total=Sum("aid_eur"))
    return total["total"] or Decimal(0)


def open_programmes(*, on: date) -> QuerySet[Programme]:
    return Programme.objects.filter(opens_on__lte=on, closes_on__gte=on).select_related("agency")


UPTAKE_LEVELS = ("service", "provider", "cluster")


def uptake(*, user: AnyUser, by: str) -> list[dict[str, Any]]:
    """Deliveries of the services the user manages, per `by` (service, provider or the
    member's cluster) and year: requests, deliveries, units, hours, aid, ratings and the mean
    rating. A member in several clusters counts in each."""
    if by not in UPTAKE_LEVELS:
        raise ValueError(f"by must be one of {', '.join(UPTAKE_LEVELS)}")
    requests = (
        permissions.visible_requests(user)
        .filter(service__in=permissions.manageable_services(user))
        .select_related("service", "service__agency", "service__cluster")
    )
    clusters_of: dict[int, list[str]] = defaultdict(list)
    if by == "cluster":
        for organisation_id, slug in Membership.objects.filter(
            organisation__in=requests.values("organisation_id"), until__isnull=True
        ).values_list("organisation_id", "cluster__slug"):
            clusters_of[organisation_id].append(slug)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for request in requests:
        year = (request.delivered_on or request.created_at.date()).year
        if by == "service":
            keys = [request.service.slug]
        elif by == "provider":
            keys = [request.service.provider_slug]
        else:
            keys = clusters_of.get(request.organisation_id) or ["—"]
        for key in keys:
            row = rows.setdefault(
                (key, year),
                {by: key, "year": year, "requests": 0, "delivered": 0, "units": Decimal(0),
                 "hours": Decimal(0), "aid_eur": Decimal(0), "ratings": 0, "rating_sum": 0},
            )  # fmt: skip
            row["requests"] += 1
            if request.status == ServiceRequest.Status.DELIVERED:
                row["delivered"] += 1
                row["units"] += request.units or 0
                row["hours"] += request.hours or 0
                row["aid_eur"] += request.aid_eur
            if request.rating:
                row["ratings"] += 1
                row["rating_sum"] += request.rating
    result = []
    for place in sorted(rows):
        row = rows[place]
        total = row.pop("rating_sum")
        row["mean_rating"] = round(total / row["ratings"], 2) if row["ratings"] else None
        result.append(row)
    return result


def catalogue_json_ld(*, services: list[Service], base_url: str) -> str:
    """schema.org Service entries, each with its Offer (the list price), as text safe inside a
    <script> element."""
    import json

    from django.urls import reverse

    items = [
        {
            "@type": "Service",
            "name": str(service),
            "serviceType": str(service.category),
            "description": service.translated("description")[:500],
            "url": base_url + reverse("service_detail", args=[service.slug]),
            "provider": {"@type": "Organization", "name": service.provider_name},
            "availableLanguage": service.languages,
            "offers": {
                "@type": "Offer",
                "price": str(service.list_price),
                "priceCurrency": "EUR",
                "unitText": service.unit,
            },
        }
        for service in services
    ]
    data = {"@context": "https://schema.org", "@graph": items}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def uptake_export(*, user: AnyUser, by: str) -> tuple[list[str], list[dict[str, Any]]]:
    rows = uptake(user=user, by=by)
    columns = [by, "year", "requests", "delivered", "units", "hours", "aid_eur", "ratings",
               "mean_rating"]  # fmt: skip
    return columns, rows


def claims_queue(*, user: AnyUser) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(programme__in=permissions.manageable_programmes(user))
        .select_related("programme", "organisation")
        .order_by("status", "-created_at")
    )


def my_claims(*, user: AnyUser) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(organisation__in=permissions.represented(user))
        .select_related("programme", "organisation")
        .order_by("-created_at")
    )


def benchmarking_figures(*, cluster: ClusterOrganisation, year: int) -> dict[str, Any]:
    """The benchmarking framework's service indicators from what is recorded, for `year`:
    `services_offered` — distinct services the cluster provides that were offered by 31
    December (created by then and still offered) or delivered in the year; `service_uptake` —
    members in force on 31 December that received at least one delivered service (of any
    provider) in the year, as a percentage of those members. None for both when nothing is
    recorded for the cluster (no service of its own, no delivery to its members)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    delivered = ServiceRequest.objects.filter(
        status=ServiceRequest.Status.DELIVERED, delivered_on__range=(start, end)
    )
    own = Service.objects.filter(cluster=cluster).filter(
        Q(is_active=True, created_at__date__lte=end) | Q(pk__in=delivered.values("service_id"))
    )
    members = set(
        Membership.objects.filter(cluster=cluster, since__lte=end)
        .filter(Q(until__isnull=True) | Q(until__gte=end))
        .values_list("organisation_id", flat=True)
    )
    users = set(
        delivered.filter(organisation_id__in=members).values_list("organisation_id", flat=True)
    )
    if not own.exists() and not users:
        return {"services_offered": None, "service_uptake": None}
    return {
        "services_offered": own.count(),
        "service_uptake": round(100 * len(users) / len(members), 1) if members else None,
    }


def catalogue_providers() -> list[tuple[str, str]]:
    """(slug, name) of every provider with an offered service, by name: the catalogue's filter."""
    from atclusters.core.models import Agency

    clusters = ClusterOrganisation.objects.filter(services__is_active=True)
    agencies = Agency.objects.filter(services__is_active=True, services__cluster__isnull=True)
    pairs = {*clusters.values_list("slug", "name"), *agencies.values_list("slug", "name")}
    return sorted(pairs, key=lambda pair: pair[1])


def categories_with_counts() -> QuerySet[ServiceCategory]:
    """Every category with the number of its services (`service_count`)."""
    return ServiceCategory.objects.annotate(service_count=Count("services")).order_by("slug")


CHART_SERIES = 6  # lines per uptake chart: more would not be told apart
CHART_BARS = 20


def uptake_charts_data(rows: list[dict[str, Any]], by: str) -> dict[str, Any]:
    """What the uptake page draws from `uptake` rows: deliveries and the mean rating per year
    for the `CHART_SERIES` keys with the most deliveries (the table has them all), and the aid
    per key in the latest year with a delivery."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row[by]] += row["delivered"]
    delivered = [key for key in totals if totals[key] > 0]
    drawn = sorted(delivered, key=lambda key: (-totals[key], key))[:CHART_SERIES]
    years = sorted({row["year"] for row in rows if row["delivered"]})
    latest = years[-1] if years else None
    aid = sorted(
        ((row[by], round(row["aid_eur"])) for row in rows if row["year"] == latest),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {
        "deliveries": [
            (key, [(row["year"], row["delivered"]) for row in rows if row[by] == key])
            for key in drawn
        ],
        "ratings": [
            (
                key,
                [
                    (row["year"], float(row["mean_rating"]))
                    for row in rows
                    if row[by] == key and row["mean_rating"] is not None
                ],
            )
            for key in drawn
        ],
        "aid": [pair for pair in aid if pair[1] > 0][:CHART_BARS],
        "latest": latest,
        "truncated": len(delivered) > CHART_SERIES,
        "shown": len(drawn),
    }


def cluster_uptake(
    *, cluster: ClusterOrganisation, first_year: int, last_year: int
) -> list[dict[str, Any]]:
    """Per year, the services (of any provider) delivered to organisations that were members
    of the cluster on the delivery day: deliveries, units, hours, members served, ratings, mean
    rating (None without ratings) and the de minimis aid those deliveries granted. For the
    characterization report."""
    member_then = Membership.objects.filter(
        cluster=cluster,
        organisation_id=OuterRef("organisation_id"),
        since__lte=OuterRef("delivered_on"),
    ).filter(Q(until__isnull=True) | Q(until__gte=OuterRef("delivered_on")))
    found = {
        row["year"]: row
        for row in ServiceRequest.objects.filter(
            status=ServiceRequest.Status.DELIVERED,
            delivered_on__range=(date(first_year, 1, 1), date(last_year, 12, 31)),
        )
        .filter(Exists(member_then))
        .annotate(year=ExtractYear("delivered_on"))
        .values("year")
        .annotate(
            deliveries=Count("id"),
            units=Sum("units"),
            hours=Sum("hours"),
            members=Count("organisation_id", distinct=True),
            ratings=Count("rating"),
            mean_rating=Avg("rating"),
            aid_eur=Sum("aid_eur"),
        )
        .order_by("year")
    }
    empty: dict[str, Any] = {"deliveries": 0, "units": Decimal(0), "hours": Decimal(0), "members": 0,
             "ratings": 0, "mean_rating": None, "aid_eur": Decimal(0)}  # fmt: skip
    rows = []
    for year in range(first_year, last_year + 1):
        row: dict[str, Any] = {
            **empty,
            **{key: value for key, value in found.get(year, {}).items() if value is not None},
        }
        row["year"] = year
        if row["mean_rating"] is not None:
            row["mean_rating"] = round(float(row["mean_rating"]), 2)
        rows.append(row)
    return rows


def provider_named(slug: str) -> tuple[Any, ClusterOrganisation | None] | None:
    """(agency, cluster) of the provider an agency's or a cluster's slug names; None when no
    agency or cluster has it (a cluster's slug first, as in the catalogue's filter)."""
    from atclusters.core.models import Agency

    cluster = ClusterOrganisation.objects.select_related("agency").filter(slug=slug).first()
    if cluster is not None:
        return cluster.agency, cluster
    agency = Agency.objects.filter(slug=slug).first()
    return (agency, None) if agency is not None else None
