"""Partners proposed for a proposal from their EU track record (docs/funding.md, "Partners
proposed for a proposal"). Pure: no Django.

An organisation's CORDIS projects count for a call when they are on a similar topic — of the
same part of the work programme (the topic identifiers' programme, cluster and destination
words, years and numbers left out), or with a title similar to the call's text — and when they
were funded by the call's programme. A coordinated project weighs more: the coordinator led
the consortium and wrote the proposal. Each count saturates (x ÷ (x + 1)): the tenth similar
project adds less than the first. The track record's two signals and the matching engine's
score are averaged with fixed weights."""

from collections.abc import Iterable
from dataclasses import dataclass, field

# A participation's weight by its CORDIS role: coordinators led the consortium; affiliated
# entities, associated and international partners took a smaller part.
ROLE_WEIGHTS = {"coordinator": 2.0, "participant": 1.0}
OTHER_ROLE_WEIGHT = 0.5
# The research framework programmes follow each other: a Horizon 2020 or FP7 project is
# experience of Horizon Europe's rules and evaluators.
PROGRAMME_FAMILIES = {"H2020": "HORIZON", "FP7": "HORIZON"}
# A title this similar to the call's text (TF-IDF cosine) is on a similar topic: the matching
# engine's threshold for its "similar descriptions" reason (cooperation/matching.py).
SIMILAR_TEXT = 0.1
# The weights of the combined score: the engine's score of the organisation for the proposal's
# cluster, its projects on similar topics, its projects in the call's programme.
ENGINE_WEIGHT = 0.5
TOPICS_WEIGHT = 0.35
PROGRAMME_WEIGHT = 0.15
CITED = 3  # similar projects a reason names


@dataclass(frozen=True)
class Taking:
    """One organisation's part in one CORDIS project, with the project's title similarity to
    the call (computed by the caller)."""

    organisation: str
    project: str
    acronym: str
    programme: str
    topic: str
    role: str
    similarity: float = 0.0


@dataclass
class Record:
    """What an organisation's projects say about its fit to the call."""

    topics: float = 0.0  # the signal of projects on similar topics, in [0, 1)
    programme: float = 0.0  # the signal of projects in the call's programme, in [0, 1)
    similar: list[tuple[str, bool]] = field(default_factory=list)  # (acronym, coordinated)
    in_programme: int = 0
    coordinated_in_programme: int = 0


def topic_area(identifier: str) -> str:
    """The part of the work programme a topic belongs to: its identifier without the year and
    the numbers ("HORIZON-CL6-2026-FARM2FORK-01-03" → "HORIZON-CL6-FARM2FORK"); empty when the
    identifier names no part beyond the programme."""
    words = [w for w in identifier.strip().upper().split("-") if w and not w.isdigit()]
    return "-".join(words) if len(words) >= 2 else ""


def programme_family(code: str) -> str:
    """The programme a call identifier's prefix or a CORDIS framework programme names, the
    research framework programmes as one ("H2020" → "HORIZON")."""
    prefix = code.strip().upper().split("-")[0]
    return PROGRAMME_FAMILIES.get(prefix, prefix)


def role_weight(role: str) -> float:
    return ROLE_WEIGHTS.get(role, OTHER_ROLE_WEIGHT)


def saturated(amount: float) -> float:
    return amount / (amount + 1)


def records(takings: Iterable[Taking], *, call_identifier: str) -> dict[str, Record]:
    """Each organisation's record for the call: its experience on similar topics (Σ role
    weight × relevance, relevance 1 for a project of the call's part of the work programme,
    else its title's similarity from SIMILAR_TEXT) and in the call's programme (Σ role weight),
    each saturated. An organisation in a project twice (two PICs) counts once, in its larger
    role."""
    area = topic_area(call_identifier)
    family = programme_family(call_identifier)
    best: dict[tuple[str, str], Taking] = {}
    for taking in takings:
        key = (taking.organisation, taking.project)
        if key not in best or role_weight(taking.role) > role_weight(best[key].role):
            best[key] = taking
    by_organisation: dict[str, list[Taking]] = {}
    for taking in best.values():
        by_organisation.setdefault(taking.organisation, []).append(taking)
    result = {}
    for organisation, chosen in by_organisation.items():
        record = Record()
        experience = programme = 0.0
        relevant = []
        for taking in chosen:
            weight = role_weight(taking.role)
            same_area = bool(area) and topic_area(taking.topic) == area
            similar = taking.similarity if taking.similarity >= SIMILAR_TEXT else 0.0
            relevance = 1.0 if same_area else similar
            if relevance:
                experience += weight * relevance
                relevant.append((weight * relevance, taking))
            if family and programme_family(taking.programme) == family:
                programme += weight
                record.in_programme += 1
                record.coordinated_in_programme += taking.role == "coordinator"
        relevant.sort(key=lambda pair: (-pair[0], pair[1].acronym or pair[1].project))
        record.similar = [
            (taking.acronym or taking.project, taking.role == "coordinator")
            for _weight, taking in relevant[:CITED]
        ]
        record.topics = saturated(experience)
        record.programme = saturated(programme)
        result[organisation] = record
    return result


def combined(engine: float, record: Record | None) -> float:
    """The score of a proposed partner: the weighted mean of the engine's score and the
    track record's two signals (none: no project)."""
    record = record or Record()
    total = ENGINE_WEIGHT + TOPICS_WEIGHT + PROGRAMME_WEIGHT
    return (
        ENGINE_WEIGHT * engine + TOPICS_WEIGHT * record.topics + PROGRAMME_WEIGHT * record.programme
    ) / total
