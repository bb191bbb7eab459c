"""Reads of the cooperation domain: the registry as matching profiles, the names the reasons
use, and the matching index, rebuilt when the registry has changed."""

import csv
import io
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atclusters.cooperation import learning, metaclusters, permissions, semantic, synergy
from atclusters.cooperation.matching import (
    REASONS,
    Index,
    Match,
    Preferences,
    Profile,
    Reason,
    Vocabulary,
    Weights,
)
from atclusters.cooperation.models import (
    DigestState,
    Initiative,
    Interest,
    LearnedWeights,
    Posting,
)
from atclusters.cooperation.network import Link, NetworkMetrics, Party
from atclusters.cooperation.network import metrics as network_metrics
from atclusters.cooperation.semantic import StaticEmbedder
from atclusters.core.domains import SearchResult
from atclusters.core.labels import localised
from atclusters.core.models import Country, NaceActivity, NutsRegion, Term
from atclusters.core.permissions import AnyUser, staff_agencies
from atclusters.core.reference import nuts2_features
from atclusters.events.models import Event, WorkingGroup
from atclusters.funding.models import Proposal, ProposalPartner
from atclusters.mapping import selectors as mapping_selectors
from atclusters.mapping.models import CategoryScheme
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import (
    DESCRIPTION_LANGUAGES,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)
from atclusters.registry.permissions import editable_clusters, editable_organisations

DATA = Path(__file__).resolve().parent.parent / "data"
CATEGORY_SCHEME = "us-cmp-nace2"


def cluster_key(slug: str) -> str:
    return f"cluster:{slug}"


def organisation_key(slug: str) -> str:
    return f"organisation:{slug}"


def _partners() -> dict[int, set[str]]:
    """Cluster id → keys of the clusters it has an agreement in force with."""
    partners: dict[int, set[str]] = defaultdict(set)
    rows = CooperationAgreement.objects.filter(
        cluster_a__isnull=False, cluster_b__isnull=False, end__isnull=True
    ).values_list("cluster_a_id", "cluster_a__slug", "cluster_b_id", "cluster_b__slug")
    for first, first_slug, second, second_slug in rows:
        partners[first].add(cluster_key(second_slug))
        partners[second].add(cluster_key(first_slug))
    return partners


def _categories_by_code() -> dict[str, set[str]]:
    """NACE class, group or division → the cluster categories (U.S. Cluster Mapping, in NACE)
    holding a class under it (a division covers its classes)."""
    scheme = CategoryScheme.objects.filter(slug=CATEGORY_SCHEME).first()
    holding: dict[str, set[str]] = defaultdict(set)
    if scheme is not None:
        for category in scheme.categories.all():
            for nace_class in category.industries:
                for code in {nace_class[:2], nace_class[:4], nace_class}:
                    holding[code].add(category.code)
    return holding


def _categories(codes: set[str], holding: dict[str, set[str]]) -> frozenset[str]:
    return frozenset(category for code in codes for category in holding.get(code, ()))


def cluster_profiles() -> list[Profile]:
    """Published clusters as matching profiles."""
    holding = _categories_by_code()
    partners = _partners()
    clusters = (
        ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
        .prefetch_related("sectors", "technology_fields", "ecosystems", "s3_areas")
        .order_by("slug")
    )
    profiles = []
    for cluster in clusters:
        nace = {sector.code for sector in cluster.sectors.all()}
        profiles.append(
            Profile(
                key=cluster_key(cluster.slug),
                name=cluster.name,
                kind="cluster",
                country=cluster.country_id,
                region=cluster.nuts_region_id or "",
                nace=frozenset(nace),
                technologies=frozenset(t.slug for t in cluster.technology_fields.all()),
                ecosystems=frozenset(t.slug for t in cluster.ecosystems.all()),
                s3=frozenset(t.slug for t in cluster.s3_areas.all()),
                categories=_categories(nace, holding),
                texts={
                    code: getattr(cluster, f"description_{code}")
                    for code in DESCRIPTION_LANGUAGES
                    if getattr(cluster, f"description_{code}")
                },
                partners=frozenset(partners.get(cluster.pk, ())),
            )
        )
    return profiles


def organisation_profiles() -> list[Profile]:
    """Organisations as matching profiles: their country and main activity (NACE)."""
    holding = _categories_by_code()
    rows = Organisation.objects.values_list(
        "slug", "name", "country_id", "nuts_region_id", "nace__code"
    ).order_by("slug")
    return [
        Profile(
            key=organisation_key(slug),
            name=name,
            kind="organisation",
            country=country,
            region=region or "",
            nace=frozenset({nace} if nace else ()),
            categories=_categories({nace}, holding) if nace else frozenset(),
        )
        for slug, name, country, region, nace in rows
    ]


