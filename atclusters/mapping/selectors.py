"""Reads of the cluster-mapping domain: statistics as matrices, ratings from them."""

import re

import pandas as pd
from django.utils.translation import gettext_lazy as _

from atclusters.mapping import ratings as rating_rules
from atclusters.mapping.models import CategoryScheme, Dataset, Observation, RegionGroup

# NACE Rev. 2 broad sectors (A*10) that do not overlap: shares over them add up.
CATEGORY_SCHEMES = {"a10": ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]}
# Eurostat's names of the A*10 aggregation.
CATEGORY_NAMES = {
    "A": _("Agriculture, forestry and fishing"),
    "B-E": _("Industry (except construction)"),
    "F": _("Construction"),
    "G-I": _("Trade, transport, accommodation and food services"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate activities"),
    "M_N": _("Professional, scientific, technical, administrative and support services"),
    "O-Q": _("Public administration, defence, education, health and social work"),
    "R-U": _("Arts, entertainment, recreation and other services"),
}
EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
NUTS_CODE_LENGTH = {0: 2, 1: 3, 2: 4, 3: 5}


class UnknownName(LookupError):
    """A scheme or region group that does not exist; `field` names the option that gave it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def records(table: pd.DataFrame) -> list[dict]:
    """Rows as dictionaries, with None where a value is missing (for JSON and templates)."""
    return table.astype(object).where(table.notna(), None).to_dict(orient="records")


def categories_of(scheme: str) -> dict[str, list[str]]:
    """Category code → its industries: the built-in A*10 sectors, or a stored scheme."""
    if scheme in CATEGORY_SCHEMES:
        return {code: [code] for code in CATEGORY_SCHEMES[scheme]}
    stored = CategoryScheme.objects.filter(slug=scheme).first()
    if stored is None:
        raise UnknownName("categories", f"unknown category scheme {scheme!r}")
    return {category.code: category.industries for category in stored.categories.all()}


def _level_regions(level: int) -> str:
    return rf"^[A-Z]{{2}}[A-Z0-9]{{{NUTS_CODE_LENGTH[level] - 2}}}$"


def employment_matrix(
    dataset: Dataset,
    *,
    year: int,
    categories: dict[str, list[str]],
    level: int | None = None,
    regions: list[str] | None = None,
    measure: str = "employment",
) -> tuple[pd.DataFrame, pd.Series]:
    """Regions (of one NUTS level, or the listed ones) × categories, each the sum of its
    industries (NaN when none is known), and each region's TOTAL, for one year."""
    industries = sorted({code for codes in categories.values() for code in codes})
    rows = Observation.objects.filter(
        dataset=dataset, year=year, measure=measure, industry__in=[*industries, "TOTAL"]
    )
    if level is not None:
        rows = rows.filter(region__regex=_level_regions(level))
    if regions is not None:
        rows = rows.filter(region__in=regions)
    frame = pd.DataFrame(
        list(rows.values_list("region", "industry", "value")),
        columns=["region", "industry", "value"],
    )
    frame = frame[~frame.region.str.match(EXTRA_REGIO)]
    table = frame.pivot(index="region", columns="industry", values="value").astype(float)
    totals = table["TOTAL"] if "TOTAL" in table else pd.Series(dtype=float)
    columns = {
        code: table.reindex(columns=codes).sum(axis=1, min_count=1)
        for code, codes in categories.items()
    }
    employment = pd.DataFrame(columns, index=table.index).reindex(columns=list(categories))
    return employment.astype(float), totals.astype(float)


def base_shares(
    dataset: Dataset, *, year: int, categories: dict[str, list[str]], base: str | None = None
) -> pd.Series:
    """Each category's share of the comparison base's employment: the dataset's countries
    together, or the regions of a region group."""
    if base is None:
        employment, totals = employment_matrix(dataset, year=year, categories=categories, level=0)
    else:
        group = RegionGroup.objects.filter(slug=base).first()
        if group is None:
            raise UnknownName("base", f"unknown region group {base!r}")
        employment, totals = employment_matrix(
            dataset, year=year, categories=categories, regions=group.regions
        )
    return employment.sum(axis=0) / totals.reindex(employment.index).sum()


def region_ratings(
    dataset: Dataset,
    *,
    year: int,
    level: int,
    scheme: str = "a10",
    base: str | None = None,
    thresholds: rating_rules.Thresholds = rating_rules.Thresholds(),  # noqa: B008
) -> pd.DataFrame:
    """Stars and strong flags of every region of `level` in every category of `scheme`,
    against `base` (a region group; by default all the dataset's countries)."""
    categories = categories_of(scheme)
    employment, totals = employment_matrix(dataset, year=year, categories=categories, level=level)
    shares = base_shares(dataset, year=year, categories=categories, base=base)
    return rating_rules.ratings(employment, totals, shares, thresholds=thresholds)


GROWTH_YEARS = 5


def latest_dataset() -> Dataset | None:
    return Dataset.objects.filter(observation_count__gt=0).order_by("-imported_at").first()


def region_years(dataset: Dataset, region: str, scheme: str = "a10") -> list[int]:
    """Years in which the region has figures for the scheme's categories, newest first."""
    return sorted(
        set(
            Observation.objects.filter(
                dataset=dataset,
                region=region,
                measure="employment",
                industry__in=sorted({c for codes in categories_of(scheme).values() for c in codes}),
                value__isnull=False,
            ).values_list("year", flat=True)
        ),
        reverse=True,
    )


def region_portfolio(
    dataset: Dataset, *, region: str, year: int, scheme: str = "a10"
) -> pd.DataFrame:
    """The region's row of the ratings of its NUTS level, with the compound annual growth of
    employment over the previous GROWTH_YEARS years where both years are known."""
    level = len(region) - 2
    table = region_ratings(dataset, year=year, level=level, scheme=scheme)
    mine = table[table.region == region].set_index("category")
    earlier, _ = employment_matrix(
        dataset, year=year - GROWTH_YEARS, categories=categories_of(scheme), level=level
    )
    before = (earlier.loc[region] if region in earlier.index else pd.Series(dtype=float)).reindex(
        mine.index
    )
    mine["growth"] = (mine["employment"] / before) ** (1 / GROWTH_YEARS) - 1
    return mine.reset_index()
