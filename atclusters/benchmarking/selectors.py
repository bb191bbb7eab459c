"""Reads of the benchmarking domain."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from atclusters.benchmarking import frameworks, scores
from atclusters.benchmarking import peers as peers_module
from atclusters.benchmarking.models import (
    ClusterPolicy,
    Framework,
    PeerPool,
    PeerRelease,
    PeerSet,
    PeerView,
    PolicyProgramme,
    Round,
    Submission,
)
from atclusters.core import smallcells
from atclusters.core.models import Agency
from atclusters.events.selectors import benchmarking_figures as event_figures
from atclusters.funding.selectors import cluster_year_figures
from atclusters.mapping.selectors import region_summary
from atclusters.registry.models import ClusterOrganisation, CooperationAgreement, Membership
from atclusters.services.selectors import benchmarking_figures
from atclusters.stateaid.selectors import NO_AID, aid_by_programme, aid_to_cluster
from atclusters.watch.selectors import benchmarking_figures as watch_figures

INDICATOR_KEYS = (
    "code", "area", "type", "label", "help", "unit", "min", "max", "choices",
    "higher_is_better", "threshold", "weight", "computed", "knock_out",
)  # fmt: skip


def _indicator(values: dict[str, Any]) -> dict[str, Any]:
    """An indicator with its keys in order, without empty optional values; weight 1 is the
    default and is written out; `knock_out` only where true."""
    item = {key: values.get(key) for key in INDICATOR_KEYS}
    item["weight"] = values.get("weight", 1)
    item["knock_out"] = True if values.get("knock_out") else None
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """A framework document in the form `framework_document` writes, for comparisons."""
    return {
        "slug": document["slug"],
        "version": document["version"],
        "kind": frameworks.kind_of(document),
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
            "kind": framework.kind,
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
                    "knock_out": indicator.knock_out,
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
    on_end = {"date": date_format(end, "SHORT_DATE_FORMAT"), "year": year}

    def figure(value: Any, formula: str, missing: str) -> Computed:
        """The value with its formula, or none with why there is none."""
        return Computed(value, (formula if value is not None else missing) % on_end)

    services = benchmarking_figures(cluster=cluster, year=year)
    events = event_figures(cluster=cluster, year=year)
    eu = cluster_year_figures(cluster=cluster, year=year)
    watch = watch_figures(cluster=cluster, year=year)
    no_watch = _("no technology watch source of the cluster on the platform")
    return {
        "members_total": Computed(total, _("memberships in force on %(date)s") % on_end),
        "sme_share": Computed(
            round(100 * smes / total, 1) if total else None,
            _("members of size micro, small or medium ÷ members × 100"),
        ),
        "member_types": Computed(
            len({kind for kind, _size in members}), _("distinct organisation types among members")
        ),
        "research_members": Computed(
            sum(1 for kind, _size in members if kind in RESEARCH_TYPES),
            _("members that are universities or research/technology centres"),
        ),
        "members_net_change": Computed(
            joined - left, _("memberships started minus memberships ended in %(year)s") % on_end
        ),
        "management_fte": Computed(
            float(cluster.management_team_fte) if cluster.management_team_fte is not None else None,
            _("the cluster profile's management team (FTE)"),
        ),
        "excellence_label": Computed(
            cluster.label if label_valid else "none",
            _("the profile's label, if valid on %(date)s; none otherwise") % on_end,
        ),
        "cooperation_agreements": Computed(
            foreign, _("agreements in force on %(date)s with a party of another country") % on_end
        ),
        "aid_received": Computed(
            float(aid),
            _(
                "aid in the state-aid register granted to the cluster in %(year)s, without the "
                "aid it passed on to members"
            )
            % on_end,
        ),
        "services_offered": figure(
            services["services_offered"],
            _("distinct services of the cluster offered by %(date)s or delivered in %(year)s"),
            _("no service of the cluster nor delivery to its members recorded for %(year)s"),
        ),
        "service_uptake": figure(
            services["service_uptake"],
            _("members on %(date)s that received a delivered service in %(year)s ÷ members × 100"),
            _("no delivery to the cluster's members recorded for %(year)s"),
        ),
        "events_held": figure(
            events["events_held"],
            _("conferences and trainings organised by the cluster that ended in %(year)s"),
            _("no event organised by the cluster recorded on the platform"),
        ),
        "event_participants": figure(
            events["event_participants"],
            _("participants present at the cluster's events that ended in %(year)s"),
            _("no event organised by the cluster recorded on the platform"),
        ),
        "eu_proposals": figure(
            eu["submitted"],
            _("EU proposals of the cluster submitted in %(year)s (EU funding)"),
            _("no EU proposal of the cluster recorded on the platform"),
        ),
        "eu_success_rate": figure(
            eu["success_rate"],
            _(
                "EU proposals of the cluster funded ÷ (funded + rejected), decided in "
                "%(year)s, × 100"
            ),
            _("no EU proposal of the cluster decided in %(year)s"),
        ),
        "watch_items_validated": figure(
            watch["watch_items_validated"],
            _("technology watch items of the cluster validated by its curators in %(year)s"),
            no_watch,
        ),
        "watch_bulletins_sent": figure(
            watch["watch_bulletins_sent"],
            _("technology watch bulletins of the cluster sent in %(year)s"),
            no_watch,
        ),
        "watch_service": figure(
            watch["watch_service"],
            _("yes when the cluster sent at least one technology watch bulletin in %(year)s"),
            no_watch,
        ),
        "eu_funding_secured": Computed(
            eu["funding_secured"] if eu["submitted"] is not None else None,
            _("EU contribution requested by the cluster's proposals funded in %(year)s (EUR)")
            % on_end,
        ),
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
PICKED = "picked:"  # a hand-picked peer group: "picked:<name>"


def _size_band(members: Any) -> int:
    count = members if isinstance(members, int | float) else 0
    return sum(1 for bound in SIZE_BANDS if count >= bound)


def profile_snapshot(submission: Submission) -> dict[str, Any]:
    """What the standard peer groups are drawn from, frozen into a submission when it is
    validated, so that no later edit of a profile changes a group of that year: the cluster's
    country, NUTS 2 region, NACE divisions, ecosystems and label, and the size band of the
    members it reported (none when the framework asks for no member count)."""
    cluster = submission.cluster
    code = _code_computed_from(submission.round.framework, "members_total")
    return {
        "country": cluster.country_id,
        "region": cluster.nuts_region_id,
        "divisions": sorted({code[:2] for code in cluster.sectors.values_list("code", flat=True)}),
        "ecosystems": sorted(cluster.ecosystems.values_list("pk", flat=True)),
        "label": cluster.label,
        "size": _size_band(submission.values.get(code)) if code else None,
    }


@dataclass(frozen=True)
class PoolAnswers:
    """The validated answers to a framework in a year, read once: all of them by id (also
    those a newer answer of the same cluster has replaced, which groups released earlier may
    hold) and the newest of each cluster, which new groups are drawn from."""

    by_id: dict[int, Submission]
    current: list[Submission]
    by_cluster: dict[int, frozenset[int]]

    def of_cluster(self, cluster_id: int) -> frozenset[int]:
        return self.by_cluster.get(cluster_id, frozenset())


def pool_answers(*, framework_slug: str, year: int, with_values: bool = True) -> PoolAnswers:
    """The pool's answers with their frozen profiles, and their values if asked."""
    answers = list(
        Submission.objects.filter(
            status=Submission.Status.VALIDATED,
            round__framework__slug=framework_slug,
            round__year=year,
        )
        .only("cluster_id", "profile", *(["values"] if with_values else []))
        .order_by("round__opened_at", "pk")
    )
    by_cluster: dict[int, set[int]] = {}
    for answer in answers:
        by_cluster.setdefault(answer.cluster_id, set()).add(answer.pk)
    return PoolAnswers(
        by_id={answer.pk: answer for answer in answers},
        current=list({answer.cluster_id: answer for answer in answers}.values()),
        by_cluster={cluster: frozenset(ids) for cluster, ids in by_cluster.items()},
    )