@cache
def _value_chain_rows() -> tuple[dict[str, str], ...]:
    with (DATA / "value_chain_divisions.csv").open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def _value_chain() -> dict[tuple[str, str], str]:
    """Supplier → customer NACE divisions and the link's English words, which the matching
    index cites (reader_names translates them)."""
    return {(row["supplier"], row["customer"]): row["description"] for row in _value_chain_rows()}


def _value_chain_words() -> dict[str, str]:
    """A value-chain link's English words → its words in the reader's language (the file's
    description_<language> columns)."""
    return {
        row["description"]: localised(
            row["description"],
            {code: row.get(f"description_{code}", "") for code, _n in settings.LANGUAGES},
        )
        for row in _value_chain_rows()
    }


@cache
def _related() -> frozenset[tuple[str, str]]:
    with (DATA / "us_cmp_cluster_relatedness.csv").open(encoding="utf-8") as handle:
        return frozenset(
            (row["category"], row["related_category"])
            for row in csv.DictReader(handle)
            if row["related"] == "1"
        )


def vocabulary() -> Vocabulary:
    scheme = CategoryScheme.objects.filter(slug=CATEGORY_SCHEME).first()
    return Vocabulary(
        nace=dict(
            NaceActivity.objects.filter(version=NaceActivity.Version.REV2).values_list(
                "code", "name"
            )
        ),
        terms=dict(Term.objects.values_list("slug", "name")),
        categories=dict(scheme.categories.values_list("code", "name")) if scheme else {},
        value_chain=_value_chain(),
        related=_related(),
    )


def registry_fingerprint() -> tuple:
    """Changes whenever something the profiles read changes (rows, edits, taxonomy links)."""
    through = ClusterOrganisation.sectors.through
    return (
        ClusterOrganisation.objects.aggregate(n=Count("pk"), t=Max("updated_at")),
        Organisation.objects.aggregate(n=Count("pk"), t=Max("updated_at")),
        CooperationAgreement.objects.aggregate(n=Count("pk"), t=Max("updated_at")),
        through.objects.aggregate(n=Count("pk"), s=Sum("naceactivity_id")),
        *(
            getattr(ClusterOrganisation, name).through.objects.aggregate(
                n=Count("pk"), s=Sum("term_id")
            )
            for name in ("technology_fields", "ecosystems", "s3_areas")
        ),
        CategoryScheme.objects.filter(slug=CATEGORY_SCHEME).aggregate(n=Count("categories")),
        settings.DATABASES["default"]["NAME"],
    )


_INDEX: dict[str, tuple[tuple, Index]] = {}
_LOCK = threading.Lock()


def weights() -> Weights:
    """The signal weights: the defaults, overridden by `COOPERATION_WEIGHTS`."""
    return Weights(**settings.COOPERATION_WEIGHTS)


@cache
def _embedder(model: str) -> StaticEmbedder:
    return semantic.load(model)


def embedder() -> StaticEmbedder | None:
    """The semantic signal's model, loaded once per process; None when the setting is empty."""
    model = settings.COOPERATION_SEMANTIC_MODEL
    return _embedder(model) if model else None


def matching_index(*, organisations: bool = True) -> Index:
    """The index of published clusters (and organisations), built again only when the registry
    (or the semantic model) changed since the last build in this process."""
    name = "all" if organisations else "clusters"
    fingerprint = (*registry_fingerprint(), settings.COOPERATION_SEMANTIC_MODEL)
    with _LOCK:
        cached = _INDEX.get(name)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        profiles = cluster_profiles() + (organisation_profiles() if organisations else [])
        index = Index(profiles, vocabulary(), embedder())
        _INDEX[name] = (fingerprint, index)
        return index


def posting_index(registry: Index | None = None) -> Index:
    """The published postings still open (no deadline, or not passed) as candidates, built
    again when one is published, closed or passes its deadline. `registry`: the matching
    index the caller already holds (its centre serves the semantic signal)."""
    open_postings = Posting.objects.filter(status=Posting.Status.PUBLISHED).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate())
    )
    model = embedder()
    # A few postings make a poor mean: their descriptions are centred on the registry's.
    centre = None
    if model is not None:
        source = registry if registry is not None else matching_index(organisations=False)
        centre = source.centre
    fingerprint = (
        open_postings.aggregate(n=Count("pk"), s=Sum("pk"), t=Max("published_at")),
        settings.COOPERATION_SEMANTIC_MODEL,
        settings.DATABASES["default"]["NAME"],
        np.asarray(centre).tobytes(),
    )
    with _LOCK:
        cached = _INDEX.get("postings")
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        postings = open_postings.select_related(
            "cluster__country", "organisation__country"
        ).prefetch_related("sectors", "terms")
        index = Index([posting_profile(p) for p in postings], vocabulary(), model, centre)
        _INDEX["postings"] = (fingerprint, index)
        return index


