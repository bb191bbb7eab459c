"""How relevant an item is to a watch topic, with the reasons (docs/watch.md, "Relevance").

A topic's query is boolean: words and "quoted phrases", AND, OR (or |), NOT (or a leading -),
and parentheses; words side by side must all match (AND); each line or comma is an alternative (OR).
Words match by stem in the item's language (cooperation's analysers: Snowball stemmers, stop
words), so "sensores" matches "sensor" and a query may mix languages. An item that satisfies
the query scores

    40 (the query holds) + 20 (a query term is in the title) + 10 per distinct term found (≤ 40)

out of 100, and the explanation lists the terms found, those in the title, and the parts of
the score; an item that does not satisfy it scores 0 and the explanation says which excluded
term (NOT) or which missing terms. No Django here."""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from atclusters.cooperation import text as analysers

BASE, TITLE_BONUS, PER_TERM, TERMS_CAP = 40, 20, 10, 40
TOKEN = re.compile(r'"([^"]*)"|([()|])|(-)(?=[\w"(])|([^\s()"|]+)', re.UNICODE)


class QueryError(ValueError):
    """A query that does not parse (an unclosed parenthesis, an operator without a term)."""


@dataclass(frozen=True)
class Term:
    text: str  # as the curator wrote it

    def stems(self, language: str) -> tuple[str, ...]:
        return _stems(self.text, language)


@lru_cache(maxsize=65536)
def _stems(text: str, language: str) -> tuple[str, ...]:
    """A query term's stems, once per language (every item of a run asks again)."""
    return tuple(analysers.terms(text, language)) or (text.lower(),)


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class All:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Any_:
    nodes: tuple["Node", ...]


type Node = Term | Not | All | Any_


def _tokens(query: str) -> list[str]:
    tokens: list[str] = []
    for line in re.split(r"[\n,;]+", query):
        if not line.strip():
            continue
        if tokens:
            tokens.append("OR")
        tokens.append("(")
        for phrase, symbol, minus, word in TOKEN.findall(line):
            if minus:
                tokens.append("NOT")
            elif symbol:
                tokens.append("OR" if symbol == "|" else symbol)
            elif word in ("AND", "OR", "NOT"):
                tokens.append(word)
            else:
                tokens.append('"' + (phrase if phrase or not word else word))
        tokens.append(")")
    return tokens


def parse(query: str) -> Node:
    """The query's tree; QueryError when it does not parse or has no term."""
    tokens = _tokens(query)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        token = peek()
        if token is None:
            raise QueryError("the query ends where a term was expected")
        position += 1
        return token

    def alternatives() -> Node:
        nodes = [conjunction()]
        while peek() == "OR":
            take()
            nodes.append(conjunction())
        return nodes[0] if len(nodes) == 1 else Any_(tuple(nodes))

    def conjunction() -> Node:
        nodes = [negation()]
        while peek() not in (None, "OR", ")"):
            if peek() == "AND":
                take()
            nodes.append(negation())
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes))

    def negation() -> Node:
        if peek() == "NOT":
            take()
            return Not(negation())
        return atom()

    def atom() -> Node:
        token = take()
        if token == "(":  # noqa: S105 (a query token, not a password)
            node = alternatives()
            if take() != ")":
                raise QueryError("a parenthesis is not closed")
            return node
        if token.startswith('"') and token[1:].strip():
            return Term(token[1:].strip())
        raise QueryError(f"a term was expected, not {token!r}")

    if not tokens:
        raise QueryError("the query has no term")
    tree = alternatives()
    if position != len(tokens):
        raise QueryError(f"unexpected {tokens[position]!r}")
    return tree


def positive_terms(node: Node) -> list[Term]:
    """The terms that count for an item (not those under NOT), in order."""
    match node:
        case Term():
            return [node]
        case Not():
            return []
        case All(nodes) | Any_(nodes):
            return [term for child in nodes for term in positive_terms(child)]


@dataclass(frozen=True)
class Analysed:
    """An item's stems, computed once and scored against every topic."""

    language: str
    title: tuple[str, ...]
    words: tuple[str, ...]  # the title's and the text's
    title_set: frozenset[str]
    word_set: frozenset[str]


def analyse(*, title: str, text: str, language: str) -> Analysed:
    language = language if language in analysers.LANGUAGES else "en"
    title_stems = tuple(analysers.terms(title, language))
    words = title_stems + tuple(analysers.terms(text, language))
    return Analysed(language, title_stems, words, frozenset(title_stems), frozenset(words))


def _contains(sequence: tuple[str, ...], members: frozenset[str], needle: tuple[str, ...]) -> bool:
    if len(needle) == 1:
        return needle[0] in members
    if not members.issuperset(needle):
        return False
    width = len(needle)
    return any(sequence[i : i + width] == needle for i in range(len(sequence) - width + 1))


@dataclass(frozen=True)
class Score:
    score: int
    explanation: dict


def _all_terms(node: Node) -> list[Term]:
    match node:
        case Term():
            return [node]
        case Not(child):
            return _all_terms(child)
        case All(nodes) | Any_(nodes):
            return [term for child in nodes for term in _all_terms(child)]


def _holds_with_none(node: Node) -> bool:
    """Whether the query holds for a text in which none of its terms is found."""
    match node:
        case Term():
            return False
        case Not(child):
            return not _holds_with_none(child)
        case All(nodes):
            return all(_holds_with_none(child) for child in nodes)
        case Any_(nodes):
            return any(_holds_with_none(child) for child in nodes)