def group_names(submission: Submission) -> list[str]:
    """The peer groups open to the submission's cluster: the standard ones and its
    hand-picked sets."""
    picked = PeerSet.objects.filter(cluster=submission.cluster).values_list("name", flat=True)
    return [*PEER_GROUPS, *(PICKED + name for name in picked)]


def group_label(name: str) -> str:
    labels = {
        "all": _("all clusters"),
        "country": _("same country"),
        "region": _("same region"),
        "sector": _("same sector (NACE division)"),
        "ecosystem": _("same ecosystem"),
        "size": _("same size band"),
        "label": _("same label"),
    }
    return labels.get(name) or _("hand-picked: %(name)s") % {"name": name.removeprefix(PICKED)}


def peer_group(
    *, submission: Submission, group: str, answers: PoolAnswers
) -> tuple[str, frozenset[int]]:
    """One of the cluster's peer groups as it would be drawn now from the pool's newest
    answers and the profiles frozen in them: what defines it (`key`: clusters that define it
    the same way share it) and its members' submissions, the cluster's own included when it
    belongs. All; same country; same NUTS 2 region; a shared NACE division; a shared ecosystem;
    the same size band (members) or label; a hand-picked set (`picked:<name>`)."""
    profile, current = submission.profile, answers.current
    if group == "all":
        return group, frozenset(answer.pk for answer in current)
    if group in ("country", "region", "size", "label"):
        value = profile.get(group)
        return f"{group}:{'' if value is None else value}", frozenset(
            answer.pk for answer in current if answer.profile.get(group) == value
        )
    if group in ("sector", "ecosystem"):
        field = "divisions" if group == "sector" else "ecosystems"
        mine = set(profile.get(field, []))
        return f"{group}:{','.join(str(item) for item in sorted(mine))}", frozenset(
            answer.pk for answer in current if mine.intersection(answer.profile.get(field, []))
        )
    if group.startswith(PICKED):
        peer_set = PeerSet.objects.filter(
            cluster_id=submission.cluster_id, name=group.removeprefix(PICKED)
        ).first()
        if peer_set is None:
            raise ValueError(f"group: no hand-picked peer group {group.removeprefix(PICKED)!r}")
        chosen = set(peer_set.members.values_list("pk", flat=True))
        return f"{PICKED}{peer_set.pk}", frozenset(
            answer.pk for answer in current if answer.cluster_id in chosen
        )
    raise ValueError(f"group must be one of {', '.join(PEER_GROUPS)} or {PICKED}<name>")