def meta_clusters(
    *, threshold: float = 0.3, resolution: float = 1.0, seed: int = 42, view: str = "abroad"
) -> list[metaclusters.MetaCluster]:
    """Meta-clusters among the published clusters (parameters in docs/cooperation.md): across
    countries (`abroad`), or nearby clusters of different sectors (`region`)."""
    index = matching_index(organisations=False)
    reader = reader_names()
    names = {
        **{code: name for code, name in reader.nace.items() if len(code) == 2},
        **{slug: reader.english.get(name, name) for slug, name in index.vocabulary.terms.items()},
    }
    abroad, region = question_weights()
    if view == "region":
        regional = synergy_index(index)
        rows = [row for row, profile in enumerate(index.profiles) if profile.kind == "cluster"]
        return metaclusters.detect(
            index, threshold=threshold, resolution=resolution, seed=seed, names=names,
            scores=regional.pairwise(rows, region), min_countries=1, view="region",
        )  # fmt: skip
    return metaclusters.detect(
        index, threshold=threshold, resolution=resolution, seed=seed, names=names,
        weights=abroad,
    )  # fmt: skip


def known_pairs(text: str, index: Index) -> tuple[list[tuple[str, str]], list[str]]:
    """Pairs of cluster slugs from CSV text (`cluster_a,cluster_b`; `#` lines are comments) as
    index keys, and the rows skipped because a cluster is not published. A row without two
    slugs or with an unknown slug raises ValueError naming the row."""
    known = set(ClusterOrganisation.objects.values_list("slug", flat=True))
    pairs, skipped = [], []
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as error:  # a field past the csv module's limit, a stray quote
        raise ValueError(f"row {reader.line_num}: not readable as CSV ({error})") from error
    for number, row in enumerate(rows, start=1):
        if not row or row[0].startswith("#") or row[:2] == ["cluster_a", "cluster_b"]:
            continue
        slugs = [slug.strip() for slug in row[:2]]
        if len(slugs) < 2 or not all(slugs):
            raise ValueError(f"row {number}: give two cluster slugs")
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise ValueError(f"row {number}: no cluster {', '.join(unknown)}")
        keys = (cluster_key(slugs[0]), cluster_key(slugs[1]))
        if any(key not in index.position for key in keys):
            skipped.append(f"row {number}: {' – '.join(slugs)} (not published)")
            continue
        pairs.append(keys)
    return pairs, skipped


def posting_profile(posting: Posting) -> Profile:
    """A posting as the matcher sees it: its sectors, terms and text, its author's country."""
    terms = list(posting.terms.all())
    return Profile(
        key=f"posting:{posting.pk}",
        name=posting.title,
        kind="posting",
        country=posting.author.country_id,
        region=posting.author.nuts_region_id or "",
        nace=frozenset(sector.code for sector in posting.sectors.all()),
        technologies=frozenset(t.slug for t in terms if t.kind == Term.Kind.TECHNOLOGY_FIELD),
        ecosystems=frozenset(t.slug for t in terms if t.kind == Term.Kind.ECOSYSTEM),
        s3=frozenset(t.slug for t in terms if t.kind == Term.Kind.S3_AREA),
        texts={posting.language: f"{posting.title}. {posting.description}"},
        partners=frozenset(
            {cluster_key(posting.cluster.slug)}
            if posting.cluster
            else {organisation_key(posting.organisation.slug)}
            if posting.organisation
            else ()
        ),
    )


def suggested_partners(posting: Posting, top: int = 5) -> list:
    """Published clusters that fit the posting (its target countries, if any)."""
    index = matching_index(organisations=False)
    return partner_matches(
        index,
        posting_profile(posting),
        top=top,
        preferences=Preferences(
            countries=frozenset(posting.target_countries),
            regions=frozenset(posting.target_regions),
        ),
    )


FIRST_DIGEST_DAYS = 7


def _targets(posting: Posting, countries: set[str], regions: set[str]) -> bool:
    """Whether a reader in these countries and NUTS regions is among the posting's targets
    (none: everyone; else one of the countries, or a region in or under a target region)."""
    if not posting.target_countries and not posting.target_regions:
        return True
    return bool(countries & set(posting.target_countries)) or any(
        region.startswith(target) for region in regions for target in posting.target_regions
    )


