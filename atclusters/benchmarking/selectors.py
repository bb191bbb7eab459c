"""Reads of the benchmarking domain."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from atclusters.benchmarking import peers as peers_module
from atclusters.benchmarking import scores
from atclusters.benchmarking.models import (
    ClusterPolicy,
    Framework,
    PeerSet,
    PolicyProgramme,
    Round,
    Submission,
)
from atclusters.core.models import Agency
from atclusters.mapping.selectors import region_summary
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Membership
from atclusters.stateaid.selectors import aid_by_programme, aid_to_cluster

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
            cluster.label if label_valid else "none",
            f"the profile's label, if valid on {end}; none otherwise",
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


PEER_GROUPS = ("all", "country", "region", "sector", "ecosystem", "size", "label")
SIZE_BANDS = (25, 50, 100, 250)  # members: 1–24, 25–49, 50–99, 100–249, 250 and more
NUMERIC_TYPES = ("number", "percentage", "money")


def _size_band(members: Any) -> int:
    count = members if isinstance(members, int | float) else 0
    return sum(1 for bound in SIZE_BANDS if count >= bound)


PICKED = "picked:"  # a hand-picked peer group: "picked:<name>"


def _validated_peers(submission: Submission) -> list[Submission]:
    """The other clusters' validated answers for the same framework and year, read once; a
    cluster counts once, with its newest answers."""
    peers = (
        Submission.objects.filter(
            status=Submission.Status.VALIDATED,
            round__framework__slug=submission.round.framework.slug,
            round__year=submission.round.year,
        )
        .exclude(cluster=submission.cluster)
        .select_related("cluster")
        .only(
            "cluster_id",
            "values",
            "cluster__country_id",
            "cluster__nuts_region_id",
            "cluster__label",
        )
        .order_by("round__opened_at")
    )
    return list({peer.cluster_id: peer for peer in peers}.values())


def group_names(submission: Submission) -> list[str]:
    """The peer groups open to the submission's cluster: the standard ones and its
    hand-picked sets."""
    picked = PeerSet.objects.filter(cluster=submission.cluster).values_list("name", flat=True)
    return [*PEER_GROUPS, *(PICKED + name for name in picked)]


def peer_groups(*, submission: Submission) -> dict[str, list[Submission]]:
    """Every peer group open to the cluster with its members' validated answers: all, same
    country, NUTS 2 region, a shared sector (NACE division), a shared ecosystem, the same size
    band or label, and each hand-picked set (`picked:<name>`)."""
    cluster = submission.cluster
    pool = _validated_peers(submission)
    sharing = set(
        ClusterOrganisation.objects.filter(ecosystems__in=cluster.ecosystems.all()).values_list(
            "pk", flat=True
        )
    )
    divisions = {code[:2] for code in cluster.sectors.values_list("code", flat=True)}
    same_sector = {
        owner
        for owner, code in ClusterOrganisation.sectors.through.objects.filter(
            clusterorganisation__in=[peer.cluster_id for peer in pool]
        ).values_list("clusterorganisation_id", "naceactivity__code")
        if code[:2] in divisions
    }
    members_code = _code_computed_from(submission.round.framework, "members_total")
    band = _size_band(submission.values.get(members_code)) if members_code else None
    groups = {
        "all": pool,
        "country": [p for p in pool if p.cluster.country_id == cluster.country_id],
        "region": [p for p in pool if p.cluster.nuts_region_id == cluster.nuts_region_id],
        "sector": [p for p in pool if p.cluster_id in same_sector],
        "ecosystem": [p for p in pool if p.cluster_id in sharing],
        "size": [
            p for p in pool
            if band is None or _size_band(p.values.get(members_code)) == band
        ],
        "label": [p for p in pool if p.cluster.label == cluster.label],
    }  # fmt: skip
    for peer_set in PeerSet.objects.filter(cluster=cluster).prefetch_related("members"):
        chosen = {member.pk for member in peer_set.members.all()}
        groups[PICKED + peer_set.name] = [p for p in pool if p.cluster_id in chosen]
    return groups


def _group_of(groups: dict[str, list[Submission]], group: str) -> list[Submission]:
    if group in groups:
        return groups[group]
    if group.startswith(PICKED):
        raise ValueError(f"group: no hand-picked peer group {group[len(PICKED) :]!r}")
    raise ValueError(f"group must be one of {', '.join(PEER_GROUPS)} or {PICKED}<name>")


def peer_submissions(*, submission: Submission, group: str) -> list[Submission]:
    """The validated answers of one peer group (see `peer_groups`)."""
    return _group_of(peer_groups(submission=submission), group)


def _code_computed_from(framework: Framework, figure: str) -> str | None:
    return framework.indicators.filter(computed=figure).values_list("code", flat=True).first()


def _reporting(peers: list[Submission], code: str) -> frozenset[int]:
    return frozenset(peer.cluster_id for peer in peers if peer.values.get(code) is not None)


def _differencing_group(groups: dict[str, list[Submission]], group: str, code: str) -> str:
    """Another peer group whose clusters reporting `code` differ from this group's by at least
    one but fewer than the minimum group size: comparing the two could single a cluster out,
    so both are withheld (whichever is asked first)."""
    mine = _reporting(groups[group], code)
    for name, peers in groups.items():
        difference = len(mine ^ _reporting(peers, code))
        if name != group and 0 < difference < settings.BENCHMARKING_MIN_GROUP:
            return name
    return ""


def previous_values(*, submission: Submission) -> dict[str, Any]:
    """The cluster's validated answers of the year before, for the same framework."""
    previous = (
        Submission.objects.filter(
            cluster=submission.cluster,
            status=Submission.Status.VALIDATED,
            round__framework__slug=submission.round.framework.slug,
            round__year=submission.round.year - 1,
        )
        .order_by("-round__opened_at")
        .first()
    )
    return previous.values if previous else {}