def _code_computed_from(framework: Framework, figure: str) -> str | None:
    return framework.indicators.filter(computed=figure).values_list("code", flat=True).first()


def numeric_codes(framework: Framework) -> list[str]:
    return list(framework.indicators.filter(type__in=NUMERIC_TYPES).values_list("code", flat=True))


def latest_view(*, submission: Submission, group: str) -> PeerView | None:
    """What the cluster's comparison shows for a group now: its newest view."""
    return (
        PeerView.objects.filter(
            cluster_id=submission.cluster_id,
            group=group,
            release__pool__framework_slug=submission.round.framework.slug,
            release__pool__year=submission.round.year,
        )
        .select_related("release")
        .first()
    )


def release_members(release: PeerRelease) -> frozenset[int]:
    return frozenset(release.members.values_list("pk", flat=True))


@dataclass(frozen=True)
class PoolViews:
    """Every group shown for a pool: the views (newest first), each release's members, and the
    releases of each key (newest first)."""

    views: list[PeerView]
    members: dict[int, frozenset[int]]
    releases: dict[str, list[PeerRelease]]


def pool_views(pool: PeerPool) -> PoolViews:
    releases: dict[str, list[PeerRelease]] = {}
    members: dict[int, set[int]] = {}
    for release in PeerRelease.objects.filter(pool=pool).order_by("-created_at", "-pk"):
        releases.setdefault(release.key, []).append(release)
        members[release.pk] = set()
    through = PeerRelease.members.through.objects.filter(peerrelease__pool=pool)
    for release_id, submission_id in through.values_list("peerrelease_id", "submission_id"):
        members[release_id].add(submission_id)
    return PoolViews(
        views=list(
            PeerView.objects.filter(release__pool=pool)
            .only("release_id", "cluster_id", "group", "shown", "withheld")
            .order_by("-created_at", "-pk")
        ),
        members={pk: frozenset(ids) for pk, ids in members.items()},
        releases=releases,
    )


