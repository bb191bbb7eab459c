"""Two questions for partner matching (issue 25). Pure: no Django.

- `abroad`: partners abroad in my value chain: the matcher of `matching.py`, unchanged.
- `region`: synergies in my region and the neighbouring ones across sectors: candidates in the
  same or an adjacent NUTS 2 region that share no NACE division with the query, scored by

| signal | value |
|---|---|
| `technology`, `s3`, `ecosystem` | shared terms, each counted by its specificity, ÷ √(\\|a\\|·\\|b\\|) |
| `related_variety` | 1 when a division of one side is related to a different division of the other in the platform's own co-occurrence of sectors (relatedness above 1) |
| `related` | as in `matching.py` (U.S. Cluster Mapping related categories) |
| `value_chain` | as in `matching.py`; the reasons say which side supplies the other |
| `text`, `semantic` | as in `matching.py` |
| `proximity` | 1 in the same NUTS 2 region, 0.5 in an adjacent one |

- `any`: both lists merged by rank: each candidate counts by its better place in either
  question (abroad 1st, region 1st, abroad 2nd, …; ties by score), with that question's score
  and reasons.

Specificity of a term held by df of the N profiles that name any term of its kind:
s = ln(N / df) / ln(N / 2), from 1 (only the two) to 0 (all hold it) — the inverse document
frequency (Spärck Jones, "A statistical interpretation of term specificity and its application
in retrieval", Journal of Documentation 28(1), 1972) scaled so that a term shared by exactly two
profiles counts 1.

Related variety (Frenken, Van Oort & Verburg, "Related variety, unrelated variety and regional
economic growth", Regional Studies 41(5), 2007): sectors are related when they occur together
more often than chance. Here the occurrences are the platform's own: the NACE divisions of each
cluster with those of its members, and of each organisation that belongs to several clusters.
The relatedness is `mapping.metrics.relatedness(co_occurrence(...), "prob")`, the probabilistic
measure of van Eck & Waltman ("How to normalize cooccurrence data?", JASIST 60(8), 2009) as in
EconGeo's `relatedness()`: observed ÷ expected co-occurrences, so above 1 is above chance.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from atclusters.cooperation.matching import (
    Index,
    Match,
    Preferences,
    Profile,
    Reason,
    Weights,
    _Features,
    evaluate,
    nace_levels,
)
from atclusters.mapping import metrics

MODES = ("abroad", "region", "any")
RELATED_ABOVE = 1.0  # observed ÷ expected co-occurrence: above chance
NEIGHBOUR = 0.5  # the proximity of an adjacent region (the same region: 1)


@dataclass(frozen=True)
class RegionWeights:
    technology: float = 0.25
    s3: float = 0.10
    ecosystem: float = 0.05
    related_variety: float = 0.15
    related: float = 0.10
    value_chain: float = 0.15
    text: float = 0.05
    proximity: float = 0.20  # the region is the question's premise
    semantic: float = 0.05


DEFAULT_WEIGHTS = Weights()
ANYONE = Preferences()


def nuts2(code: str) -> str:
    """The NUTS 2 region of a NUTS code (a NUTS 1 code stays itself)."""
    return code[:4]


def adjacency(features: Iterable[Mapping]) -> dict[str, frozenset[str]]:
    """NUTS 2 region → the regions it borders, from GeoJSON features (`properties.id`): two
    regions are adjacent when their boundaries share a point (GISCO's generalised boundaries
    keep shared borders on the same vertices). Neighbours across the sea are not adjacent."""
    holders: dict[tuple[float, float], set[str]] = {}
    for feature in features:
        region = feature["properties"]["id"]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            for ring in polygon:
                for x, y in ring:
                    holders.setdefault((round(x, 3), round(y, 3)), set()).add(region)
    neighbours: dict[str, set[str]] = {}
    for regions in holders.values():
        for region in regions:
            neighbours.setdefault(region, set()).update(regions - {region})
    return {region: frozenset(others) for region, others in neighbours.items()}


def division_relatedness(events: Sequence[Iterable[str]]) -> dict[tuple[str, str], float]:
    """Relatedness of NACE divisions that occur together in `events` (sets of divisions),
    both orders, only the pairs that occur together."""
    divisions = sorted({division for event in events for division in event})
    if len(divisions) < 2:
        return {}
    column = {division: position for position, division in enumerate(divisions)}
    incidence = np.zeros((len(divisions), len(events)))
    for number, event in enumerate(events):
        for division in event:
            incidence[column[division], number] = 1
    related = metrics.relatedness(metrics.co_occurrence(incidence), "prob")
    first, second = np.nonzero(related)
    return {
        (divisions[a], divisions[b]): float(related[a, b])
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    }


def specificity(features: _Features) -> np.ndarray:
    """Each term's specificity (module docstring), by the term's column."""
    holders = int((features.sizes > 0).sum())
    held = np.asarray(features.matrix.sum(axis=0)).ravel()
    if holders <= 2:
        return np.ones_like(held, dtype=np.float32)
    with np.errstate(divide="ignore"):
        values = np.log(holders / np.maximum(held, 1)) / math.log(holders / 2)
    return np.clip(values, 0, 1).astype(np.float32)


class SynergyIndex:
    """The matching index with the regional, cross-sector question beside the value-chain one.
    `neighbours`: NUTS 2 → adjacent NUTS 2 (`adjacency`); `relatedness`: the platform's
    division relatedness (`division_relatedness`)."""

    TERM_SETS = (("technology", "technologies"), ("ecosystem", "ecosystems"), ("s3", "s3"))

    def __init__(
        self,
        index: Index,
        *,
        neighbours: Mapping[str, frozenset[str]] | None = None,
        relatedness: Mapping[tuple[str, str], float] | None = None,
    ):
        self.index = index
        self.neighbours = neighbours or {}
        self.relatedness = {
            pair: value
            for pair, value in (relatedness or {}).items()
            if value > RELATED_ABOVE and pair[0] != pair[1]
        }
        self.varieties: dict[str, set[str]] = {}
        for first, second in self.relatedness:
            self.varieties.setdefault(first, set()).add(second)
        self.specificity = {
            attribute: specificity(index.sets[attribute]) for _s, attribute in self.TERM_SETS
        }
        places = [nuts2(p.region) for p in index.profiles]
        self.codes = sorted(set(places))  # the NUTS 2 (or 1) codes of the candidates
        self.code_number = {code: position for position, code in enumerate(self.codes)}
        self.place_ids = np.array([self.code_number[code] for code in places], dtype=np.int64)
        self.silent = np.zeros(len(index), dtype=np.float32)  # a signal that never counts

    def __len__(self) -> int:
        return len(self.index)

    @property
    def profiles(self) -> list[Profile]:
        return self.index.profiles

    @property
    def position(self) -> dict[str, int]:
        return self.index.position

    def _around(self, mine: str, codes: Iterable[str]) -> tuple[list[str], list[str]]:
        """Of the region codes `codes`, those of the NUTS 2 region `mine` (or under its NUTS 1
        code) and those adjacent to it."""
        codes = [code for code in codes if code]
        own = [code for code in codes if code.startswith(mine) or mine.startswith(code)]
        cells = [cell for cell in self.neighbours if cell.startswith(mine)] or [mine]
        around = {other for cell in cells for other in self.neighbours.get(cell, ())}
        near = [
            code
            for code in codes
            if code not in own
            and any(other.startswith(code) or code.startswith(other) for other in around)
        ]
        return own, near

    def _closeness(self, region: str) -> np.ndarray:
        """By code of `codes`: 1 for the region (or under its NUTS 1 code), 0.5 adjacent."""
        table = np.zeros(len(self.codes), dtype=np.float32)
        mine = nuts2(region)
        if mine:
            own, near = self._around(mine, self.codes)
            table[[self.code_number[code] for code in near]] = NEIGHBOUR
            table[[self.code_number[code] for code in own]] = 1
        return table

    def proximity(self, region: str) -> np.ndarray:
        """1 for the candidates in the query's NUTS 2 region (or under its NUTS 1 code), 0.5 in
        an adjacent one, else 0."""
        return self._closeness(region)[self.place_ids]

    def region_signals(
        self, query: Profile, base: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """The regional question's signals; `base` holds the matcher's signals for the query."""
        signals: dict[str, np.ndarray] = {}
        for signal, attribute in self.TERM_SETS:
            features = self.index.sets[attribute]
            mine = getattr(query, attribute)
            overlap = features.matrix @ (features.vector(mine) * self.specificity[attribute])
            denominator = np.sqrt(features.sizes * max(len(mine), 1))
            denominator[denominator == 0] = 1
            signals[signal] = (overlap / denominator).astype(np.float32)
        divisions = nace_levels(query.nace)["division"]
        related = {
            other
            for division in divisions
            for other in self.varieties.get(division, ())
            if other not in divisions
        }
        divisions_index = self.index.nace["division"]
        signals["related_variety"] = (divisions_index.overlap(related) > 0).astype(np.float32)
        for name in ("related", "value_chain", "text", "semantic"):
            if name in base:
                signals[name] = base[name]
        signals["proximity"] = self.proximity(query.region)
        return signals

    def eligible(self, query: Profile, proximity: np.ndarray) -> np.ndarray:
        """Candidates of the regional question: nearby and in other sectors (no NACE division
        in common)."""
        same_sector = self.index.nace["division"].overlap(nace_levels(query.nace)["division"])
        return (proximity > 0) & (same_sector == 0)

    def region_score(self, signals: Mapping[str, np.ndarray], weights: RegionWeights) -> np.ndarray:
        """The weighted mean of the regional signals (those computed: no model, no semantic)."""
        total = sum(getattr(weights, name) for name in signals)
        combined = sum(getattr(weights, name) * values for name, values in signals.items())
        return np.asarray(combined / total if total else combined, dtype=np.float32)

    def question(
        self,
        query: Profile,
        mode: str,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        region_weights: RegionWeights = RegionWeights(),
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """One question's signals and scores of every candidate, and the candidates it may
        propose (`abroad`: all; `region`: nearby, other sectors)."""
        if mode == "abroad":
            signals, score = self.index.scored(query, weights)
            return signals, score, np.ones(len(score), dtype=bool)
        if mode != "region":
            raise ValueError(f"unknown question {mode!r}: abroad or region")
        regional = self.region_signals(query, self.index.signals(query, shared=False))
        return (
            regional,
            self.region_score(regional, region_weights),
            self.eligible(query, regional["proximity"]),
        )

    def match(
        self,
        query: Profile,
        *,
        mode: str = "abroad",
        top: int = 10,
        weights: Weights = DEFAULT_WEIGHTS,
        region_weights: RegionWeights = RegionWeights(),
        preferences: Preferences = ANYONE,
    ) -> list[Match]:
        """The best candidates for the query under the mode's question; `abroad` is exactly
        `Index.match`."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: give one of {', '.join(MODES)}")
        if mode == "abroad":
            return self.index.match(query, top=top, weights=weights, preferences=preferences)
        if mode == "region":
            signals = self.index.signals(query, shared=False)
            abroad_score = self.silent
        else:
            signals, abroad_score = self.index.scored(query, weights)
        keep = self.index.keep(query, preferences, signals["transnational"])
        regional = self.region_signals(query, signals)
        eligible = self.eligible(query, regional["proximity"])
        region_score = np.where(eligible, self.region_score(regional, region_weights), -1.0)
        if mode == "region":
            keep &= eligible
            winner = np.ones(len(keep), dtype=bool)
            rows = self.index.best(region_score, keep, top)
        else:
            # The two lists merged by rank: each candidate counts by its better place in
            # either question (the scores of the two questions are not on one scale). Only the
            # first `top` of each list can be among the first `top` merged.
            places: dict[int, tuple[int, int]] = {}
            for number, question in enumerate(
                (
                    self.index.best(abroad_score, keep, top),
                    self.index.best(region_score, keep & eligible, top),
                )
            ):
                for place, row in enumerate(question):
                    places[row] = min(places.get(row, (place, number)), (place, number))
            winner = np.zeros(len(keep), dtype=bool)
            winner[[row for row, (_place, number) in places.items() if number == 1]] = True
            chosen_score = np.where(winner, region_score, abroad_score)
            rows = sorted(
                places,
                key=lambda row: (
                    places[row][0],
                    -round(float(chosen_score[row]), 6),
                    self.profiles[row].key,
                ),
            )[:top]
        score = np.where(winner, region_score, abroad_score)
        matches = []
        for row in rows:
            other = self.index.profiles[row]
            chosen = regional if winner[row] else signals
            matches.append(
                Match(
                    key=other.key,
                    name=other.name,
                    score=round(float(score[row]), 4),
                    reasons=(
                        self.region_reasons(query, other, regional, row)
                        if winner[row]
                        else self.index.reasons(query, other, signals, row)
                    ),
                    signals={k: round(float(v[row]), 4) for k, v in chosen.items()},
                    mode="region" if winner[row] else "abroad",
                )
            )
        return matches

    def pairwise(self, rows: Sequence[int], weights: RegionWeights = RegionWeights()) -> np.ndarray:
        """The regional scores of every pair among `rows` (the same signals as `match`, as
        matrix products); zero where the regional question would not propose the pair (far
        apart, or a NACE division in common) and on the diagonal."""
        index = self.index
        size = len(rows)
        score = np.zeros((size, size), dtype=np.float32)
        for signal, attribute in self.TERM_SETS:
            features = index.sets[attribute]
            chosen = features.matrix[rows]
            sizes = np.sqrt(features.sizes[rows]).astype(np.float32)
            sizes[sizes == 0] = 1
            overlap = (chosen @ sparse.diags(self.specificity[attribute]) @ chosen.T).toarray()
            overlap = overlap.astype(np.float32) / sizes[:, None] / sizes[None, :]
            score += getattr(weights, signal) * overlap
        divisions = index.nace["division"]
        score += weights.related_variety * index.linked(divisions, self.varieties, rows)
        score += weights.value_chain * index.linked(divisions, index.chain_partners, rows)
        score += weights.related * index.linked(index.sets["categories"], index.related, rows)
        text = np.zeros((size, size), dtype=np.float32)
        for analyser in index.text.values():
            chosen = analyser.matrix[rows]
            np.maximum(text, (chosen @ chosen.T).toarray(), out=text)
        score += weights.text * text
        del text
        total = sum(vars(weights).values()) - weights.semantic
        if index.embeddings is not None:
            chosen = index.embeddings[rows]
            score += weights.semantic * np.clip(chosen @ chosen.T, 0, 1)
            total += weights.semantic
        between = np.vstack([self._closeness(code) for code in self.codes])
        chosen_places = self.place_ids[list(rows)]
        proximity = between[chosen_places][:, chosen_places]
        score += weights.proximity * proximity
        if total:
            score /= total
        chosen = divisions.matrix[rows]
        score[((chosen @ chosen.T).toarray() > 0) | (proximity == 0)] = 0
        np.fill_diagonal(score, 0)
        return score

    def _rarest_first(self, attribute: str, terms: Iterable[str]) -> list[str]:
        features = self.index.sets[attribute]
        values = self.specificity[attribute]
        return sorted(
            terms,
            key=lambda term: (
                -float(values[features.columns[term]]) if term in features.columns else 0.0,
                term,
            ),
        )

    def region_reasons(
        self, query: Profile, other: Profile, signals: Mapping[str, np.ndarray], row: int
    ) -> list[Reason]:
        """Why a nearby cluster of another sector fits: the shared terms (rarest first), the
        related sectors, the value-chain direction, related categories, text and the place."""
        names = self.index.vocabulary
        reasons = []
        for code, attribute in (("technology", "technologies"), ("s3", "s3"), ("ecosystem", "ecosystems")):  # fmt: skip
            shared = self._rarest_first(
                attribute, getattr(query, attribute) & getattr(other, attribute)
            )
            if shared:
                cited = ", ".join(names.terms.get(t, t) for t in shared[:3])
                reasons.append(Reason(code, {"names": cited}))
        mine = nace_levels(query.nace)["division"]
        theirs = nace_levels(other.nace)["division"]
        if signals["related_variety"][row]:
            pairs = sorted(
                ((self.relatedness[(a, b)], a, b) for a in mine for b in theirs
                 if (a, b) in self.relatedness),
                key=lambda item: (-item[0], item[1], item[2]),
            )  # fmt: skip
            if pairs:
                ratio, a, b = pairs[0]
                reasons.append(
                    Reason(
                        "related_variety",
                        {
                            "first": f"{a} {names.nace.get(a, '')}".strip(),
                            "second": f"{b} {names.nace.get(b, '')}".strip(),
                            "ratio": round(ratio, 2),
                        },
                    )
                )
        if signals["value_chain"][row]:
            for (supplier, customer), word in sorted(names.value_chain.items()):
                if supplier in theirs and customer in mine:
                    reasons.append(Reason("supplies", {"link": word}))
                if supplier in mine and customer in theirs:
                    reasons.append(Reason("buys", {"link": word}))
        # The matcher words these three alike in both questions; nothing else of its reasons.
        alike = {**signals, "value_chain": self.silent, "transnational": self.silent}
        reasons.extend(
            reason
            for reason in self.index.reasons(query, other, alike, row)
            if reason.code in {"related", "text", "semantic"}
        )
        if signals["proximity"][row] >= 1:
            reasons.append(Reason("same_region", {"region": other.region}))
        elif signals["proximity"][row] > 0:
            reasons.append(Reason("neighbour_region", {"region": other.region}))
        return reasons