def peer_comparison(*, submission: Submission, group: str = "all") -> dict[str, Any]:
    """Per indicator the cluster's value, change from last year and the peers' statistics (or
    the reason they are withheld); area scores, strengths and weaknesses, label readiness.
    Only aggregate peer figures ever leave this function."""
    framework = submission.round.framework
    document = framework_document(framework)
    indicators = document["indicators"]
    groups = peer_groups(submission=submission)
    peers = _group_of(groups, group)
    before = previous_values(submission=submission)
    rows, percentiles = [], {}
    for item in indicators:
        code, value = item["code"], submission.values.get(item["code"])
        row: dict[str, Any] = {"code": code, "area": item["area"], "value": value}
        if item["type"] in NUMERIC_TYPES:
            result = peers_module.peer_statistics(
                value,
                [peer.values.get(code) for peer in peers],
                higher_is_better=item.get("higher_is_better") is not False,
                min_group=settings.BENCHMARKING_MIN_GROUP,
            )
            close = _differencing_group(groups, group, code)
            if close and not result.suppressed:
                result = peers_module.PeerResult(
                    n=result.n,
                    suppressed=f"the {close.removeprefix(PICKED)} peer group differs from this one by fewer than "
                    f"{settings.BENCHMARKING_MIN_GROUP} clusters",
                )
            row.update(
                n=result.n,
                median=result.median,
                q1=result.q1,
                q3=result.q3,
                percentile=result.percentile,
                suppressed=result.suppressed,
            )
            percentiles[code] = result.percentile
            previous = before.get(code)
            row["change"] = (
                value - previous
                if isinstance(value, int | float) and isinstance(previous, int | float)
                else None
            )
        rows.append(row)
    strengths, weaknesses = scores.strengths_and_weaknesses(percentiles)
    return {
        "cluster": submission.cluster.slug,
        "year": submission.round.year,
        "framework": f"{framework.slug} v{framework.version}",
        "group": group,
        "peers": len(peers),
        "indicators": rows,
        "areas": scores.area_scores(indicators, percentiles),
        "strengths": strengths,
        "weaknesses": weaknesses,
        "label_readiness": scores.label_readiness(
            indicators, submission.values, document["label_rules"]
        ),
    }


def cluster_history(*, cluster: ClusterOrganisation) -> list[Submission]:
    """Every round the cluster took part in, newest year first."""
    return list(
        Submission.objects.filter(cluster=cluster)
        .select_related("round", "round__framework", "round__agency")
        .order_by("-round__year", "-round__opened_at")
    )