def reader_knowledge(*, answers: PoolAnswers) -> dict[int, list[frozenset[int]]]:
    """Per cluster, what the readers of its comparison know of the pool's answers (submission
    ids): each reader knows the cluster's own, a manager also those of every cluster they
    manage, an agency's staff those of all the agency's clusters. Platform admins see every
    answer anyway and are left out."""
    agency_of = dict(ClusterOrganisation.objects.values_list("pk", "agency_id"))
    of_agency: dict[int, set[int]] = {}
    for cluster_id, agency_id in agency_of.items():
        of_agency.setdefault(agency_id, set()).add(cluster_id)
    admins = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    editable: dict[int, set[int]] = {}
    managers: dict[int, set[int]] = {}
    managed = ClusterOrganisation.managers.through.objects.exclude(user_id__in=admins)
    for cluster_id, user_id in managed.values_list("clusterorganisation_id", "user_id"):
        editable.setdefault(user_id, set()).add(cluster_id)
        managers.setdefault(cluster_id, set()).add(user_id)
    staff: dict[int, set[int]] = {}
    staffed = Agency.staff.through.objects.exclude(user_id__in=admins)
    for agency_id, user_id in staffed.values_list("agency_id", "user_id"):
        editable.setdefault(user_id, set()).update(of_agency.get(agency_id, ()))
        staff.setdefault(agency_id, set()).add(user_id)
    known: dict[frozenset[int], frozenset[int]] = {}  # one object per distinct set

    def answers_of(clusters: set[int]) -> frozenset[int]:
        ids = frozenset(pk for cluster in clusters for pk in answers.of_cluster(cluster))
        return known.setdefault(ids, ids)

    of_reader = {user: answers_of(clusters) for user, clusters in editable.items()}
    knowledge = {}
    for cluster_id in agency_of:
        readers = managers.get(cluster_id, set()) | staff.get(agency_of[cluster_id], set())
        sets = {answers_of({cluster_id})} | {of_reader[user] for user in readers}
        knowledge[cluster_id] = sorted(sets, key=len)
    return knowledge


def withheld_reason(reason: dict[str, str] | None, year: int) -> str:
    """Why an indicator's statistics are withheld, in the active language (`disclosure`): too
    few peers; too few whose answers the comparison's readers do not know; a group already
    shown for the year that differs from this one by too few clusters (named when it is the
    same cluster's); a sum or difference with the groups already shown in this comparison."""
    count = settings.BENCHMARKING_MIN_GROUP
    if reason is None:
        return _("fewer than %(count)s peers reported this indicator") % {"count": count}
    if reason["reason"] == "known":
        return _(
            "the readers of this comparison know the answers of all but fewer than %(count)s "
            "of these peers"
        ) % {"count": count}
    if reason["reason"] == "combination":
        return _(
            "added to or taken from the groups already shown in this comparison, it would "
            "single out one cluster"
        )
    if reason["group"]:
        return _(
            "the peer group “%(group)s” differs from this one by fewer than %(count)s clusters"
        ) % {"group": group_label(reason["group"]), "count": count}
    return _(
        "a peer group already shown for %(year)s differs from this one by fewer than "
        "%(count)s clusters"
    ) % {"year": year, "count": count}


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


