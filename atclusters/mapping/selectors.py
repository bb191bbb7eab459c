"""Reads of the cluster-mapping domain: statistics as matrices, ratings from them."""

import re

import pandas as pd
from django.utils.translation import gettext_lazy as _

from atclusters.mapping import ratings as rating_rules
from atclusters.mapping.models import Dataset, Observation

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


def employment_matrix(
    dataset: Dataset, *, year: int, level: int, industries: list[str], measure: str = "employment"
) -> tuple[pd.DataFrame, pd.Series]:
    """Regions of one NUTS level × industries, and each region's TOTAL, for one year."""
    rows = Observation.objects.filter(
        dataset=dataset,
        year=year,
        measure=measure,
        industry__in=[*industries, "TOTAL"],
        region__regex=rf"^[A-Z]{{2}}[A-Z0-9]{{{NUTS_CODE_LENGTH[level] - 2}}}$",
    ).values_list("region", "industry", "value")
    frame = pd.DataFrame(list(rows), columns=["region", "industry", "value"])
    frame = frame[~frame.region.str.match(EXTRA_REGIO)]
    table = frame.pivot(index="region", columns="industry", values="value")
    totals = table["TOTAL"] if "TOTAL" in table else pd.Series(dtype=float)
    return table.reindex(columns=industries).astype(float), totals.astype(float)


def region_ratings(
    dataset: Dataset,
    *,
    year: int,
    level: int,
    scheme: str = "a10",
    thresholds: rating_rules.Thresholds = rating_rules.Thresholds(),  # noqa: B008
) -> pd.DataFrame:
    """Stars and strong flags of every region of `level`, against the base of all the
    dataset's countries (their employment by category over their total employment)."""
    categories = CATEGORY_SCHEMES[scheme]
    employment, totals = employment_matrix(dataset, year=year, level=level, industries=categories)
    countries, country_totals = employment_matrix(
        dataset, year=year, level=0, industries=categories
    )
    base = countries.sum(axis=0) / country_totals.reindex(countries.index).sum()
    return rating_rules.ratings(employment, totals, base, thresholds=thresholds)


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
                industry__in=CATEGORY_SCHEMES[scheme],
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
        dataset, year=year - GROWTH_YEARS, level=level, industries=CATEGORY_SCHEMES[scheme]
    )
    before = (earlier.loc[region] if region in earlier.index else pd.Series(dtype=float)).reindex(
        mine.index
    )
    mine["growth"] = (mine["employment"] / before) ** (1 / GROWTH_YEARS) - 1
    return mine.reset_index()