def latest_validated(*, cluster: ClusterOrganisation, year: int) -> Submission | None:
    return (
        Submission.objects.filter(
            cluster=cluster, status=Submission.Status.VALIDATED, round__year=year
        )
        .select_related("round", "round__framework")
        .order_by("-round__opened_at")
        .first()
    )


def membership_evolution(
    *, cluster: ClusterOrganisation, years: int, until: int
) -> list[dict[str, Any]]:
    """Members in force on 31 December of each of the last `years` years: the total and the
    count by organisation type."""
    memberships = list(
        Membership.objects.filter(cluster=cluster).values_list(
            "since", "until", "organisation__type"
        )
    )
    evolution = []
    for year in range(until - years + 1, until + 1):
        end = date(year, 12, 31)
        counts: dict[str, int] = {}
        for since, until_day, kind in memberships:
            if since <= end and (until_day is None or until_day >= end):
                counts[kind] = counts.get(kind, 0) + 1
        evolution.append({"year": year, "total": sum(counts.values()), "by_type": counts})
    return evolution


def policies_of_year(*, year: int) -> list[ClusterPolicy]:
    return list(
        ClusterPolicy.objects.filter(year=year)
        .select_related("agency", "agency__country")
        .prefetch_related("programmes", "agency__regions")
        .order_by("agency__name")
    )


def policy_years() -> list[int]:
    return sorted(set(ClusterPolicy.objects.values_list("year", flat=True)), reverse=True)


def policy_comparison(*, year: int) -> dict[str, Any]:
    """The agencies' cluster policies of a year side by side: budget by instrument, clusters
    supported, budget per supported cluster, aid recorded in the state-aid register under the
    programmes, and each agency's regions' statistical context."""
    policies = policies_of_year(year=year)
    recorded = aid_by_programme(
        programmes=[
            programme.aid_programme
            for policy in policies
            for programme in policy.programmes.all()
            if programme.aid_programme
        ],
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    instruments = [choice.value for choice in PolicyProgramme.Instrument]
    rows = []
    for policy in policies:
        programmes = list(policy.programmes.all())
        budget = sum((p.budget_eur for p in programmes), Decimal(0))
        supported = max((p.clusters_supported for p in programmes), default=0)
        by_instrument = {kind: Decimal(0) for kind in instruments}
        for programme in programmes:
            by_instrument[programme.instrument] += programme.budget_eur
        regions = sorted({r.code[:4] for r in policy.agency.regions.all() if len(r.code) >= 4})
        rows.append(
            {
                "policy": policy,
                "agency": policy.agency,
                "programmes": programmes,
                "budget": budget,
                "by_instrument": by_instrument,
                "clusters_recognised": policy.clusters_recognised,
                "clusters_supported": supported,
                "budget_per_cluster": budget / supported if supported else None,
                "aid_recorded": sum(
                    (recorded.get(p.aid_programme, Decimal(0)) for p in programmes),
                    Decimal(0),
                ),
                "legal_bases": sorted({p.legal_basis for p in programmes}),
                "regions": [
                    summary
                    for summary in (region_summary(code) for code in regions)
                    if summary is not None
                ],
            }
        )
    return {"year": year, "instruments": instruments, "rows": rows}


def min_group() -> int:
    return settings.BENCHMARKING_MIN_GROUP


def rounds_of(*, agencies: list[Agency]):
    return (
        Round.objects.filter(agency__in=agencies)
        .select_related("agency", "framework")
        .annotate(
            clusters=Count("submissions"),
            validated=Count("submissions", filter=Q(submissions__status="validated")),
        )
        .order_by("-year", "-opened_at")
    )


def required_codes(framework: Framework) -> list[str]:
    """The indicators a submission must answer before it is sent (all but free text)."""
    return list(framework.indicators.exclude(type="text").values_list("code", flat=True))


def progress(submission: Submission, required: list[str]) -> dict[str, int]:
    answered = sum(1 for code in required if submission.values.get(code) is not None)
    return {
        "answered": answered,
        "required": len(required),
        "percent": round(100 * answered / len(required)) if required else 100,
    }
