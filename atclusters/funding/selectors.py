"""Reads of EU funding: calls (open, by programme, found by words), the calls ranked for a
cluster by the cooperation matching engine with their reasons, the deadlines to come, the review
queue of uncertain links, and the track-record figures of a cluster's members or a region's
organisations."""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from atclusters.cooperation import selectors as cooperation
from atclusters.cooperation.matching import Index, Preferences, Profile, Reason, Weights
from atclusters.cooperation.text import terms
from atclusters.core import smallcells
from atclusters.core.domains import SearchResult
from atclusters.core.models import Agency, Term
from atclusters.core.permissions import AnyUser
from atclusters.funding import calldates, partnering, permissions, pipeline, trackrecord
from atclusters.funding.models import (
    Call,
    Participation,
    Proposal,
    ProposalInvitation,
    ProposalTask,
)
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation

# Calls have no NACE codes, value chain or country of their own: they are matched on the
# taxonomies (technology fields, ecosystems, S3 areas), the text and, when a model is set, the
# meaning of the descriptions (docs/funding.md, "How calls are ranked").
CALL_WEIGHTS = Weights(
    nace=0, technology=0.2, ecosystem=0.25, s3=0.15, value_chain=0, related=0, text=0.4,
    transnational=0, semantic=0.2,
)  # fmt: skip
KEYWORD_REASON = "keywords"
# The reasons of a partner proposed from its CORDIS track record (partnering.py).
SIMILAR_PROJECTS = "similar_projects"
PROGRAMME_PROJECTS = "programme_projects"


def open_calls(now: datetime | None = None) -> QuerySet[Call]:
    """Calls whose last deadline is still to come (forthcoming ones included)."""
    return Call.objects.filter(deadline_at__gte=now or timezone.now())


def calls(
    *, programme: str = "", query: str = "", include_closed: bool = False,
    now: datetime | None = None,
) -> QuerySet[Call]:  # fmt: skip
    chosen = Call.objects.all() if include_closed else open_calls(now)
    if programme:
        chosen = chosen.filter(programme__iexact=programme)
    for word in query.split()[:8]:
        chosen = chosen.filter(
            Q(identifier__icontains=word) | Q(title__icontains=word)
            | Q(description__icontains=word) | Q(keywords__icontains=word)
        )  # fmt: skip
    return chosen.order_by("deadline_at", "identifier")


def programmes() -> list[str]:
    return list(Call.objects.order_by("programme").values_list("programme", flat=True).distinct())


def call_status(call: Call, now: datetime) -> str:
    return calldates.status(call.opens_at, call.deadline_moments(), now)


def next_deadline(call: Call, now: datetime) -> datetime | None:
    return calldates.next_deadline(call.deadline_moments(), now)


def _profile(call: Call) -> Profile:
    kinds: dict[str, set[str]] = {}
    for term in call.terms.all():
        kinds.setdefault(term.kind, set()).add(term.slug)
    text = "\n".join([call.title, call.description, ", ".join(call.keywords)])
    return Profile(
        key=f"call:{call.pk}",
        name=call.title,
        kind="call",
        technologies=frozenset(kinds.get(Term.Kind.TECHNOLOGY_FIELD, ())),
        ecosystems=frozenset(kinds.get(Term.Kind.ECOSYSTEM, ())),
        s3=frozenset(kinds.get(Term.Kind.S3_AREA, ())),
        texts={"en": text},
    )


_INDEX: dict[str, tuple[tuple, Index, dict[int, Call]]] = {}
_LOCK = threading.Lock()


def _call_index(now: datetime) -> tuple[Index, dict[int, Call]]:
    """The open calls as the matcher's candidates, built again when a call changed (or one
    closed: the day is part of the fingerprint)."""
    chosen = open_calls(now)
    fingerprint = (
        chosen.aggregate(n=Count("pk"), t=Max("updated_at"), terms=Count("terms")),
        now.date(),
        settings.DATABASES["default"]["NAME"],
        settings.COOPERATION_SEMANTIC_MODEL,
    )
    with _LOCK:
        cached = _INDEX.get("calls")
        if cached is not None and cached[0] == fingerprint:
            return cached[1], cached[2]
        found = {call.pk: call for call in chosen.prefetch_related("terms")}
        index = Index(
            [_profile(call) for call in found.values()],
            cooperation.vocabulary(),
            cooperation.embedder(),
        )
        _INDEX["calls"] = (fingerprint, index, found)
        return index, found