def digest_postings(*, now: datetime) -> list[tuple[Any, list[Posting]]]:
    """For each cluster manager and organisation representative, the postings published since
    their last digest (a week for the first) that share a NACE division or a taxonomy term with
    their clusters and organisations and target their countries (or any)."""
    # Every user's clusters and organisations in a fixed number of queries, however many users.
    users = (
        User.objects.filter(
            Q(managed_clusters__isnull=False) | Q(represented_organisations__isnull=False),
            is_active=True,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "managed_clusters",
                queryset=ClusterOrganisation.objects.prefetch_related(
                    "sectors", "technology_fields", "ecosystems", "s3_areas"
                ),
            ),
            Prefetch(
                "represented_organisations", queryset=Organisation.objects.select_related("nace")
            ),
        )
    )
    fresh = list(
        Posting.objects.filter(
            status=Posting.Status.PUBLISHED, published_at__gt=now - timedelta(days=365)
        )
        .select_related("cluster", "organisation")
        .prefetch_related("sectors", "terms")
    )
    states = dict(DigestState.objects.values_list("user_id", "sent_until"))
    result = []
    for user in users:
        since = states.get(user.pk, now - timedelta(days=FIRST_DIGEST_DAYS))
        clusters = list(user.managed_clusters.all())
        organisations = list(user.represented_organisations.all())
        divisions = {s.code[:2] for c in clusters for s in c.sectors.all()} | {
            o.nace.code[:2] for o in organisations if o.nace
        }
        term_ids = {
            t.pk for c in clusters
            for t in [*c.technology_fields.all(), *c.ecosystems.all(), *c.s3_areas.all()]
        }  # fmt: skip
        countries = {c.country_id for c in clusters} | {o.country_id for o in organisations}
        regions = {c.nuts_region_id or "" for c in clusters} | {
            o.nuts_region_id or "" for o in organisations
        }
        own = {c.pk for c in clusters}, {o.pk for o in organisations}
        chosen = [
            posting
            for posting in fresh
            if since < posting.published_at <= now  # type: ignore[operator]
            and posting.cluster_id not in own[0]
            and posting.organisation_id not in own[1]
            and _targets(posting, countries, regions - {""})
            and (
                {s.code[:2] for s in posting.sectors.all()} & divisions
                or {t.pk for t in posting.terms.all()} & term_ids
            )
        ]
        result.append((user, chosen))
    return result


def query_profile(index: Index, *, kind: str, identifier: str) -> Profile | None:
    """The profile a search starts from: a published cluster or an organisation of the index,
    or a published posting."""
    if kind == "posting":
        posting = (
            Posting.objects.filter(status=Posting.Status.PUBLISHED, pk=identifier).first()
            if identifier.isdigit()
            else None
        )
        return posting_profile(posting) if posting else None
    key = f"{kind}:{identifier}"
    return index.profiles[index.position[key]] if key in index.position else None


class UnknownPlaces(ValueError):
    """A country or NUTS code the platform does not know; `field` is `countries` or
    `regions`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def places(countries: str, regions: str) -> tuple[frozenset[str], frozenset[str]]:
    """Country and NUTS codes from comma-separated lists, as the registry writes them; an
    unknown one raises UnknownPlaces."""
    chosen = {
        field: frozenset(code.strip().upper() for code in text.split(",") if code.strip())
        for field, text in (("countries", countries), ("regions", regions))
    }
    for field, model, label in (
        ("countries", Country, "countries"),
        ("regions", NutsRegion, "NUTS regions"),
    ):
        known = set(model.objects.filter(code__in=chosen[field]).values_list("code", flat=True))
        unknown = sorted(chosen[field] - known)
        if unknown:
            raise UnknownPlaces(field, f"unknown {label}: {', '.join(unknown)}")
    return chosen["countries"], chosen["regions"]


def partner_matches(
    index: Index, query: Profile, *, top: int, preferences: Preferences, mode: str = "abroad"
) -> list[Match]:
    """The best candidates of the index for the query under the mode's question (synergy.py),
    with the weights in use."""
    abroad, region = question_weights()
    if mode == "abroad":  # the matcher alone: no regional data to read
        return index.match(query, top=top, weights=abroad, preferences=preferences)
    return synergy_index(index).match(
        query, mode=mode, top=top, weights=abroad, region_weights=region, preferences=preferences
    )


@cache
def _neighbours() -> dict[str, frozenset[str]]:
    return synergy.adjacency(nuts2_features())


def sector_events() -> list[set[str]]:
    """The NACE divisions that occur together on the platform: each published cluster's with
    its publicly listed members' main activities, and those of every organisation listed by
    several published clusters with the clusters' own."""
    published = ClusterOrganisation.objects.filter(status=ClusterOrganisation.Status.PUBLISHED)
    clusters: dict[int, set[str]] = defaultdict(set)
    for cluster, code in published.filter(sectors__isnull=False).values_list("pk", "sectors__code"):
        clusters[cluster].add(code[:2])
    organisations: dict[int, set[int]] = defaultdict(set)
    activities: dict[int, str] = {}
    for cluster, organisation, code in Membership.objects.filter(
        cluster__in=published, listed_publicly=True
    ).values_list("cluster_id", "organisation_id", "organisation__nace__code"):
        organisations[organisation].add(cluster)
        if code:
            activities[organisation] = code[:2]
            clusters[cluster].add(code[:2])
    shared = [
        {activities.get(organisation, ""), *(d for c in held for d in clusters[c])} - {""}
        for organisation, held in organisations.items()
        if len(held) > 1
    ]
    return [divisions for divisions in [*clusters.values(), *shared] if divisions]


