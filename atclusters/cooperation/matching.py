"""Explainable partner matching (issue 8). Pure: no Django.

Every candidate gets a score in [0, 1]: the weighted mean of transparent signals, each also
returned as a reason the user reads.

| signal | value |
|---|---|
| `nace` | shared activity, the closest level: same class 1, same group 0.7, same division 0.4 |
| `technology`, `ecosystem`, `s3` | shared terms: overlap ÷ √(|a| · |b|) (cosine of the term sets) |
| `value_chain` | 1 when one side's NACE division supplies the other's (a supplier → customer table) |
| `related` | 1 when a cluster category of one side is related to one of the other's (U.S. Cluster Mapping relatedness) |
| `text` | cosine of TF-IDF vectors of the descriptions in the same language, best language |
| `semantic` | cosine of the descriptions' sentence embeddings less their mean (from 30 described candidates), from 0; only when a model is set |

Preferences: `transnational` adds its weight when the candidate is in another country (and
`transnational_only` keeps only those); `countries` and `regions` keep candidates in those
countries or NUTS regions; current partners are left out. The index holds sparse matrices, so
one query is a few sparse products over all candidates and a partial sort.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy import sparse

from atclusters.cooperation.text import LANGUAGES, terms

NACE_LEVELS = (("class", 1.0), ("group", 0.7), ("division", 0.4))
# The semantic signal is centred when at least this many candidates have a description.
CENTRED_FROM = 30


@dataclass(frozen=True)
class Profile:
    """A cluster, an organisation or a posting as the matcher sees it. NACE codes as in the
    registry ("10", "10.1", "10.11"); categories are cluster-category codes."""

    key: str
    name: str
    kind: str = "cluster"
    country: str = ""
    region: str = ""  # NUTS code
    nace: frozenset[str] = frozenset()
    technologies: frozenset[str] = frozenset()
    ecosystems: frozenset[str] = frozenset()
    s3: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    texts: Mapping[str, str] = field(default_factory=dict)
    partners: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    nace: float = 0.25
    technology: float = 0.15
    ecosystem: float = 0.15
    s3: float = 0.10
    value_chain: float = 0.10
    related: float = 0.10
    text: float = 0.15
    transnational: float = 0.05
    semantic: float = 0.15


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Preferences:
    """`countries` and `regions` (NUTS codes, any level) together: a candidate in one of the
    countries or in (or under) one of the regions; neither: anywhere."""

    transnational_only: bool = False
    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    exclude_partners: bool = True


def gettext_noop(text: str) -> str:
    """Marks a text for the platform's translation catalogues (the name `makemessages` looks
    for); the platform translates it where it shows the reason."""
    return text


REASONS = {
    "nace_class": gettext_noop("same NACE class %(activities)s"),
    "nace_group": gettext_noop("same NACE group %(activities)s"),
    "nace_division": gettext_noop("same NACE division %(activities)s"),
    "ecosystem": gettext_noop("both in %(names)s ecosystem"),
    "technology": gettext_noop("shared technology fields: %(names)s"),
    "s3": gettext_noop("shared S3 areas: %(names)s"),
    "value_chain": gettext_noop("complementary: %(link)s"),
    "related": gettext_noop("related cluster categories: %(first)s ↔ %(second)s"),
    "text": gettext_noop("similar descriptions (%(similarity)s)"),
    "semantic": gettext_noop("descriptions close in meaning (%(similarity)s)"),
    "transnational": gettext_noop("in another country (%(country)s)"),
    # the regional question's (synergy.py)
    "same_region": gettext_noop("in the same region (%(region)s)"),
    "neighbour_region": gettext_noop("in a neighbouring region (%(region)s)"),
    "related_variety": gettext_noop(
        "related sectors on the platform: %(first)s ↔ %(second)s (%(ratio)s × chance)"
    ),
    "supplies": gettext_noop("complementary, they supply you: %(link)s"),
    "buys": gettext_noop("complementary, they buy from you: %(link)s"),
}


@dataclass(frozen=True)
class Reason:
    """One signal that counts for a pair: a key of `REASONS` and the names (or the similarity)
    it cites. `str()` gives the English words."""

    code: str
    params: Mapping[str, str | float] = field(default_factory=dict)

    def __str__(self) -> str:
        return REASONS[self.code] % {
            name: f"{value:.2f}" if isinstance(value, float) else value
            for name, value in self.params.items()
        }


@dataclass(frozen=True)
class Match:
    key: str
    name: str
    score: float
    reasons: list[Reason]
    signals: dict[str, float]
    mode: str = "abroad"  # the question that ranked it (synergy.MODES)


@dataclass(frozen=True)
class Vocabulary:
    """Names shown in reasons: NACE code → name, term → name, category → name, and the
    supplier → customer pairs of NACE divisions with a word on each."""

    nace: Mapping[str, str] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    value_chain: Mapping[tuple[str, str], str] = field(default_factory=dict)
    related: frozenset[tuple[str, str]] = frozenset()


def nace_levels(codes: Iterable[str]) -> dict[str, set[str]]:
    """Each code at the levels it determines: a class (10.11) gives its group (10.1) and
    division (10); a group gives its division."""
    levels: dict[str, set[str]] = {"class": set(), "group": set(), "division": set()}
    for code in codes:
        division = code[:2]
        levels["division"].add(division)
        if len(code) >= 4:
            levels["group"].add(code[:4])
        if len(code) >= 5:
            levels["class"].add(code[:5])
    return levels


class _Features:
    """Rows of profiles × columns of features, binary, with a column per distinct feature."""

    def __init__(self, rows: Sequence[Iterable[str]]):
        self.columns: dict[str, int] = {}
        indices, pointers = [], [0]
        for row in rows:
            for feature in set(row):
                indices.append(self.columns.setdefault(feature, len(self.columns)))
            pointers.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        self.matrix = sparse.csr_matrix(
            (data, np.array(indices, dtype=np.int32), np.array(pointers, dtype=np.int64)),
            shape=(len(rows), max(1, len(self.columns))),
        )
        self.sizes = np.asarray(self.matrix.sum(axis=1)).ravel()

    def vector(self, features: Iterable[str]) -> np.ndarray:
        vector = np.zeros(self.matrix.shape[1], dtype=np.float32)
        for feature in features:
            if feature in self.columns:
                vector[self.columns[feature]] = 1
        return vector

    def overlap(self, features: Iterable[str]) -> np.ndarray:
        return self.matrix @ self.vector(features)


class _Text:
    """TF-IDF (sublinear tf, smoothed idf, unit rows) of the descriptions in one language."""

    def __init__(self, documents: Sequence[list[str]]):
        frequency: Counter[str] = Counter()
        for words in documents:
            frequency.update(set(words))
        self.columns = {term: index for index, term in enumerate(sorted(frequency))}
        count = len(documents)
        self.idf = np.array(
            [math.log((1 + count) / (1 + frequency[term])) + 1 for term in sorted(frequency)],
            dtype=np.float32,
        )
        rows, cols, values = [], [], []
        for row, words in enumerate(documents):
            for term, times in Counter(words).items():
                rows.append(row)
                cols.append(self.columns[term])
                values.append((1 + math.log(times)) * self.idf[self.columns[term]])
        matrix = sparse.csr_matrix(
            (np.array(values, dtype=np.float32), (rows, cols)),
            shape=(count, max(1, len(self.columns))),
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        self.matrix = sparse.diags(1 / norms) @ matrix

    def vector(self, words: list[str]) -> np.ndarray:
        vector = np.zeros(self.matrix.shape[1], dtype=np.float32)
        for term, times in Counter(words).items():
            if term in self.columns:
                vector[self.columns[term]] = (1 + math.log(times)) * self.idf[self.columns[term]]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def similarity(self, words: list[str]) -> np.ndarray:
        return self.matrix @ self.vector(words)


class Index:
    """The candidates' features, built once; `match` answers one query."""

    def __init__(
        self,
        profiles: Sequence[Profile],
        vocabulary: Vocabulary | None = None,
        embedder: Embedder | None = None,
        centre: np.ndarray | float | None = None,
    ):
        """`centre`: the mean embedding to take away, when a larger index knows it better
        (a few postings against the registry's descriptions)."""
        self.profiles = list(profiles)
        self.vocabulary = vocabulary or Vocabulary()
        self.position = {profile.key: row for row, profile in enumerate(self.profiles)}
        # A candidate that names the query as its partner (a posting names its author) is left
        # out with the query's own partners.
        self.partnered_by: dict[str, list[int]] = {}
        for row, profile in enumerate(self.profiles):
            for partner in profile.partners:
                self.partnered_by.setdefault(partner, []).append(row)
        levels = [nace_levels(profile.nace) for profile in self.profiles]
        self.nace = {level: _Features([lv[level] for lv in levels]) for level, _w in NACE_LEVELS}
        self.sets = {
            name: _Features([getattr(profile, name) for profile in self.profiles])
            for name in ("technologies", "ecosystems", "s3", "categories")
        }
        self.countries = np.array([profile.country for profile in self.profiles])
        self.regions = np.array([profile.region for profile in self.profiles], dtype=str)
        self.kinds = np.array([profile.kind for profile in self.profiles])
        self.text = {
            language: _Text([terms(p.texts.get(language, ""), language) for p in self.profiles])
            for language in LANGUAGES
        }
        suppliers: dict[str, set[str]] = {}
        for supplier, customer in self.vocabulary.value_chain:
            suppliers.setdefault(supplier, set()).add(customer)
            suppliers.setdefault(customer, set()).add(supplier)
        self.chain_partners = suppliers
        related: dict[str, set[str]] = {}
        for first, second in self.vocabulary.related:
            related.setdefault(first, set()).add(second)
            related.setdefault(second, set()).add(first)
        self.related = related
        self.embedder = embedder
        self.embeddings: np.ndarray | None = None
        self.centre: np.ndarray | float = 0.0
        if embedder is not None:
            embeddings = embedder.embed([_whole_text(profile) for profile in self.profiles])
            described = embeddings.any(axis=1)
            # Long texts' static embeddings share a common direction (unrelated descriptions
            # score 0.6); taking the described candidates' mean away leaves what sets a
            # description apart. A mean of a handful of texts would take their topics away too.
            if centre is not None:
                self.centre = centre
            elif described.sum() >= CENTRED_FROM:
                self.centre = embeddings[described].mean(axis=0)
            self.embeddings = self._centred(embeddings)

    def _centred(self, embeddings: np.ndarray) -> np.ndarray:
        """Unit rows less the centre, in place; a text without a known word stays zero (no
        signal)."""
        described = embeddings.any(axis=1)
        embeddings[described] -= self.centre
        norms = np.linalg.norm(embeddings, axis=1)
        norms[norms == 0] = 1
        embeddings /= norms[:, None]
        return embeddings

    def __len__(self) -> int:
        return len(self.profiles)

    def signals(self, query: Profile, *, shared: bool = True) -> dict[str, np.ndarray]:
        """Every signal of every candidate for the query; without `shared`, not the signals of
        shared activities and terms (the regional question computes its own)."""
        size = len(self.profiles)
        levels = nace_levels(query.nace)
        signals = {}
        if shared:
            nace = np.zeros(size, dtype=np.float32)
            for level, weight in reversed(NACE_LEVELS):  # coarse first, finer levels overwrite
                hits = self.nace[level].overlap(levels[level]) > 0
                nace[hits] = weight
            signals["nace"] = nace
        term_sets = (("technology", "technologies"), ("ecosystem", "ecosystems"), ("s3", "s3"))
        for signal, attribute in term_sets if shared else ():
            features = self.sets[attribute]
            mine = getattr(query, attribute)
            overlap = features.overlap(mine)
            denominator = np.sqrt(features.sizes * max(len(mine), 1))
            denominator[denominator == 0] = 1
            signals[signal] = (overlap / denominator).astype(np.float32)
        chain = {
            other
            for division in levels["division"]
            for other in self.chain_partners.get(division, ())
        }
        signals["value_chain"] = (self.nace["division"].overlap(chain) > 0).astype(np.float32)
        related = {
            other for category in query.categories for other in self.related.get(category, ())
        }
        signals["related"] = (self.sets["categories"].overlap(related) > 0).astype(np.float32)
        text = np.zeros(size, dtype=np.float32)
        own = self.position.get(query.key)
        for language in LANGUAGES:
            analyser = self.text[language]
            if own is not None and self.profiles[own] is query:
                # A candidate's own row is the vector its words would give: no stemming again.
                text = np.maximum(
                    text, (analyser.matrix @ analyser.matrix[own].T).toarray().ravel()
                )
                continue
            words = terms(query.texts.get(language, ""), language)
            if words:
                text = np.maximum(text, analyser.similarity(words))
        signals["text"] = text
        signals["transnational"] = (
            (self.countries != query.country) & (self.countries != "")
        ).astype(np.float32)
        if self.embeddings is not None and self.embedder is not None:
            if query.key in self.position:
                mine = self.embeddings[self.position[query.key]]
            else:
                mine = self._centred(self.embedder.embed([_whole_text(query)]))[0]
            signals["semantic"] = np.clip(self.embeddings @ mine, 0, 1)
        return signals

    def _total(self, weights: Weights) -> float:
        """The sum of the weights of the signals this index computes (the semantic signal
        only when it has a model)."""
        total = sum(vars(weights).values())
        return total if self.embeddings is not None else total - weights.semantic

    def scored(self, query: Profile, weights: Weights) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The signals of every candidate for the query, and their weighted mean."""
        signals = self.signals(query)
        score = sum(getattr(weights, name) * values for name, values in signals.items())
        return signals, score / self._total(weights)

    def match(
        self,
        query: Profile,
        *,
        top: int = 10,
        weights: Weights = Weights(),
        preferences: Preferences = Preferences(),
    ) -> list[Match]:
        signals, score = self.scored(query, weights)
        keep = self.keep(query, preferences, signals["transnational"])
        best = self.best(score, keep, top)
        return [
            Match(
                key=self.profiles[row].key,
                name=self.profiles[row].name,
                score=round(float(score[row]), 4),
                reasons=self.reasons(query, self.profiles[row], signals, row),
                signals={name: round(float(values[row]), 4) for name, values in signals.items()},
            )
            for row in best
        ]

    def keep(self, query: Profile, preferences: Preferences, abroad: np.ndarray) -> np.ndarray:
        """The candidates the preferences let through (never the query itself); `abroad` is
        the transnational signal."""
        keep = np.ones(len(self.profiles), dtype=bool)
        if query.key in self.position:
            keep[self.position[query.key]] = False
        if preferences.exclude_partners:
            for partner in query.partners:
                if partner in self.position:
                    keep[self.position[partner]] = False
            keep[self.partnered_by.get(query.key, [])] = False
        if preferences.transnational_only:
            keep &= abroad > 0
        if preferences.countries or preferences.regions:
            wanted = np.isin(self.countries, list(preferences.countries))
            for region in preferences.regions:
                wanted |= np.char.startswith(self.regions, region)
            keep &= wanted
        if preferences.kinds:
            keep &= np.isin(self.kinds, list(preferences.kinds))
        return keep

    def best(self, score: np.ndarray, keep: np.ndarray, top: int) -> list[int]:
        """The rows of the `top` best scores among those kept, best first."""
        score = np.where(keep, score, -1.0)
        count = min(top, int(keep.sum()))
        if count <= 0:
            return []
        candidates = np.argpartition(-score, count - 1)[:count]
        # Ties are broken by key so that results are reproducible.
        return sorted(
            candidates.tolist(),
            key=lambda row: (-round(float(score[row]), 6), self.profiles[row].key),
        )

    def pairwise(self, rows: Sequence[int], weights: Weights = Weights()) -> np.ndarray:
        """The scores of every pair among `rows` (the same signals as `match`, as matrix
        products), zero on the diagonal. Float32 and in place: 5,000 rows take 100 MB a matrix."""
        size = len(rows)
        score = np.zeros((size, size), dtype=np.float32)
        nace = np.zeros((size, size), dtype=np.float32)
        for level, value in reversed(NACE_LEVELS):
            features = self.nace[level].matrix[rows]
            nace[(features @ features.T).toarray() > 0] = value
        nace *= weights.nace
        score += nace
        del nace
        for signal, attribute in (
            ("technology", "technologies"),
            ("ecosystem", "ecosystems"),
            ("s3", "s3"),
        ):
            features = self.sets[attribute]
            chosen = features.matrix[rows]
            sizes = np.sqrt(features.sizes[rows]).astype(np.float32)
            sizes[sizes == 0] = 1
            overlap = (chosen @ chosen.T).toarray()
            overlap /= sizes[:, None]
            overlap /= sizes[None, :]
            overlap *= getattr(weights, signal)
            score += overlap
            del overlap
        score += weights.value_chain * self.linked(self.nace["division"], self.chain_partners, rows)
        score += weights.related * self.linked(self.sets["categories"], self.related, rows)
        text = np.zeros((size, size), dtype=np.float32)
        for analyser in self.text.values():
            chosen = analyser.matrix[rows]
            np.maximum(text, (chosen @ chosen.T).toarray(), out=text)
        text *= weights.text
        score += text
        del text
        countries = self.countries[rows]
        abroad = (countries[:, None] != countries[None, :]) & (countries[:, None] != "")
        score += np.float32(weights.transnational) * abroad
        if self.embeddings is not None:
            chosen = self.embeddings[rows]
            meaning = chosen @ chosen.T
            np.clip(meaning, 0, 1, out=meaning)
            meaning *= weights.semantic
            score += meaning
            del meaning
        score /= self._total(weights)
        np.fill_diagonal(score, 0)
        return score

    @staticmethod
    def linked(
        features: _Features, links: Mapping[str, set[str]], rows: Sequence[int]
    ) -> np.ndarray:
        """1 where a feature of one row is linked to a feature of the other."""
        columns = features.columns
        pairs = [
            (columns[a], columns[b]) for a, others in links.items() for b in others
            if a in columns and b in columns
        ]  # fmt: skip
        size = features.matrix.shape[1]
        link = sparse.csr_matrix(
            (
                np.ones(len(pairs), dtype=np.float32),
                ([a for a, _b in pairs], [b for _a, b in pairs]),
            ),
            shape=(size, size),
        )
        chosen = features.matrix[rows]
        return ((chosen @ link @ chosen.T).toarray() > 0).astype(np.float32)

    def reasons(
        self, query: Profile, other: Profile, signals: dict[str, np.ndarray], row: int
    ) -> list[Reason]:
        """The signals that count for this pair, with the names they cite."""
        names = self.vocabulary
        reasons = []
        mine, theirs = nace_levels(query.nace), nace_levels(other.nace)
        for level, _weight in NACE_LEVELS:
            shared = sorted(mine[level] & theirs[level])
            if shared:
                activities = ", ".join(
                    f"{code} {names.nace.get(code, '')}".strip() for code in shared[:3]
                )
                reasons.append(Reason(f"nace_{level}", {"activities": activities}))
                break
        for attribute, code in (
            ("ecosystems", "ecosystem"),
            ("technologies", "technology"),
            ("s3", "s3"),
        ):
            shared = sorted(getattr(query, attribute) & getattr(other, attribute))
            if shared:
                cited = ", ".join(names.terms.get(t, t) for t in shared[:3])
                reasons.append(Reason(code, {"names": cited}))
        if signals["value_chain"][row]:
            for (supplier, customer), word in names.value_chain.items():
                if (supplier in mine["division"] and customer in theirs["division"]) or (
                    customer in mine["division"] and supplier in theirs["division"]
                ):
                    reasons.append(Reason("value_chain", {"link": word}))
                    break
        if signals["related"][row]:
            pairs = sorted(
                (a, b)
                for a in query.categories
                for b in other.categories
                if b in self.related.get(a, ())
            )
            if pairs:
                a, b = pairs[0]
                reasons.append(
                    Reason(
                        "related",
                        {"first": names.categories.get(a, a), "second": names.categories.get(b, b)},
                    )
                )
        for code, threshold in (("text", 0.1), ("semantic", 0.3)):
            if code in signals and signals[code][row] >= threshold:
                reasons.append(Reason(code, {"similarity": round(float(signals[code][row]), 4)}))
        if signals["transnational"][row]:
            reasons.append(Reason("transnational", {"country": other.country}))
        return reasons


def _whole_text(profile: Profile) -> str:
    """Every language's description in one text: a multilingual model places them together."""
    return "\n".join(profile.texts[language] for language in sorted(profile.texts))


def evaluate(index: Index, pairs: Sequence[tuple[str, str]], *, k: int, **options) -> dict:
    """Recall@k and mean reciprocal rank of known partners: for each pair (a, b), where b
    ranks among a's matches (and a among b's), counting both directions. Current partners are
    not left out (the pairs usually are partners already)."""
    preferences = options.pop("preferences", Preferences(exclude_partners=False))
    found, reciprocal = 0, 0.0
    ranks: list[dict] = []
    queries = 0
    for first, second in pairs:
        for query, target in ((first, second), (second, first)):
            if query not in index.position or target not in index.position:
                continue
            queries += 1
            profile = index.profiles[index.position[query]]
            matches = index.match(profile, top=len(index), preferences=preferences, **options)
            rank = next((n for n, m in enumerate(matches, start=1) if m.key == target), None)
            ranks.append({"query": query, "target": target, "rank": rank})
            if rank is not None:
                reciprocal += 1 / rank
                found += rank <= k
    return {
        "pairs": len(pairs),
        "queries": queries,
        "k": k,
        "recall_at_k": found / queries if queries else 0.0,
        "mrr": reciprocal / queries if queries else 0.0,
        "ranks": ranks,
    }