def peer_comparison(*, submission: Submission, view: PeerView) -> dict[str, Any]:
    """Per indicator the cluster's value, change from last year and the peers' statistics as
    the view shows them (or why they are withheld); area scores, strengths and weaknesses,
    label readiness. The peers are the view's released group without the cluster itself. Only
    aggregate peer figures ever leave this function, and no size of a group too small: `peers`
    and an indicator's `n` are None for 1 to `min_group` - 1 clusters, read "fewer than
    `min_group`" (core/smallcells.py)."""
    min_group = settings.BENCHMARKING_MIN_GROUP
    framework = submission.round.framework
    document = framework_document(framework)
    indicators = document["indicators"]
    peers = list(view.release.members.exclude(cluster_id=submission.cluster_id).only("values"))
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
                min_group=min_group,
            )
            if code not in view.shown or result.suppressed:
                result = peers_module.PeerResult(
                    n=result.n,
                    suppressed=withheld_reason(
                        None if result.suppressed else view.withheld.get(code),
                        submission.round.year,
                    ),
                )
            row.update(
                n=smallcells.shown_count(result.n, min_group),
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
        "group": view.group,
        "peers": smallcells.shown_count(len(peers), min_group),
        "min_group": min_group,
        "shown_since": view.created_at.isoformat(),
        "indicators": rows,
        "areas": scores.area_scores(indicators, percentiles),
        "strengths": strengths,
        "weaknesses": weaknesses,
        "label_readiness": label_readiness(
            cluster=submission.cluster, year=submission.round.year, benchmarking=submission
        ),
    }


def label_readiness(
    *, cluster: ClusterOrganisation, year: int, benchmarking: Submission | None = None
) -> dict[str, Any]:
    """The cluster's readiness for the three labels in a year, each with its reasons:
    Bronze from the year's validated benchmarking (`benchmarking`, else the newest), Gold from
    the newest validated Gold assessment of the year or before, Silver from the benchmarking
    history. `share_meeting_thresholds` profiles the benchmarking answers and decides no
    label; `gold` is the Gold assessment's verdict, false without one."""
    if benchmarking is None:
        benchmarking = latest_validated(cluster=cluster, year=year)
    readiness: dict[str, Any] = {
        "cluster": cluster.slug,
        "year": year,
        "bronze": None,
        "bronze_missing": [],
        "thresholds_judged": 0,
        "share_meeting_thresholds": None,
    }
    if benchmarking is not None:
        document = framework_document(benchmarking.round.framework)
        readiness.update(
            scores.benchmarking_readiness(
                document["indicators"], benchmarking.values, document["label_rules"]
            )
        )
    gold = gold_readiness(latest_gold_assessment(cluster=cluster, year=year), year=year)
    silver = silver_readiness(benchmarking, year=year, gold=gold)
    return {
        **readiness,
        "gold": gold["ready"],
        "gold_assessment": gold,
        "silver": silver["ready"],
        "silver_readiness": silver,
    }


def cluster_history(*, cluster: ClusterOrganisation) -> list[Submission]:
    """Every round the cluster took part in, newest year first."""
    return list(
        Submission.objects.filter(cluster=cluster)
        .select_related("round", "round__framework", "round__agency")
        .order_by("-round__year", "-round__opened_at")
    )


def _validated(*, cluster: ClusterOrganisation, kind: str):
    return Submission.objects.filter(
        cluster=cluster, status=Submission.Status.VALIDATED, round__framework__kind=kind
    ).select_related("round", "round__framework")


def latest_validated(*, cluster: ClusterOrganisation, year: int) -> Submission | None:
    """The cluster's newest validated benchmarking answers for a year (never a Gold
    assessment: it is not compared with peers)."""
    return (
        _validated(cluster=cluster, kind=frameworks.BENCHMARKING)
        .filter(round__year=year)
        .order_by("-round__opened_at")
        .first()
    )