_SYNERGY: dict[int, tuple[Index, tuple, synergy.SynergyIndex]] = {}


def synergy_index(index: Index) -> synergy.SynergyIndex:
    """The index with the regional question: NUTS 2 adjacency and the platform's division
    relatedness, computed again when the index or the memberships change."""
    fingerprint = (
        Membership.objects.filter(listed_publicly=True).aggregate(
            n=Count("pk"), s=Sum("organisation_id"), c=Sum("cluster_id")
        ),
    )
    with _LOCK:
        cached = _SYNERGY.get(id(index))
        if cached is not None and cached[0] is index and cached[1] == fingerprint:
            return cached[2]
        if len(_SYNERGY) > 8:  # indexes of earlier registry states
            _SYNERGY.clear()
        built = synergy.SynergyIndex(
            index,
            neighbours=_neighbours(),
            relatedness=synergy.division_relatedness(sector_events()),
        )
        _SYNERGY[id(index)] = (index, fingerprint, built)
        return built


def question_weights() -> tuple[Weights, synergy.RegionWeights]:
    """The weights of both questions: learned ones the admin switched on, else the defaults
    with `COOPERATION_WEIGHTS` and `COOPERATION_REGION_WEIGHTS`."""
    abroad: Any = weights()
    region: Any = region_weights()
    for row in LearnedWeights.objects.filter(active=True):
        if row.question == "abroad":
            abroad = learning.as_weights("abroad", row.weights)
        else:
            region = learning.as_weights("region", row.weights)
    return abroad, region


def learned_weights_list() -> list[dict[str, Any]]:
    """The stored learned weights, newest first: only global figures (no pair is stored)."""
    return [
        {
            "id": row.pk,
            "question": row.question,
            "weights": row.weights,
            "positives": row.positives,
            "negatives": row.negatives,
            "evaluation": row.evaluation,
            "active": row.active,
            "created_at": row.created_at.isoformat(),
        }
        for row in LearnedWeights.objects.all()
    ]


def region_weights() -> synergy.RegionWeights:
    """The regional question's weights: the defaults, overridden by
    `COOPERATION_REGION_WEIGHTS`."""
    return synergy.RegionWeights(**settings.COOPERATION_REGION_WEIGHTS)


def default_weights(question: str) -> Weights | synergy.RegionWeights:
    """A question's weights when none learned are in use."""
    return weights() if question == "abroad" else region_weights()


def evaluation(
    index: Index, pairs: list[tuple[str, str]], *, k: int, modes: Sequence[str] = synergy.MODES
) -> dict[str, Any]:
    """Recall@k and MRR of known pairs under each mode, by pair type, with the weights in use;
    the first mode's figures also at the top (as before the modes)."""
    abroad, region = question_weights()
    by_mode = synergy.evaluate_modes(
        synergy_index(index), pairs, k=k, modes=modes, weights=abroad, region_weights=region
    )
    first = by_mode[modes[0]]
    return {
        **{key: first[key] for key in ("pairs", "queries", "k", "recall_at_k", "mrr", "ranks")},
        "mode": modes[0],
        "modes": by_mode,
    }


def recorded_evaluation(
    index: Index, *, k: int, modes: Sequence[str] = synergy.MODES
) -> dict[str, Any]:
    """`evaluation` over the recorded cooperation (each pair of clusters once, whatever records
    it), with the number of records of each kind. The figures only: no pair is listed, since
    private agreements and interests count."""
    recorded = recorded_cooperation(index)
    pairs = list(dict.fromkeys((min(p.first, p.second), max(p.first, p.second)) for p in recorded))
    result = evaluation(index, pairs, k=k, modes=modes)
    for figures in [result, *result["modes"].values()]:
        del figures["ranks"]
    kinds: dict[str, int] = defaultdict(int)
    for pair in recorded:
        kinds[pair.kind] += 1
    return {**result, "records": dict(sorted(kinds.items()))}


