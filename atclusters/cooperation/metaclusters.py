"""Meta-clusters: groups of related clusters across regions (issue 8), or of nearby clusters of
different sectors (issue 25, from the regional question's pair scores). Pure: no Django.

The clusters' pairwise matching scores make a weighted network (edges at or above a threshold);
Louvain communities (networkx, seeded, so the same input gives the same groups) that span at
least two countries are the meta-clusters. Each is named by its members' most common NACE
ecosystem and NACE divisions, and lists the agreements inside it and the strongest missing links.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from atclusters.cooperation.matching import Index, Weights, nace_levels

MISSING_LINKS = 5


@dataclass(frozen=True)
class MetaCluster:
    name: str
    members: list[str]
    countries: list[str]
    themes: list[str]
    agreements: list[tuple[str, str]]
    missing_links: list[tuple[str, str, float]]
    cohesion: float  # mean score of the pairs inside


def detect(
    index: Index,
    *,
    kind: str = "cluster",
    threshold: float = 0.3,
    resolution: float = 1.0,
    seed: int = 42,
    min_countries: int = 2,
    weights: Weights | None = None,
    names: Mapping[str, str] | None = None,
    scores: np.ndarray | None = None,
    view: str = "abroad",
) -> list[MetaCluster]:
    """Meta-clusters among the index's profiles of `kind`, largest first. `scores`: the pair
    scores of those profiles when not the matcher's (the regional question's, `view`
    "region": each group is then named by its region and most common technology field)."""
    rows = [row for row, profile in enumerate(index.profiles) if profile.kind == kind]
    if len(rows) < 2:
        return []
    if scores is None:
        scores = index.pairwise(rows, weights or Weights())
    graph = nx.Graph()
    graph.add_nodes_from(range(len(rows)))
    first, second = np.nonzero(np.triu(scores >= threshold, k=1))
    graph.add_weighted_edges_from(
        (int(a), int(b), float(scores[a, b])) for a, b in zip(first, second, strict=True)
    )
    communities = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    names = names or {}
    groups = []
    for community in communities:
        members = sorted(community, key=lambda n: index.profiles[rows[n]].key)
        profiles = [index.profiles[rows[n]] for n in members]
        countries = sorted({p.country for p in profiles if p.country})
        if len(members) < 2 or len(countries) < min_countries:
            continue
        divisions = Counter(d for p in profiles for d in nace_levels(p.nace)["division"])
        ecosystems = Counter(e for p in profiles for e in p.ecosystems)
        top_divisions = [code for code, _n in divisions.most_common(2)]
        top_ecosystem = [code for code, _n in ecosystems.most_common(1)]
        if view == "region":
            technologies = Counter(t for p in profiles for t in p.technologies)
            top_ecosystem = [code for code, _n in technologies.most_common(1)] or top_ecosystem
            top_divisions = [code for code, _n in divisions.most_common(3)]
        themes = [names.get(code, code) for code in top_ecosystem + top_divisions]
        name = (
            f"{names.get(top_ecosystem[0], top_ecosystem[0])} (NACE {', '.join(top_divisions)})"
            if top_ecosystem
            else f"NACE {', '.join(top_divisions)}"
        )
        if view == "region":
            places = Counter(p.region[:4] for p in profiles if p.region)
            name = f"{', '.join(code for code, _n in places.most_common(2))}: {name}"
        keys = {p.key for p in profiles}
        agreements = sorted(
            (p.key, partner) for p in profiles for partner in p.partners
            if partner in keys and p.key < partner
        )  # fmt: skip
        pairs = [
            (scores[a, b], index.profiles[rows[a]].key, index.profiles[rows[b]].key)
            for position, a in enumerate(members)
            for b in members[position + 1 :]
        ]
        linked = set(agreements)
        missing = sorted(
            ((float(score), a, b) for score, a, b in pairs if (a, b) not in linked),
            key=lambda item: (-item[0], item[1], item[2]),
        )[:MISSING_LINKS]
        groups.append(
            MetaCluster(
                name=name,
                members=[p.key for p in profiles],
                countries=countries,
                themes=list(dict.fromkeys(themes)),
                agreements=agreements,
                missing_links=[(a, b, round(score, 4)) for score, a, b in missing],
                cohesion=round(float(np.mean([score for score, _a, _b in pairs])), 4),
            )
        )
    return sorted(groups, key=lambda group: (-len(group.members), group.name))