@dataclass(frozen=True)
class RankedCall:
    call: Call
    score: float
    reasons: list[str]
    codes: list[dict]
    deadline: datetime | None


def cluster_profile(cluster: ClusterOrganisation) -> Profile | None:
    """The cluster as the matcher sees it (published clusters: the engine's own profile)."""
    index = cooperation.matching_index(organisations=False)
    return cooperation.query_profile(index, kind="cluster", identifier=cluster.slug)


def _keyword_reason(call: Call, profile: Profile) -> Reason | None:
    """The call's keywords whose words all occur in the cluster's English description."""
    described = set(terms(profile.texts.get("en", ""), "en"))
    shared = [
        keyword for keyword in call.keywords
        if (stems := terms(keyword, "en")) and set(stems) <= described
    ]  # fmt: skip
    return Reason(KEYWORD_REASON, {"names": ", ".join(shared[:4])}) if shared else None


def reason_text(reason: Reason, names: cooperation.ReaderNames | None = None) -> str:
    """`names`: `cooperation.reader_names()`, read once for the many reasons of one answer."""
    if reason.code == KEYWORD_REASON:
        return _("the call's keywords in your description: %(names)s") % dict(reason.params)
    return cooperation.reason_text(reason, names)


def ranked_calls(
    cluster: ClusterOrganisation, *, top: int = 10, now: datetime | None = None
) -> list[RankedCall]:
    """The open calls that fit the cluster best, with the reasons: calls whose eligible
    countries leave the cluster's out are left out, and so are calls that share nothing."""
    now = now or timezone.now()
    profile = cluster_profile(cluster)
    if profile is None:
        return []
    index, found = _call_index(now)
    if not len(index):
        return []
    signals, score = index.scored(profile, CALL_WEIGHTS)
    keep = score > 0
    for row, candidate in enumerate(index.profiles):
        call = found[int(candidate.key.split(":")[1])]
        # The index is of the day's open calls: one may have closed since.
        closed = call.deadline_at < now
        if closed or (
            call.eligible_countries and cluster.country_id not in call.eligible_countries
        ):
            keep[row] = False
    ranked = []
    names = cooperation.reader_names()
    for row in index.best(score, keep, top):
        call = found[int(index.profiles[row].key.split(":")[1])]
        reasons = index.reasons(profile, index.profiles[row], signals, row)
        if keyword := _keyword_reason(call, profile):
            reasons.append(keyword)
        ranked.append(
            RankedCall(
                call=call,
                score=round(float(score[row]), 4),
                reasons=[reason_text(reason, names) for reason in reasons],
                codes=[{"code": r.code, **r.params} for r in reasons],
                deadline=next_deadline(call, now),
            )
        )
    return ranked


def deadlines_to_come(
    calls_chosen: QuerySet[Call] | list[Call], now: datetime
) -> list[tuple[Call, int, datetime]]:
    """Every deadline still to come of the calls: (call, stage, deadline), soonest first."""
    rows = [
        (call, stage.number, stage.deadline)
        for call in calls_chosen
        for stage in calldates.stages(call.deadline_moments())
        if stage.deadline >= now
    ]
    return sorted(rows, key=lambda row: (row[2], row[0].identifier))


def managed_clusters_calls(
    user: AnyUser, *, days: int = 30, now: datetime | None = None
) -> list[tuple[ClusterOrganisation, list[RankedCall]]]:
    """For "My work": for each cluster the user manages, its best calls closing within `days`."""
    if user is None or not user.is_authenticated:
        return []
    now = now or timezone.now()
    result = []
    for cluster in ClusterOrganisation.objects.filter(managers=user).order_by("name"):
        soon = [
            ranked for ranked in ranked_calls(cluster, top=20, now=now)
            if ranked.deadline and ranked.deadline <= now + timedelta(days=days)
        ][:5]  # fmt: skip
        if soon:
            result.append((cluster, soon))
    return result