PAIR_TYPES = ("same_sector", "cross_sector", "same_country", "cross_border")


def pair_types(index: SynergyIndex, ranks: Sequence[Mapping], k: int) -> dict[str, dict]:
    """Recall@k and MRR of ranked queries by the kind of pair: sharing a NACE division or not,
    in one country or across a border."""
    groups: dict[str, list[int | None]] = {kind: [] for kind in PAIR_TYPES}
    for ranked in ranks:
        first = index.profiles[index.position[ranked["query"]]]
        second = index.profiles[index.position[ranked["target"]]]
        shared = nace_levels(first.nace)["division"] & nace_levels(second.nace)["division"]
        groups["same_sector" if shared else "cross_sector"].append(ranked["rank"])
        groups["same_country" if first.country == second.country else "cross_border"].append(
            ranked["rank"]
        )
    return {
        kind: {
            "queries": len(found),
            "recall_at_k": sum(1 for r in found if r is not None and r <= k) / len(found)
            if found
            else 0.0,
            "mrr": sum(1 / r for r in found if r is not None) / len(found) if found else 0.0,
        }
        for kind, found in groups.items()
    }


def evaluate_modes(
    index: SynergyIndex,
    pairs: Sequence[tuple[str, str]],
    *,
    k: int,
    modes: Sequence[str] = MODES,
    weights: Weights = DEFAULT_WEIGHTS,
    region_weights: RegionWeights = RegionWeights(),
) -> dict[str, dict]:
    """`matching.evaluate` under each mode, with the figures by pair type."""
    result = {}
    for mode in modes:
        ranked = evaluate(
            index,  # type: ignore[arg-type]
            pairs,
            k=k,
            mode=mode,
            weights=weights,
            region_weights=region_weights,
        )
        result[mode] = {**ranked, "by_type": pair_types(index, ranked["ranks"], k)}
    return result
