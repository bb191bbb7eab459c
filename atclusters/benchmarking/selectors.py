"""Reads of the benchmarking domain."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from atclusters.benchmarking.models import Framework
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Membership
from atclusters.stateaid.selectors import aid_to_cluster

INDICATOR_KEYS = (
    "code", "area", "type", "label", "help", "unit", "min", "max", "choices",
    "higher_is_better", "threshold", "weight", "computed",
)  # fmt: skip


def _indicator(values: dict[str, Any]) -> dict[str, Any]:
    """An indicator with its keys in order, without empty optional values; weight 1 is the
    default and is written out."""
    item = {key: values.get(key) for key in INDICATOR_KEYS}
    item["weight"] = values.get("weight", 1)
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """A framework document in the form `framework_document` writes, for comparisons."""
    return {
        "slug": document["slug"],
        "version": document["version"],
        "name": document["name"],
        "areas": document["areas"],
        "label_rules": document.get("label_rules") or {},
        "indicators": [_indicator(item) for item in document["indicators"]],
    }


def framework_document(framework: Framework) -> dict[str, Any]:
    """The stored framework as a document (YAML/JSON export; importable again)."""
    return normalised(
        {
            "slug": framework.slug,
            "version": framework.version,
            "name": framework.name,
            "areas": framework.areas,
            "label_rules": framework.label_rules,
            "indicators": [
                {
                    "code": indicator.code,
                    "area": indicator.area,
                    "type": indicator.type,
                    "label": indicator.label,
                    "help": indicator.help,
                    "unit": indicator.unit,
                    "min": indicator.minimum,
                    "max": indicator.maximum,
                    "choices": indicator.choices,
                    "higher_is_better": indicator.higher_is_better,
                    "threshold": indicator.threshold,
                    "weight": indicator.weight,
                    "computed": indicator.computed,
                }
                for indicator in framework.indicators.all()
            ],
        }
    )


def framework_named(slug: str, version: int | None = None) -> Framework | None:
    frameworks = Framework.objects.filter(slug=slug)
    if version is not None:
        frameworks = frameworks.filter(version=version)
    return frameworks.order_by("-version").first()


@dataclass(frozen=True)
class Computed:
    """A value the platform computes for an indicator, with the formula shown to the cluster
    manager (who confirms or corrects it); `value` None says why in `formula`."""

    value: float | str | None
    formula: str


NOT_BUILT = "not computed yet: the {} domain is not built"


def computed_indicators(*, cluster: ClusterOrganisation, year: int) -> dict[str, Computed]:
    """The indicators a framework marks `computed`, from the registry and the state-aid
    register, as of 31 December of `year`."""
    end, start = date(year, 12, 31), date(year, 1, 1)
    current = Membership.objects.filter(cluster=cluster, since__lte=end).filter(
        Q(until__isnull=True) | Q(until__gte=end)
    )
    members = list(current.values_list("organisation__type", "organisation__size_class"))
    total = len(members)
    smes = sum(1 for _type, size in members if size in SME_SIZES)
    joined = Membership.objects.filter(cluster=cluster, since__range=(start, end)).count()
    left = Membership.objects.filter(cluster=cluster, until__range=(start, end)).count()
    label_valid = bool(cluster.label) and (
        (cluster.label_date is None or cluster.label_date <= end)
        and (cluster.label_expiry is None or cluster.label_expiry >= end)
    )
    international = (
        CooperationAgreement.objects.filter(Q(cluster_a=cluster) | Q(cluster_b=cluster))
        .filter(start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=end))
    )
    foreign = sum(
        1
        for agreement in international.select_related(
            "cluster_a", "cluster_b", "agency_a", "agency_b"
        )
        if _other_party_country(agreement, cluster) not in ("", cluster.country_id)
    )
    aid = aid_to_cluster(cluster=cluster, start=start, end=end)
    return {
        "members_total": Computed(total, f"memberships in force on {end}"),
        "sme_share": Computed(
            round(100 * smes / total, 1) if total else None,
            "members of size micro, small or medium ÷ members × 100",
        ),
        "member_types": Computed(
            len({kind for kind, _size in members}), "distinct organisation types among members"
        ),
        "research_members": Computed(
            sum(1 for kind, _size in members if kind in RESEARCH_TYPES),
            "members that are universities or research/technology centres",
        ),
        "members_net_change": Computed(
            joined - left, f"memberships started minus memberships ended in {year}"
        ),
        "management_fte": Computed(
            float(cluster.management_team_fte) if cluster.management_team_fte is not None else None,
            "the cluster profile's management team (FTE)",
        ),
        "excellence_label": Computed(
            cluster.label if label_valid else "", f"the profile's label, if valid on {end}"
        ),
        "cooperation_agreements": Computed(
            foreign, f"agreements in force on {end} with a party of another country"
        ),
        "aid_received": Computed(
            float(aid),
            f"aid in the state-aid register granted to the cluster in {year}, without the aid "
            "it passed on to members",
        ),
        "services_offered": Computed(None, NOT_BUILT.format("services")),
        "service_uptake": Computed(None, NOT_BUILT.format("services")),
        "events_held": Computed(None, NOT_BUILT.format("events")),
        "event_participants": Computed(None, NOT_BUILT.format("events")),
        "eu_proposals": Computed(None, NOT_BUILT.format("funding")),
    }


SME_SIZES = {"micro", "small", "medium"}
RESEARCH_TYPES = {"university", "research"}


def _other_party_country(agreement: CooperationAgreement, cluster: ClusterOrganisation) -> str:
    if agreement.cluster_a_id == cluster.pk:
        other = agreement.cluster_b or agreement.agency_b
    else:
        other = agreement.cluster_a or agreement.agency_a
    return other.country_id if other is not None else ""