def review_queue() -> QuerySet[Participation]:
    return (
        Participation.objects.filter(review=Participation.Review.PENDING)
        .select_related("project", "organisation")
        .order_by("-link_score", "name")
    )


def _takings(participations: QuerySet[Participation]) -> list[trackrecord.Taking]:
    rows = participations.exclude(review=Participation.Review.PENDING).values_list(
        "project__project_id", "project__programme", "project__start", "role", "ec_contribution"
    )
    return [
        trackrecord.Taking(project, programme, start.year if start else None, role, amount)
        for project, programme, start, role, amount in rows
    ]


def cluster_track_record(cluster: ClusterOrganisation) -> trackrecord.Figures:
    """The EU projects of the cluster's current members (links awaiting review do not count)."""
    members = Membership.objects.filter(cluster=cluster, until__isnull=True).values(
        "organisation_id"
    )
    return trackrecord.figures(_takings(Participation.objects.filter(organisation_id__in=members)))


def region_track_record(code: str) -> trackrecord.Figures:
    """The EU projects of the registry's organisations in the NUTS region (any level)."""
    return trackrecord.figures(
        _takings(Participation.objects.filter(organisation__nuts_region__code__startswith=code))
    )


def organisation_projects(organisation: Organisation) -> QuerySet[Participation]:
    """The organisation's EU projects (links awaiting review left out), newest first."""
    return (
        Participation.objects.filter(organisation=organisation)
        .exclude(review=Participation.Review.PENDING)
        .select_related("project")
        .order_by("-project__start", "project__acronym")
    )


def cluster_projects(cluster: ClusterOrganisation) -> QuerySet[Participation]:
    members = Membership.objects.filter(cluster=cluster, until__isnull=True).values(
        "organisation_id"
    )
    return (
        Participation.objects.filter(organisation_id__in=members)
        .exclude(review=Participation.Review.PENDING)
        .select_related("project", "organisation")
        .order_by("-project__start", "project__acronym")
    )


def site_search(*, user: AnyUser, query: str, limit: int = 20) -> list[SearchResult]:
    from django.urls import reverse

    return [
        SearchResult(
            title=f"{call.identifier}: {call.title}",
            url=reverse("funding_call", args=[call.pk]),
            kind=gettext_lazy("call for proposals"),
            summary=call.programme,
        )
        for call in calls(query=query)[:limit]
    ]


def consortium_check(proposal: Proposal) -> list[pipeline.Rule]:
    """The consortium against the call's rule (pipeline.consortium_rules), each rule shown."""
    partners = [
        pipeline.Partner(
            key=f"organisation:{p.organisation_id}"
            if p.organisation_id
            else f"pic:{p.pic or p.pk}",
            country=p.country,
            role=p.role,
        )
        for p in proposal.partners.all()
    ]
    return pipeline.consortium_rules(partners, proposal.call.eligible_countries)


def rule_text(rule: pipeline.Rule) -> str:
    words = {
        "one-coordinator": _("one coordinator (%(count)s now)"),
        "independent-entities": _(
            "at least %(minimum)s independent entities as beneficiaries (%(count)s now)"
        ),
        "different-countries": _(
            "beneficiaries in at least %(minimum)s different eligible countries (%(countries)s)"
        ),
        "member-state": _("at least one beneficiary in an EU Member State (%(countries)s)"),
        "eligible-countries": _(
            "every beneficiary in an eligible country (outside: %(countries)s)"
        ),
    }
    return words[rule.rule] % {
        key: value if value != "" else "—" for key, value in rule.detail.items()
    }


def consortium_document(proposal: Proposal) -> dict:
    """The consortium check as the command line and the API give it."""
    rules = consortium_check(proposal)
    return {
        "eligible": pipeline.eligible(rules),
        "rules": [{"rule": r.rule, "met": r.met, "detail": rule_text(r)} for r in rules],
    }