def recorded_cooperation(index: Index) -> list[learning.Recorded]:
    """The cooperation between two published clusters the platform records, to learn from:
    agreements (in force or ended; dated by their start), expressions of interest in a
    cluster's posting by a manager of another cluster (dated when expressed), membership of
    the same cluster network (undated), events organised together by managers of two clusters
    (dated by their start), working groups the clusters take part in (dated by the group's
    creation) and proposals of one cluster with a current member of another as a
    partner (dated when submitted, else when created; past the idea stage). Private records
    count too: only the fitted weights and counts leave this function's callers."""
    pairs = []
    members: dict[int, list[str]] = defaultdict(list)
    for network, slug in ClusterOrganisation.objects.filter(
        status=ClusterOrganisation.Status.PUBLISHED, networks__isnull=False
    ).values_list("networks", "slug"):
        members[network].append(slug)
    for slugs in members.values():
        pairs.extend(_all_pairs(slugs, None, "network"))
    for first, second, start in CooperationAgreement.objects.filter(
        cluster_a__isnull=False, cluster_b__isnull=False
    ).values_list("cluster_a__slug", "cluster_b__slug", "start"):
        pairs.append(learning.Recorded(cluster_key(first), cluster_key(second), start, "agreement"))
    for author, interested, created in Interest.objects.filter(
        posting__cluster__isnull=False, user__managed_clusters__isnull=False
    ).values_list("posting__cluster__slug", "user__managed_clusters__slug", "created_at"):
        if author != interested:
            pairs.append(
                learning.Recorded(
                    cluster_key(author), cluster_key(interested), created.date(), "interest"
                )
            )
    pairs.extend(_joint_events())
    pairs.extend(_working_groups())
    pairs.extend(_joint_proposals())
    return [
        pair for pair in pairs if pair.first in index.position and pair.second in index.position
    ]


def _all_pairs(slugs: Sequence[str], when: Any, kind: str) -> list[learning.Recorded]:
    """Every pair of distinct clusters among `slugs` (by slug order), as one kind of record."""
    ordered = sorted(set(slugs))
    return [
        learning.Recorded(cluster_key(first), cluster_key(second), when, kind)
        for position, first in enumerate(ordered)
        for second in ordered[position + 1 :]
    ]


def _joint_events() -> list[learning.Recorded]:
    """An event organised by managers of two or more clusters joins those clusters."""
    organisers: dict[int, set[str]] = defaultdict(set)
    starts: dict[int, datetime] = {}
    for event, starts_at, slug in Event.objects.filter(
        organisers__managed_clusters__isnull=False
    ).values_list("pk", "starts_at", "organisers__managed_clusters__slug"):
        organisers[event].add(slug)
        starts[event] = starts_at
    return [
        pair
        for event, slugs in sorted(organisers.items())
        for pair in _all_pairs(list(slugs), starts[event].date(), "event")
    ]


def _working_groups() -> list[learning.Recorded]:
    """A working group joins each two clusters taking part in it, dated by its creation."""
    taking_part: dict[int, set[str]] = defaultdict(set)
    created: dict[int, datetime] = {}
    for group, created_at, slug in WorkingGroup.objects.filter(clusters__isnull=False).values_list(
        "pk", "created_at", "clusters__slug"
    ):
        taking_part[group].add(slug)
        created[group] = created_at
    return [
        pair
        for group, slugs in sorted(taking_part.items())
        for pair in _all_pairs(list(slugs), created[group].date(), "working group")
    ]


def _joint_proposals() -> list[learning.Recorded]:
    """A cluster's proposal with a partner that is a current member of another cluster (and
    not of the proposing one) joins the two clusters, once per proposal."""
    clusters: dict[int, set[str]] = defaultdict(set)
    for organisation, slug in Membership.objects.filter(until__isnull=True).values_list(
        "organisation_id", "cluster__slug"
    ):
        clusters[organisation].add(slug)
    joined: dict[tuple[int, str, str], Any] = {}
    for proposal, author, organisation, submitted, created in (
        ProposalPartner.objects.filter(organisation__isnull=False)
        .exclude(proposal__stage=Proposal.Stage.IDEA)
        .values_list(
            "proposal_id",
            "proposal__cluster__slug",
            "organisation_id",
            "proposal__submitted_on",
            "proposal__created_at",
        )
        .order_by("proposal_id", "organisation_id")
    ):
        held = clusters.get(organisation, set())
        if author in held:
            continue
        for other in sorted(held):
            joined[(proposal, author, other)] = submitted or created.date()
    return [
        learning.Recorded(cluster_key(author), cluster_key(other), when, "proposal")
        for (_proposal, author, other), when in joined.items()
    ]


