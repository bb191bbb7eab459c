"""Figures of an EU project track record, with no Django: from the participations of a set of
organisations (a cluster's members, a region's organisations), the projects, the EU
contribution they received, how many they coordinated, by framework programme and by start year.
A project counts once however many of the set's organisations take part in it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Taking:
    """One organisation's part in one project."""

    project: str
    programme: str
    year: int | None
    role: str
    contribution: Decimal | None


@dataclass
class Figures:
    projects: int = 0
    participations: int = 0
    coordinated: int = 0
    contribution: Decimal = Decimal(0)
    by_programme: dict[str, int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)
    contribution_by_programme: dict[str, Decimal] = field(default_factory=dict)

    @property
    def programme_rows(self) -> list[tuple[str, int]]:
        """(programme, projects), for a bar chart."""
        return list(self.by_programme.items())

    @property
    def year_rows(self) -> list[tuple[str, int]]:
        """(start year, projects), oldest first, for a bar chart."""
        return [(str(year), count) for year, count in self.by_year.items()]

    def as_dict(self) -> dict:
        return {
            "projects": self.projects,
            "participations": self.participations,
            "coordinated": self.coordinated,
            "eu_contribution_eur": str(self.contribution),
            "by_programme": self.by_programme,
            "by_year": {str(year): count for year, count in self.by_year.items()},
            "eu_contribution_by_programme": {
                name: str(value) for name, value in self.contribution_by_programme.items()
            },
        }


def figures(takings: Iterable[Taking]) -> Figures:
    result = Figures()
    seen: set[str] = set()
    coordinated: set[str] = set()
    for taking in takings:
        result.participations += 1
        amount = taking.contribution or Decimal(0)
        result.contribution += amount
        result.contribution_by_programme[taking.programme] = (
            result.contribution_by_programme.get(taking.programme, Decimal(0)) + amount
        )
        if taking.role == COORDINATOR:
            coordinated.add(taking.project)
        if taking.project in seen:
            continue
        seen.add(taking.project)
        result.by_programme[taking.programme] = result.by_programme.get(taking.programme, 0) + 1
        if taking.year is not None:
            result.by_year[taking.year] = result.by_year.get(taking.year, 0) + 1
    result.projects = len(seen)
    result.coordinated = len(coordinated)
    result.by_programme = dict(sorted(result.by_programme.items(), key=lambda item: -item[1]))
    result.by_year = dict(sorted(result.by_year.items()))
    return result