def _track_records(call: Call, organisations: dict[int, str]) -> dict[str, partnering.Record]:
    """The CORDIS track record of the organisations (id → slug) for the call: their projects'
    titles compared with the call's text by the matching engine's text signal (links awaiting
    review left out)."""
    rows = list(
        Participation.objects.filter(organisation_id__in=list(organisations))
        .exclude(review=Participation.Review.PENDING)
        .values_list(
            "organisation_id", "project__project_id", "project__acronym", "project__title",
            "project__programme", "project__topic", "role",
        )
    )  # fmt: skip
    if not rows:
        return {}
    titles = {project: title for _o, project, _a, title, *_rest in rows}
    projects = Index(
        [Profile(key=project, name=project, kind="project", texts={"en": title})
         for project, title in titles.items()]
    )  # fmt: skip
    similarity = projects.signals(_profile(call), shared=False)["text"]
    return partnering.records(
        (
            partnering.Taking(
                organisation=organisations[organisation], project=project, acronym=acronym,
                programme=programme, topic=topic, role=role,
                similarity=float(similarity[projects.position[project]]),
            )
            for organisation, project, acronym, _title, programme, topic, role in rows
        ),
        call_identifier=call.identifier,
    )  # fmt: skip


def track_reasons(record: partnering.Record | None, call: Call) -> list[Reason]:
    """The track record's reasons: its projects on similar topics, its projects in the call's
    programme."""
    if record is None:
        return []
    reasons = []
    if record.similar:
        cited = {
            "projects": ", ".join(acronym for acronym, _c in record.similar),
            "coordinated": ", ".join(acronym for acronym, led in record.similar if led),
        }
        reasons.append(Reason(SIMILAR_PROJECTS, cited))
    if record.in_programme:
        reasons.append(
            Reason(
                PROGRAMME_PROJECTS,
                {
                    "programme": partnering.programme_family(call.identifier),
                    "count": record.in_programme,
                    "coordinated": record.coordinated_in_programme,
                },
            )
        )
    return reasons


def suggestion_reason_text(reason: Reason, names: cooperation.ReaderNames) -> str:
    """A proposed partner's reason in the reader's language."""
    if reason.code == SIMILAR_PROJECTS:
        led = set(str(reason.params["coordinated"]).split(", "))
        cited = ", ".join(
            _("%(project)s (coordinator)") % {"project": acronym} if acronym in led else acronym
            for acronym in str(reason.params["projects"]).split(", ")
        )
        return _("EU projects on similar topics: %(projects)s") % {"projects": cited}
    if reason.code == PROGRAMME_PROJECTS:
        count = int(reason.params["count"])  # type: ignore[arg-type]
        return ngettext(
            "%(count)s EU project in %(programme)s, %(coordinated)s coordinated",
            "%(count)s EU projects in %(programme)s, %(coordinated)s coordinated",
            count,
        ) % dict(reason.params)
    return cooperation.reason_text(reason, names)