@dataclass(frozen=True)
class ReaderNames:
    """The names reasons and meta-clusters cite, in one language: NACE Rev. 2 code → "code
    title", a taxonomy term's or a cluster category's English name → its name, and the words
    of a value-chain link."""

    nace: dict[str, str]
    english: dict[str, str]
    links: dict[str, str]  # a value-chain link's English words → the reader's


def reader_names() -> ReaderNames:
    """The cited names in the reader's language. The matching index is built once for every
    language and cites English names (the API's `explanations` keep them); a page, an API
    answer or a command reads these once and translates its reasons with them."""
    nace = {
        a.code: f"{a.code} {a.label}"
        for a in NaceActivity.objects.filter(version=NaceActivity.Version.REV2).only(
            "code", "name", "names"
        )
    }
    english = {t.name: t.label for t in Term.objects.only("name", "names")}
    scheme = CategoryScheme.objects.filter(slug=CATEGORY_SCHEME).first()
    if scheme is not None:
        translated = mapping_selectors.category_names(scheme.slug)
        english |= {
            name: translated.get(code, name)
            for code, name in scheme.categories.values_list("code", "name")
        }
    return ReaderNames(nace=nace, english=english, links=_value_chain_words())


_NACE_CITED = re.compile(r"(?:^|, )(\d{2}(?:\.\d{1,2})?)(?= |,|$)")


# The parameters that cite NACE activities ("10.11 Processing of meat, 10.13 …") or English
# names of terms and categories, by reason.
_CITING_NACE = {"nace_class", "nace_group", "nace_division", "related_variety"}
_CITING_NAMES = {"ecosystem", "technology", "s3", "related"}
_CITING_LINK = {"value_chain", "supplies", "buys"}


def _cited_in_reader_language(code: str, value: str, names: ReaderNames) -> str:
    if code in _CITING_NACE:
        cited = _NACE_CITED.findall(value)
        return ", ".join(names.nace.get(nace, nace) for nace in cited) if cited else value
    if code in _CITING_LINK:
        return names.links.get(value, value)
    if code in _CITING_NAMES:
        # longest first: a name may hold a shorter one
        for english in sorted(names.english, key=len, reverse=True):
            if english in value:
                value = value.replace(english, names.english[english])
    return value


def reason_text(reason: Reason, names: ReaderNames | None = None) -> str:
    """A reason in the active language, numbers as the language writes them and the NACE
    activities, terms and categories it cites by their names in that language (`names`: those
    of `reader_names()`, read once for many reasons)."""
    names = names or reader_names()
    return gettext(REASONS[reason.code]) % {
        name: number_format(value, 2)
        if isinstance(value, float)
        else _cited_in_reader_language(reason.code, str(value), names)
        if name in ("activities", "names", "first", "second", "link")
        else value
        for name, value in reason.params.items()
    }


def match_document(match: Match, names: ReaderNames | None = None) -> dict[str, Any]:
    """A match as the command line and the API give it: reasons in the active language, and
    each reason's code and cited names for programs."""
    return {
        "slug": match.key.split(":", 1)[1],
        "name": match.name,
        "score": match.score,
        "reasons": [reason_text(reason, names) for reason in match.reasons],
        "explanations": [{"code": r.code, **r.params} for r in match.reasons],
        "signals": match.signals,
        "mode": match.mode,
    }


def site_search(*, user: AnyUser, query: str, limit: int) -> list[SearchResult]:
    """Postings (by title or text) and initiatives (by name or goals) the user may see, for the
    site search (CooperationConfig.search): a posting awaiting moderation, rejected or closed
    only for its authors and moderators (permissions.visible_postings)."""
    postings = (
        permissions.visible_postings(user)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .order_by("-published_at", "-pk")[:limit]
    )
    initiatives = Initiative.objects.filter(
        Q(name__icontains=query) | Q(goals__icontains=query)
    ).order_by("name")[:limit]
    return [
        *(
            SearchResult(
                posting.title,
                reverse("posting_detail", args=[posting.pk]),
                _("partner-search posting"),
                str(posting.get_kind_display()),
            )
            for posting in postings
        ),
        *(
            SearchResult(
                initiative.name,
                f"{reverse('initiative_list')}#{initiative.slug}",
                _("initiative"),
            )
            for initiative in initiatives
        ),
    ]


