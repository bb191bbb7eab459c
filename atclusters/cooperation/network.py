"""Metrics of the cooperation network (issue 8). Pure: no Django.

Parties (agencies and clusters) are nodes, agreements and joint projects are links between two
parties. Degree counts distinct partners; a link is cross-border when its parties are in
different countries.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Party:
    key: str
    label: str
    kind: str  # "agency" or "cluster"
    country: str


@dataclass(frozen=True)
class Link:
    first: str
    second: str
    year: int  # the year it started


@dataclass(frozen=True)
class PartyMetrics:
    key: str
    label: str
    kind: str
    country: str
    degree: int
    cross_border_partners: int


@dataclass(frozen=True)
class NetworkMetrics:
    parties: list[PartyMetrics]
    links: int
    cross_border_share: float | None
    new_links_per_year: list[tuple[int, int]]
    components: int
    density: float


def metrics(parties: Mapping[str, Party], links: Sequence[Link]) -> NetworkMetrics:
    graph = nx.Graph()
    graph.add_nodes_from(parties)
    for link in links:
        graph.add_edge(link.first, link.second)
    cross = [
        link for link in links
        if parties[link.first].country != parties[link.second].country
    ]  # fmt: skip
    rows = []
    for key, party in parties.items():
        partners = set(graph.neighbors(key))
        rows.append(
            PartyMetrics(
                key=key,
                label=party.label,
                kind=party.kind,
                country=party.country,
                degree=len(partners),
                cross_border_partners=sum(
                    1 for partner in partners if parties[partner].country != party.country
                ),
            )
        )
    rows.sort(key=lambda row: (-row.degree, row.label))
    yearly = Counter(link.year for link in links)
    return NetworkMetrics(
        parties=rows,
        links=len(links),
        cross_border_share=len(cross) / len(links) if links else None,
        new_links_per_year=sorted(yearly.items()),
        components=nx.number_connected_components(graph) if parties else 0,
        density=nx.density(graph) if len(parties) > 1 else 0.0,
    )