def partner_suggestions(proposal: Proposal, *, top: int = 5) -> list[dict]:
    """Organisations of the partnership's regions (its agencies' regions) in other countries than
    the cluster's and eligible for the call, best first by the matching engine's score for the
    proposal's cluster combined with their CORDIS track record for the call
    (partnering.combined), with reasons in the reader's language; not those already in the
    consortium, nor those whose only reason is being abroad."""
    index = cooperation.matching_index(organisations=True)
    query = cooperation.query_profile(index, kind="cluster", identifier=proposal.cluster.slug)
    if query is None:
        return []
    call = proposal.call
    regions = frozenset(Agency.regions.through.objects.values_list("nutsregion_id", flat=True))
    countries = (
        call.eligible_countries
        or pipeline.MEMBER_STATES | pipeline.ASSOCIATED_COUNTRIES
    )  # fmt: skip
    preferences = Preferences(
        transnational_only=True, kinds=frozenset({"organisation"}), regions=regions
    )
    signals, engine = index.scored(query, cooperation.question_weights()[0])
    keep = index.keep(query, preferences, signals["transnational"])
    keep &= np.isin(index.countries, list(countries))
    for slug in proposal.partners.filter(organisation__isnull=False).values_list(
        "organisation__slug", flat=True
    ):
        keep[index.position.get(cooperation.organisation_key(slug), [])] = False
    rows = {index.profiles[row].key.split(":", 1)[1]: int(row) for row in np.flatnonzero(keep)}
    ids = dict(Organisation.objects.filter(slug__in=list(rows)).values_list("pk", "slug"))
    records = _track_records(call, ids)
    ranked = sorted(
        (-partnering.combined(float(engine[row]), records.get(slug)), slug)
        for slug, row in rows.items()
    )
    chosen = []
    for negative, slug in ranked:
        row = rows[slug]
        reasons = index.reasons(query, index.profiles[row], signals, row)
        reasons += track_reasons(records.get(slug), call)
        # being abroad is no reason on its own
        if any(reason.code != "transnational" for reason in reasons):
            chosen.append((round(-negative, 4), slug, row, reasons))
        if len(chosen) == top:
            break
    organisations = Organisation.objects.in_bulk([slug for _s, slug, _r, _x in chosen],
                                                 field_name="slug")  # fmt: skip
    names = cooperation.reader_names()
    return [
        {
            "organisation": organisations[slug],
            "slug": slug,
            "name": organisations[slug].name,
            "country": organisations[slug].country_id,
            "score": score,
            "reasons": [suggestion_reason_text(reason, names) for reason in reasons],
            "explanations": [{"code": r.code, **r.params} for r in reasons],
            "signals": {
                "engine": round(float(engine[row]), 4),
                "similar_topics": round(records[slug].topics, 4) if slug in records else 0.0,
                "programme": round(records[slug].programme, 4) if slug in records else 0.0,
            },
        }
        for score, slug, row, reasons in chosen
    ]


def proposal_statistics(proposals: QuerySet[Proposal]) -> pipeline.Statistics:
    return pipeline.statistics(
        pipeline.Outcome(stage, programme, created.date(), submitted, amount)
        for stage, programme, created, submitted, amount in proposals.values_list(
            "stage", "call__programme", "created_at", "submitted_on", "eu_contribution_eur"
        )
    )


# Which counts each published figure of the pipeline rests on (core/smallcells.py).
RESTS_ON = {
    "proposals": ("proposals",),
    "submitted": ("proposals", "submitted"),
    "funded": ("proposals", "funded"),
    "rejected": ("proposals", "rejected"),
    "success_rate": ("proposals", "funded", "rejected"),
    "funding_secured_eur": ("proposals", "funded"),
    "days_to_submission": ("proposals", "submitted"),
}


def statistics_by_programme() -> dict[str, dict]:
    """The pipeline's statistics per programme, over every proposal, public and in aggregate
    only. A programme whose proposals come from fewer clusters than `FUNDING_MIN_CLUSTERS` shows
    no figure (one cluster's outcomes could be read from it), only why; in the others, a figure
    resting on fewer than CONFIDENTIALITY_MIN_GROUP proposals (1 to 4 funded, say, whose sum
    would be one proposal's grant) is withheld and listed in `withheld` (core/smallcells.py)."""
    rows = Proposal.objects.values("call__programme").annotate(
        clusters=Count("cluster", distinct=True)
    )
    result: dict[str, dict] = {}
    for row in sorted(rows, key=lambda row: row["call__programme"]):
        name = row["call__programme"]
        if row["clusters"] < settings.FUNDING_MIN_CLUSTERS:
            result[name] = {
                "suppressed": _("proposals of fewer than %(count)s clusters")
                % {"count": settings.FUNDING_MIN_CLUSTERS}
            }
            continue
        figures = proposal_statistics(Proposal.objects.filter(call__programme=name)).as_dict()
        counts = {
            count: figures[count] for count in ("proposals", "submitted", "funded", "rejected")
        }
        result[name] = {
            "clusters": row["clusters"],
            **smallcells.suppressed(figures, counts, RESTS_ON, settings.CONFIDENTIALITY_MIN_GROUP),
        }
    return result