def latest_gold_assessment(*, cluster: ClusterOrganisation, year: int) -> Submission | None:
    """The cluster's newest validated Gold assessment of `year` or before."""
    return (
        _validated(cluster=cluster, kind=frameworks.GOLD)
        .filter(round__year__lte=year)
        .order_by("-round__year", "-validated_at", "-pk")
        .first()
    )


def validated_on(submission: Submission) -> date:
    """The day a benchmarking counts from: the day its answers were validated."""
    return timezone.localdate(submission.validated_at or submission.updated_at)


def _percent(share: float) -> str:
    return f"{100 * share:.1f}".removesuffix(".0")


def _answers_named(submission: Submission) -> dict[str, Any]:
    return {
        "submission": submission.pk,
        "year": submission.round.year,
        "validated_on": validated_on(submission).isoformat(),
    }


def gold_readiness(assessment: Submission | None, *, year: int) -> dict[str, Any]:
    """The Gold verdict of a validated Gold assessment, with its reasons in the active
    language: each knock-out criterion not met (named), and the share of quality indicators
    met against the minimum."""
    if assessment is None:
        return {
            **scores.gold_readiness([], {}, {}),
            "assessment": None,
            "reasons": [_("no validated Gold assessment up to %(year)s") % {"year": year}],
        }
    framework = assessment.round.framework
    document = framework_document(framework)
    verdict = scores.gold_readiness(
        document["indicators"], assessment.values, document["label_rules"]
    )
    labels = {
        item["code"]: frameworks.text_in(item["label"], get_language() or "en")
        for item in document["indicators"]
    }
    failed = [{"code": code, "label": labels[code]} for code in verdict["knock_outs_failed"]]
    reasons = [_("knock-out criterion not met: %(code)s %(label)s") % item for item in failed]
    if verdict["share_met"] is not None and not verdict["share_met"] >= verdict["min_share"]:
        reasons.append(
            _(
                "%(met)s of %(count)s quality indicators meet their thresholds (%(percent)s %%); "
                "at least %(minimum)s %% are needed"
            )
            % {
                "met": verdict["quality_met"],
                "count": verdict["quality_indicators"],
                "percent": _percent(verdict["share_met"]),
                "minimum": _percent(verdict["min_share"]),
            }
        )
    return {
        **verdict,
        "assessment": {**_answers_named(assessment), "framework": str(framework)},
        "knock_outs_failed": failed,
        "reasons": reasons,
    }


SILVER_REASONS = {
    "no_rule": gettext_noop(
        "the benchmarking framework gives no Silver rule (import its newest version)"
    ),
    "not_bronze": gettext_noop("these answers do not meet the Bronze prerequisites"),
    "no_earlier": gettext_noop(
        "no earlier validated benchmarking of the framework meets the Bronze prerequisites"
    ),
    "too_soon": gettext_noop(
        "%(months)s months after the benchmarking validated on %(day)s: a repeat counts from "
        "%(min_months)s months after it"
    ),
    "too_late": gettext_noop(
        "%(months)s months after the benchmarking validated on %(day)s: a repeat counts up to "
        "%(max_months)s months after it"
    ),
    "too_few_areas": gettext_noop(
        "%(count)s areas improved since the benchmarking validated on %(day)s; at least "
        "%(min_areas)s are needed"
    ),
    "minimum_requirements": gettext_noop(
        "baseline minimum requirements of the Gold assessment not met: %(codes)s"
    ),
}