@dataclass(frozen=True)
class MyWork:
    postings: list[Posting]  # written for the user's clusters and organisations, or by them
    interests: list[Interest]  # expressed in postings the user may still see
    initiatives: list[Initiative]  # of the user's agencies, by them, or with their clusters

    def __bool__(self) -> bool:
        return bool(self.postings or self.interests or self.initiatives)


def my_work(*, user: Any) -> MyWork:
    """The user's part of cooperation in "My work" (cooperation/work.py)."""
    own = Q(created_by=user) | Q(cluster__managers=user) | Q(organisation__representatives=user)
    postings = (
        Posting.objects.filter(own)
        .distinct()
        .select_related("cluster", "organisation")
        .order_by("-created_at")
    )
    interests = (
        Interest.objects.filter(user=user, posting__in=permissions.visible_postings(user))
        .select_related("posting")
        .order_by("-created_at")
    )
    initiatives = (
        Initiative.objects.filter(
            Q(agency__in=staff_agencies(user)) | Q(created_by=user) | Q(members__managers=user)
        )
        .distinct()
        .select_related("agency")
        .order_by("name")
    )
    return MyWork(list(postings), list(interests), list(initiatives))


def posting_authors(*, user: Any) -> list[tuple[str, str]]:
    """Whom the user may post for, as (reference, name): their clusters, then their
    organisations (the first 500)."""
    clusters = editable_clusters(user).order_by("name").values_list("slug", "name")
    organisations = editable_organisations(user).order_by("name").values_list("slug", "name")
    return [(f"cluster:{slug}", name) for slug, name in clusters] + [
        (f"organisation:{slug}", name) for slug, name in organisations[:500]
    ]


def posting_list(*, user: AnyUser, kind: str = "", query: str = "", following: bool = False):
    """The postings the user may see, of one kind, matching the text, or only those they
    follow."""
    postings = permissions.visible_postings(user).select_related("cluster", "organisation")
    if kind in Posting.Kind.values:
        postings = postings.filter(kind=kind)
    if query:
        postings = postings.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if following and user is not None and user.is_authenticated:
        postings = postings.filter(followers__pk=int(user.pk or 0))
    return postings


def published_cluster_places() -> dict[str, tuple[str, str | None]]:
    """Each published cluster's key with its name and NUTS code, for the meta-clusters page."""
    return {
        cluster_key(slug): (name, region)
        for slug, name, region in ClusterOrganisation.objects.filter(
            status=ClusterOrganisation.Status.PUBLISHED
        ).values_list("slug", "name", "nuts_region__code")
    }


def agreements_within(*, members: Sequence[str]) -> list[str]:
    """Agreements in force between two clusters of the group (keys "cluster:<slug>")."""
    slugs = [key.split(":", 1)[1] for key in members]
    return list(
        CooperationAgreement.objects.filter(
            cluster_a__slug__in=slugs, cluster_b__slug__in=slugs, end__isnull=True
        ).values_list("slug", flat=True)
    )


def agreement_network_metrics(*, user: AnyUser) -> tuple[Any, NetworkMetrics]:
    """The agreements the user may see as the registry draws them, and the network's metrics
    (cooperation/network.py) over their parties."""
    drawing = registry_selectors.agreement_network(user=user)
    parties: dict[str, Party] = {}
    links = []
    for agreement in drawing.agreements:
        keys = []
        for agency, cluster in (
            (agreement.agency_a, agreement.cluster_a),
            (agreement.agency_b, agreement.cluster_b),
        ):
            party = agency or cluster
            if party is None:  # an agreement always has both parties (model constraint)
                continue
            kind = "agency" if agency is not None else "cluster"
            key = f"{kind}-{party.pk}"
            parties[key] = Party(key, party.acronym or party.name, kind, party.country_id)
            keys.append(key)
        links.append(Link(keys[0], keys[1], agreement.start.year))
    return drawing, network_metrics(parties, links)


def initiative_list(*, user: AnyUser) -> list[tuple[Initiative, list, list]]:
    """Every initiative with its published members and the agreements the user may see."""
    visible = set(registry_selectors.agreement_list(user=user).values_list("pk", flat=True))
    initiatives = Initiative.objects.select_related("agency").prefetch_related(
        "members", "agreements"
    )
    return [
        (
            initiative,
            [
                m
                for m in initiative.members.all()
                if m.status == ClusterOrganisation.Status.PUBLISHED
            ],
            [a for a in initiative.agreements.all() if a.pk in visible],
        )
        for initiative in initiatives
    ]