def statistics_by_cluster(*, agency_ids: Iterable[int] | None = None) -> dict[str, dict]:
    """The pipeline's statistics per cluster (slug): the figures a benchmarking indicator of EU
    projects reads. `agency_ids`: only those agencies' clusters (None: every cluster)."""
    proposals = Proposal.objects.all()
    if agency_ids is not None:
        proposals = proposals.filter(cluster__agency_id__in=list(agency_ids))
    slugs = proposals.values_list("cluster__slug", flat=True).distinct()
    return {
        slug: proposal_statistics(proposals.filter(cluster__slug=slug)).as_dict()
        for slug in sorted(set(slugs))
    }


def cluster_year_figures(*, cluster: ClusterOrganisation, year: int) -> dict[str, float | None]:
    """The cluster's pipeline in a calendar year, for benchmarking's EU-project indicators:
    proposals submitted in the year, success rate of those decided in the year (funded ÷
    funded + rejected, in %), EU contribution of those funded in the year (EUR)."""
    proposals = Proposal.objects.filter(cluster=cluster)
    decided = list(
        proposals.filter(decided_on__year=year, stage__in=[pipeline.FUNDED, pipeline.REJECTED])
        .values_list("stage", "eu_contribution_eur")
    )  # fmt: skip
    funded = [amount for stage, amount in decided if stage == pipeline.FUNDED]
    return {
        # None: the cluster follows no proposal on the platform (not a count of zero).
        "submitted": proposals.filter(submitted_on__year=year).count()
        if proposals.exists()
        else None,
        "success_rate": round(100 * len(funded) / len(decided), 1) if decided else None,
        "funding_secured": float(sum(amount or 0 for amount in funded)),
    }


@dataclass(frozen=True)
class ReportSection:
    """The EU projects of a cluster as its characterization report shows them."""

    figures: trackrecord.Figures
    projects: list[Participation]
    proposals: pipeline.Statistics | None  # over the reader's visible proposals of the cluster


def report_section(
    *, cluster: ClusterOrganisation, user: AnyUser, latest: int = 10
) -> ReportSection:
    """The members' EU track record (CORDIS, open data), their latest projects, and the
    cluster's proposal pipeline as far as the reader may see its proposals."""
    proposals = permissions.visible_proposals(user).filter(cluster=cluster)
    return ReportSection(
        figures=cluster_track_record(cluster),
        projects=list(cluster_projects(cluster)[:latest]),
        proposals=proposal_statistics(proposals) if proposals.exists() else None,
    )


def proposal_people(proposal: Proposal) -> QuerySet[User]:
    """Those a task of the proposal may be given to: its owner, its cluster's managers and its
    partners' representatives."""
    return (
        User.objects.filter(
            Q(pk=proposal.owner_id)
            | Q(pk__in=proposal.cluster.managers.values("pk"))
            | Q(pk__in=Organisation.representatives.through.objects.filter(
                organisation__in=proposal.partners.values("organisation")
            ).values("user"))
        )
        .filter(is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )  # fmt: skip


def invitations_awaiting(user: AnyUser) -> QuerySet[ProposalInvitation]:
    """For "My work": the invitations the user's organisations have not answered yet."""
    if user is None or not user.is_authenticated:
        return ProposalInvitation.objects.none()
    return ProposalInvitation.objects.filter(
        organisation__representatives=user, status=ProposalInvitation.Status.PENDING
    ).select_related("proposal__cluster", "proposal__call", "organisation")


def tasks_due(
    user: AnyUser, *, days: int = 14, today: date | None = None
) -> QuerySet[ProposalTask]:
    """For "My work": the user's open tasks of proposals still open, due within `days`."""
    if user is None or not user.is_authenticated:
        return ProposalTask.objects.none()
    today = today or timezone.localdate()
    return (
        ProposalTask.objects.filter(
            owner=user, done_on__isnull=True, due_on__lte=today + timedelta(days=days)
        )
        .exclude(proposal__stage__in=pipeline.CLOSED)
        .select_related("proposal")
        .order_by("due_on")
    )