def silver_readiness(
    benchmarking: Submission | None, *, year: int, gold: dict[str, Any]
) -> dict[str, Any]:
    """Silver from the cluster's validated benchmarkings of the same framework
    (`scores.silver_readiness`): `benchmarking` as the repeat, the earlier ones as
    candidates; the baseline minimum requirements from the Gold assessment, when there is
    one. Dates are the days the answers were validated."""
    if benchmarking is None:
        return {
            "ready": False,
            "missing": ["no_benchmarking"],
            "current": None,
            "earlier": None,
            "months": None,
            "window_months": None,
            "min_improved_areas": None,
            "areas": [],
            "improved_areas": [],
            "minimum_requirements_failed": [],
            "reasons": [_("no validated benchmarking for %(year)s") % {"year": year}],
        }
    documents: dict[int, dict[str, Any]] = {}

    def read(submission: Submission) -> scores.Benchmarking:
        framework = submission.round.framework
        document = documents.get(framework.pk) or documents.setdefault(
            framework.pk, framework_document(framework)
        )
        return scores.Benchmarking(
            key=submission.pk,
            year=submission.round.year,
            day=validated_on(submission),
            values=submission.values,
            bronze=scores.benchmarking_readiness(
                document["indicators"], submission.values, document["label_rules"]
            )["bronze"],
        )

    current = read(benchmarking)
    document = documents[benchmarking.round.framework_id]
    earlier = (
        _validated(cluster=benchmarking.cluster, kind=frameworks.BENCHMARKING)
        .filter(round__framework__slug=benchmarking.round.framework.slug)
        .exclude(pk=benchmarking.pk)
    )
    knock_outs = gold["knock_outs_failed"] if gold["assessment"] else None
    verdict = scores.silver_readiness(
        indicators=document["indicators"],
        rules=document["label_rules"],
        current=current,
        earlier=[read(submission) for submission in earlier],
        knock_outs_failed=[item["code"] for item in knock_outs] if knock_outs else None,
    )
    chosen = verdict["earlier"]
    window = verdict["window_months"] or [None, None]
    details = {
        "months": verdict["months"],
        "min_months": window[0],
        "max_months": window[1],
        "min_areas": verdict["min_improved_areas"],
        "day": chosen.day.isoformat() if chosen else "",
        "count": len(verdict["improved_areas"]),
        "codes": ", ".join(verdict["minimum_requirements_failed"]),
    }
    language = get_language() or "en"
    return {
        **verdict,
        "current": _answers_named(benchmarking),
        "earlier": None
        if chosen is None
        else {
            "submission": chosen.key,
            "year": chosen.year,
            "validated_on": chosen.day.isoformat(),
        },
        "areas": [
            {
                "area": area,
                "name": frameworks.text_in(document["areas"].get(area, {}), language) or area,
                "improved": moved["improved"],
                "worsened": moved["worsened"],
                "improved_area": area in verdict["improved_areas"],
            }
            for area, moved in verdict["areas"].items()
        ],
        "reasons": [_(SILVER_REASONS[code]) % details for code in verdict["missing"]],
    }


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
    programmes, and each agency's regions' statistical context. Every signed-in user reads it,
    so the aid recorded follows the small-cell rule (core/smallcells.py): a total resting on 1
    to CONFIDENTIALITY_MIN_GROUP - 1 undertakings is withheld (None, `aid_withheld`), unless
    the law publishes every grant behind it anyway (`stateaid.rules.published_grant`: the de
    minimis central register of Regulation (EU) 2023/2831 Art. 6, GBER Art. 9 above EUR
    100,000) — a small GBER award or earlier de minimis aid is public nowhere, and the total
    of one or two of them would be their amounts."""
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
        aid = sum(
            (recorded.get(name, NO_AID) for name in {p.aid_programme for p in programmes}),
            NO_AID,
        )
        aid_withheld = (
            smallcells.small(len(aid.undertakings), settings.CONFIDENTIALITY_MIN_GROUP)
            and not aid.published
        )
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
                "aid_recorded": None if aid_withheld else aid.total,
                "aid_withheld": aid_withheld,
                "legal_bases": sorted({p.legal_basis for p in programmes}),
                "regions": [
                    summary
                    for summary in (region_summary(code) for code in regions)
                    if summary is not None
                ],
            }
        )
    return {
        "year": year,
        "instruments": instruments,
        "rows": rows,
        "min_group": settings.CONFIDENTIALITY_MIN_GROUP,
    }


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