@dataclass(frozen=True)
class Prepared:
    """A parsed query with what scoring every item against it needs, worked out once: its
    terms, those that count (not under NOT), and whether it holds when none is found."""

    tree: Node
    terms: tuple[Term, ...]
    positive: tuple[Term, ...]
    holds_with_none: bool


def prepare(query: Node) -> Prepared:
    return Prepared(
        tree=query,
        terms=tuple(dict.fromkeys(_all_terms(query))),
        positive=tuple(dict.fromkeys(positive_terms(query))),
        holds_with_none=_holds_with_none(query),
    )


def score(
    query: Node | Prepared, *, title: str = "", text: str = "", language: str = "en",
    analysed: Analysed | None = None,
) -> Score:  # fmt: skip
    """The item's relevance to the query, 0-100, and why (`analysed`: the item already
    analysed, instead of its title, text and language; `query` prepared once for many
    items, or a parsed query)."""
    item = analysed or analyse(title=title, text=text, language=language)
    language = item.language
    prepared = query if isinstance(query, Prepared) else prepare(query)
    # The short cut for most pairs of an item and a topic: no term of the query is in the
    # item (a term's first stem is not among its words), so nothing is found and the answer
    # is the one the full walk below would give.
    if not prepared.holds_with_none and not any(
        term.stems(language)[0] in item.word_set for term in prepared.terms
    ):
        missing = [term.text for term in prepared.positive]
        return Score(0, {"matched": False, "excluded_by": [], "missing": missing})
    query = prepared.tree
    found: dict[Term, bool] = {}

    def holds(node: Node) -> bool:
        match node:
            case Term():
                if node not in found:
                    found[node] = _contains(item.words, item.word_set, node.stems(language))
                return found[node]
            case Not(child):
                return not holds(child)
            case All(nodes) | Any_(nodes):
                # Every term is looked at (no short cut), for the explanation.
                results = [holds(child) for child in nodes]
                return all(results) if isinstance(node, All) else any(results)

    matched = holds(query)
    positive = list(prepared.positive)
    # Two spellings of one stem ("launch", "launches") count once, as the first written.
    by_stem: dict[tuple[str, ...], str] = {}
    for term in positive:
        if found.get(term):
            by_stem.setdefault(term.stems(language), term.text)
    present = list(by_stem.values())
    if not matched:
        excluded = [term.text for term in found if found[term] and term not in positive]
        missing = [term.text for term in positive if not found.get(term)]
        return Score(0, {"matched": False, "excluded_by": excluded, "missing": missing})
    in_title = [
        term.text
        for term in positive
        if found.get(term) and _contains(item.title, item.title_set, term.stems(language))
    ]
    parts = {
        "query": BASE,
        "title": TITLE_BONUS if in_title else 0,
        "terms": min(TERMS_CAP, PER_TERM * len(present)),
    }
    return Score(
        sum(parts.values()),
        {"matched": True, "terms": present, "in_title": in_title, "parts": parts},
    )


def language_guess(text: str, declared: str = "") -> str:
    """The item's language: the one the feed declares when it is one of ours, else the one
    whose stop words the text uses most (English when none)."""
    if declared in analysers.LANGUAGES:
        return declared
    words = Counter(re.findall(r"[^\W\d_]+", text.lower()))
    counts = {
        code: sum(words[word] for word in analysers.STOP_WORDS[code].split())
        for code in analysers.LANGUAGES
    }
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else "en"


# Topics defined by example (docs/watch.md, "Topics by example") ---------------------------

EXAMPLE_TERMS = 8
EXAMPLE_MIN_LETTERS = 4


def _surface_words(text: str, language: str) -> dict[str, str]:
    """The text's words by stem: each stem with the first word that gave it (what a curator
    reads in the query), stop words and words of fewer than four letters left out."""
    language = language if language in analysers.LANGUAGES else "en"
    words = [w for w in analysers.words(text, language) if len(w) >= EXAMPLE_MIN_LETTERS]
    found: dict[str, str] = {}
    for word in words:
        found.setdefault(_stems(word, language)[0], word)
    return found


def example_terms(
    examples: list[tuple[str, str]], others: list[tuple[str, str]], *, count: int = EXAMPLE_TERMS
) -> list[dict]:
    """The words that set the example items (text, language) apart from the cluster's other
    items: each stem's share of the examples that have it less its share of the others, kept
    when positive and in at least two examples (in the one, when there is one); the `count`
    best, each as {"term", "examples", "others"} (how many examples and other items have it).
    The topic's query is their alternatives, so an item's explanation names which it has."""
    if not examples:
        return []
    seen: dict[str, str] = {}
    in_examples: Counter[str] = Counter()
    for text, language in examples:
        words = _surface_words(text, language)
        in_examples.update(words.keys())
        for stem, word in words.items():
            seen.setdefault(stem, word)
    in_others: Counter[str] = Counter()
    for text, language in others:
        in_others.update(_surface_words(text, language).keys())
    needed = min(2, len(examples))
    scored = [
        (in_examples[stem] / len(examples) - in_others[stem] / max(1, len(others)), stem)
        for stem in in_examples
        if in_examples[stem] >= needed
    ]
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:count]
    return [
        {"term": seen[stem], "examples": in_examples[stem], "others": in_others[stem]}
        for _share, stem in best
    ]


def nace_query(names: dict[str, str]) -> str:
    """A query for a NACE activity from its names by language: each name's words of four
    letters or more (stop words left out) as alternatives, so an item is filed with the
    words it shares with the activity's description named in its explanation."""
    found: dict[str, None] = {}
    for language, name in names.items():
        for word in analysers.words(name, language):
            if len(word) >= EXAMPLE_MIN_LETTERS:
                found.setdefault(word)
    return " | ".join(found)
