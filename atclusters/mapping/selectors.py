"""Reads of the cluster-mapping domain: statistics as matrices, ratings from them."""

import csv
import functools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from atclusters.core.labels import localised
from atclusters.core.models import NaceActivity, NutsRegion
from atclusters.core.reference import DATA_DIR
from atclusters.mapping import ratings as rating_rules
from atclusters.mapping import relatedness
from atclusters.mapping.models import (
    Category,
    CategoryScheme,
    Dataset,
    Geography,
    Industries,
    Observation,
    Rating,
    RatingSet,
    RegionGroup,
)
from atclusters.mapping.statfiles import MEASURES

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
US_CMP_SCHEME = "us-cmp-nace2"
US_CMP_NAICS_SCHEME = "us-cmp-naics2012"
US_CMP_RELATEDNESS = DATA_DIR / "us_cmp_cluster_relatedness.csv"
US_CMP_NAMES = DATA_DIR / "us_cmp_cluster_names.csv"
EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")


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


def local_categories(scheme: str) -> set[str]:
    """The scheme's local categories (never strong clusters); the built-in sectors have none."""
    if scheme in CATEGORY_SCHEMES:
        return set()
    return set(
        Category.objects.filter(scheme__slug=scheme, kind=Category.Kind.LOCAL).values_list(
            "code", flat=True
        )
    )


SECTION_RANGE = re.compile(r"^([A-U])[-_]([A-U])$")
DIVISION_RANGE = re.compile(r"^C(\d\d)[-_]C(\d\d)$")


def nace_classes(nace_version: str) -> dict[str, set[str]]:
    """Every NACE code of the version → the classes (4th level) it contains."""
    rows = NaceActivity.objects.filter(version=nace_version).values_list(
        "code", "level", "parent__code"
    )
    parents = {code: parent for code, _level, parent in rows}
    covered: dict[str, set[str]] = {code: set() for code in parents}
    for code, level, _parent in rows:
        if level != NaceActivity.Level.CLASS:
            continue
        ancestor: str | None = code
        while ancestor is not None:
            covered[ancestor].add(code)
            ancestor = parents.get(ancestor)
    return covered


def classes_of(code: str, covered: dict[str, set[str]]) -> set[str] | None:
    """The classes an industry code (plain or Eurostat aggregate) stands for; None if unknown."""
    if code == "TOTAL":
        return set().union(*covered.values())
    if code in covered:
        return covered[code]
    ends = SECTION_RANGE.match(code) or DIVISION_RANGE.match(code)
    if ends is None or not {ends[1], ends[2]} <= covered.keys():
        return None
    width = 1 if SECTION_RANGE.match(code) else 2
    return set().union(
        *(
            classes
            for key, classes in covered.items()
            if len(key) == width and ends[1] <= key <= ends[2]
        )
    )


def thresholds_in_force() -> rating_rules.Thresholds:
    return rating_rules.Thresholds(**settings.MAPPING_RATING_THRESHOLDS)


def schemes_for(dataset: Dataset) -> list[str]:
    """The category schemes of the dataset's industry classification."""
    stored = list(
        CategoryScheme.objects.filter(industries=dataset.industries).values_list("slug", flat=True)
    )
    return [*CATEGORY_SCHEMES, *stored] if dataset.industries == Industries.NACE else stored


def groups_for(dataset: Dataset) -> QuerySet[RegionGroup]:
    """Region groups (of NUTS regions) apply to datasets of NUTS regions."""
    groups = RegionGroup.objects.all()
    return groups if dataset.geography == Geography.NUTS else groups.none()


def region_group(slug: str) -> RegionGroup:
    group = RegionGroup.objects.filter(slug=slug).first()
    if group is None:
        raise UnknownName("base", f"unknown region group {slug!r}")
    return group


def observation_frame(dataset: Dataset, categories: dict[str, list[str]]) -> pd.DataFrame:
    """The dataset's observations of the categories' industries and the regions' totals, in
    every year and measure. Read through the cursor in chunks into categorical columns: a large
    dataset has millions of rows, which as Python tuples would take gigabytes."""
    industries = sorted({code for codes in categories.values() for code in codes} | {"TOTAL"})
    lengths = set(rating_rules.NUTS_LEVEL_OF_LENGTH)
    rows = Observation.objects.filter(dataset=dataset, industry__in=industries)
    regions = sorted(
        code
        for code in rows.values_list("region", flat=True).distinct()
        if len(code) in lengths and not EXTRA_REGIO.match(code)
    )
    columns = ["region", "industry", "year", "measure", "value", "imputed"]
    # Regions are filtered here: an IN list of a thousand codes makes SQLite's read slower.
    sql, params = rows.values_list(*columns).query.sql_with_params()
    wanted = pd.Index(regions)
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(200_000):
            region, industry, year, measure, value, imputed = (
                np.array(column) for column in zip(*batch, strict=True)
            )
            keep = wanted.get_indexer(region) >= 0
            chunks.append(
                pd.DataFrame(
                    {
                        "region": pd.Categorical(region[keep], categories=regions),
                        "industry": pd.Categorical(industry[keep], categories=industries),
                        "year": year[keep].astype(np.int16),
                        "measure": pd.Categorical(measure[keep], categories=MEASURES),
                        "value": value[keep].astype(float),
                        "imputed": imputed[keep].astype(bool),
                    }
                )
            )
    if not chunks:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    return pd.concat(chunks, ignore_index=True)


def rating_set(dataset: Dataset, *, scheme: str = "a10", base: str = "") -> RatingSet | None:
    """The stored ratings, when they have been computed at least once."""
    return (
        RatingSet.objects.filter(dataset=dataset, scheme=scheme, base=base)
        .exclude(computed_at=None)
        .first()
    )


STAR_METHOD_NAMES = {
    "eco": _("European Cluster Observatory: size, specialisation, focus"),
    "eocic": _("European Cluster Panorama (EOCIC): size, specialisation, productivity"),
}
# What a stored rating reads as: its columns and whether its year's comparison base is complete.
READ_COLUMNS = (*rating_rules.RESULT_COLUMNS, "complete")


def year_coverage(rating_set: RatingSet) -> dict[int, dict]:
    """Each year's comparison base (ratings.COVERAGE_COLUMNS); empty for a set computed before
    coverage was recorded, whose years all count as complete."""
    return {int(entry["year"]): entry for entry in rating_set.coverage}


def incomplete_years(rating_set: RatingSet) -> set[int]:
    return set(rating_set.incomplete_years)


def year_status(rating_set: RatingSet, year: int) -> dict:
    """The coverage share and completeness of one year, for answers about that year."""
    entry = year_coverage(rating_set).get(year, {})
    return {"coverage": entry.get("coverage"), "complete": bool(entry.get("complete", True))}


def newest_complete_year(rating_set: RatingSet) -> int | None:
    """The set's newest complete year; None when it has none."""
    incomplete = incomplete_years(rating_set)
    return max((year for year in rating_set.years if year not in incomplete), default=None)


def default_year(rating_set: RatingSet, years: list[int]) -> int:
    """The newest of `years` whose comparison base is complete; the newest if none is."""
    incomplete = incomplete_years(rating_set)
    return next(
        (year for year in sorted(years, reverse=True) if year not in incomplete), max(years)
    )


def stored_ratings(
    rating_set: RatingSet,
    *,
    year: int | None = None,
    level: int | None = None,
    regions: list[str] | None = None,
    category: str | None = None,
    stars: str = rating_rules.DEFAULT_STAR_METHOD,
) -> pd.DataFrame:
    """Stored ratings (READ_COLUMNS), with `stars` counted by the method asked for."""
    rows = Rating.objects.filter(rating_set=rating_set)
    rows = rows.filter(year=year) if year is not None else rows.filter(year__in=rating_set.years)
    if level is not None:
        rows = rows.filter(level=level)
    if regions is not None:
        rows = rows.filter(region__in=regions)
    if category is not None:
        rows = rows.filter(category=category)
    columns = list(rating_rules.RESULT_COLUMNS)
    table = pd.DataFrame(
        list(rows.order_by("year", "region", "category").values_list(*columns)), columns=columns
    )
    table["stars"] = rating_rules.star_count(table, stars)
    table["complete"] = ~table["year"].isin(incomplete_years(rating_set))
    return table


def latest_dataset() -> Dataset | None:
    return Dataset.objects.filter(observation_count__gt=0).order_by("-imported_at").first()


def rated_year(rating_set: RatingSet, region: str, year: int | None) -> int:
    """The year asked for, or the region's newest complete one (default_year); UnknownName
    names the wrong option."""
    years = rated_years(rating_set, region)
    if not years:
        raise UnknownName("region", f"no figures for {region!r}")
    if year is not None and year not in years:
        raise UnknownName("year", f"{region} has figures for {min(years)}–{max(years)}, not {year}")
    return year or default_year(rating_set, years)


def rated_years(rating_set: RatingSet, region: str | None = None) -> list[int]:
    """Years with stored ratings (of one region), newest first."""
    if region is None:
        return sorted(rating_set.years, reverse=True)
    rows = Rating.objects.filter(rating_set=rating_set, year__in=rating_set.years, region=region)
    return sorted(set(rows.values_list("year", flat=True).distinct()), reverse=True)


def region_key(text: str) -> str:
    """A region group's slug as given, a NUTS code in capitals."""
    text = text.strip()
    return text if RegionGroup.objects.filter(slug=text).exists() else text.upper()


@functools.cache
def _us_cmp_translations() -> dict[str, dict[str, str]]:
    with open(US_CMP_NAMES, encoding="utf-8", newline="") as handle:
        return {row.pop("code"): row for row in csv.DictReader(handle)}


def category_names(scheme: str) -> dict[str, str]:
    """Category code → name in the reader's language (the shipped U.S. benchmark categories
    have translations in data/us_cmp_cluster_names.csv; an agency's own are as entered)."""
    if scheme in CATEGORY_SCHEMES:
        return {code: str(CATEGORY_NAMES[code]) for code in CATEGORY_SCHEMES[scheme]}
    names = dict(Category.objects.filter(scheme__slug=scheme).values_list("code", "name"))
    if scheme in (US_CMP_SCHEME, US_CMP_NAICS_SCHEME):
        translations = _us_cmp_translations()
        names = {code: localised(name, translations.get(code, {})) for code, name in names.items()}
    return names


def total_growth(dataset: Dataset, *, region: str, year: int, years: int) -> float | None:
    """Compound yearly growth of the region's total employment over `years` years."""
    values: dict[int, float] = dict(
        Observation.objects.filter(
            dataset=dataset,
            region=region,
            industry="TOTAL",
            measure="employment",
            year__in=[year, year - years],
            value__gt=0,
        ).values_list("year", "value")  # type: ignore[arg-type]
    )
    if len(values) < 2:
        return None
    return float((values[year] / values[year - years]) ** (1 / years) - 1)


def region_portfolio(
    rating_set: RatingSet,
    *,
    region: str,
    year: int,
    stars: str = rating_rules.DEFAULT_STAR_METHOD,
) -> dict:
    """The region's categories in one year (named, strongest first), its strongest categories
    (strong clusters and two or more stars of the method) and its emerging ones (not strong,
    employment growing faster than the region's total)."""
    names = category_names(rating_set.scheme)
    table = stored_ratings(rating_set, year=year, regions=[region], stars=stars)
    table["name"] = table["category"].map(names).fillna(table["category"])
    table = table.sort_values(["strong", "stars", "lq"], ascending=False)
    rows = records(table)
    overall = total_growth(
        rating_set.dataset, region=region, year=year, years=settings.MAPPING_GROWTH_YEARS
    )
    strongest = [row for row in rows if row["strong"] or row["stars"] >= 2]
    emerging = [
        row
        for row in rows
        if not row["strong"]
        and row["growth"] is not None
        and overall is not None
        and row["growth"] > overall
    ]
    return {"rows": rows, "strongest": strongest, "emerging": emerging, "total_growth": overall}


MAX_COMPARED = 10


def comparison_regions(text: str) -> list[str]:
    """Up to MAX_COMPARED regions or region groups from a comma-separated list."""
    regions = list(dict.fromkeys(region_key(code) for code in text.split(",") if code.strip()))
    if not regions:
        raise UnknownName("regions", "name at least one region")
    if len(regions) > MAX_COMPARED:
        raise UnknownName("regions", f"at most {MAX_COMPARED} regions can be compared")
    return regions


def comparison_years(history: pd.DataFrame, *, incomplete: Iterable[int]) -> tuple[list, list]:
    """The years of a comparison's figures, newest first, and those the page opens on by
    default: among the complete years (all of them when none is), those in which most of the
    compared regions have figures."""
    years = sorted(set(history["year"]), reverse=True)
    if not years:
        return [], []
    complete = [each for each in years if each not in incomplete] or years
    present = history[history.year.isin(complete)].groupby("year")["region"].nunique()
    return years, [int(each) for each in present[present == present.max()].index]


def comparison_table(
    history: pd.DataFrame, *, year: int, regions: list[str], names: dict[str, str]
) -> tuple[pd.DataFrame, dict[tuple[str, str], dict], list[str]]:
    """One year of a comparison: its rows, each region's row of each category, and the
    categories (in the scheme's order) that any compared region has."""
    this_year = history[history.year == year]
    cells = {(row["region"], row["category"]): row for row in records(this_year)}
    categories = [code for code in names if any((region, code) in cells for region in regions)]
    return this_year, cells, categories


def region_names(codes: Iterable[str], groups: Iterable[RegionGroup] = ()) -> dict[str, str]:
    """Names of NUTS regions and region groups by code (a code without a name is left out)."""
    codes = list(codes)
    names = dict(NutsRegion.objects.filter(code__in=codes).values_list("code", "name"))
    names.update({group.slug: group.label for group in groups if group.slug in codes})
    return names


def category_years(rating_set: RatingSet, *, category: str, level: int) -> list[int]:
    """The years in which a category has ratings at a level, newest first."""
    return sorted(
        set(
            rating_set.ratings.filter(
                year__in=rating_set.years, category=category, level=level
            ).values_list("year", flat=True)
        ),
        reverse=True,
    )


def category_ranked_regions(
    rating_set: RatingSet,
    *,
    category: str,
    year: int,
    level: int,
    stars: str = rating_rules.DEFAULT_STAR_METHOD,
) -> list[dict]:
    """`category_ranking` as rows, each with its rank and its region's name."""
    ranking = records(
        category_ranking(rating_set, category=category, year=year, level=level, stars=stars)
    )
    names = region_names(row["region"] for row in ranking)
    for rank, row in enumerate(ranking, start=1):
        row["rank"], row["region_name"] = rank, names.get(row["region"], row["region"])
    return ranking


def category_ranking(
    rating_set: RatingSet,
    *,
    category: str,
    year: int,
    level: int,
    stars: str = rating_rules.DEFAULT_STAR_METHOD,
) -> pd.DataFrame:
    """One category in every region of a level, largest location quotient first."""
    table = stored_ratings(rating_set, year=year, level=level, category=category, stars=stars)
    return table.sort_values(["lq", "employment"], ascending=False, na_position="last")


def level_lq(rating_set: RatingSet, *, year: int, level: int) -> pd.DataFrame:
    """Regions × categories location quotients of one level and year."""
    rows = Rating.objects.filter(rating_set=rating_set, year=year, level=level).values_list(
        "region", "category", "lq"
    )
    table = pd.DataFrame(list(rows), columns=["region", "category", "lq"])
    return table.pivot(index="region", columns="category", values="lq").astype(float)


def category_proximity(rating_set: RatingSet, lq: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The relatedness of the scheme's categories and where it comes from: the U.S. Cluster
    Mapping Project's related clusters for its categories, else co-location in the data."""
    if rating_set.scheme in (US_CMP_SCHEME, US_CMP_NAICS_SCHEME):
        pairs = pd.read_csv(US_CMP_RELATEDNESS, dtype=str)
        return relatedness.proximity_from_pairs(pairs, list(lq.columns)), "us-cmp"
    return relatedness.proximity_from_lq(lq), "co-location"


def region_opportunities(rating_set: RatingSet, *, region: str, year: int) -> dict:
    level = rating_rules.NUTS_LEVEL_OF_LENGTH.get(len(region))
    lq = level_lq(rating_set, year=year, level=level) if level is not None else pd.DataFrame()
    if region not in lq.index:
        return {"rows": [], "edges": [], "source": ""}
    proximity, source = category_proximity(rating_set, lq)
    table = relatedness.opportunities(lq, proximity, region)
    names = category_names(rating_set.scheme)
    table["name"] = table["category"].map(names).fillna(table["category"])
    return {
        "rows": records(table),
        "edges": relatedness.network_edges(proximity),
        "source": source,
        "regions": len(lq.index),
    }


def region_has_figures(code: str) -> bool:
    dataset = latest_dataset()
    stored = rating_set(dataset) if dataset is not None else None
    return stored is not None and bool(rated_years(stored, code))


def _category_classes(scheme: str, covered: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        code: set().union(*(classes_of(industry, covered) or set() for industry in industries))
        for code, industries in categories_of(scheme).items()
    }


# Coverage sums members' employees; below this many members with known employment the sum
# would come close to disclosing one member's figure.
MIN_MEMBERS_FOR_COVERAGE = 3


def cluster_statistics(
    *, region: str, sectors: list[str], members: list[tuple[str | None, str | None, int | None]]
) -> dict | None:
    """The figures of the region's categories that hold one of the cluster's sectors (NACE
    codes), in the finest stored scheme with figures for the region, newest year; and for each
    category the members' coverage: the employees of members located in the region whose main
    activity falls in the category, over the category's regional employment. `members` are
    (region code, NACE code, employees) of the current members."""
    dataset = latest_dataset()
    if dataset is None or not sectors:
        return None
    covered = nace_classes(dataset.nace_version)
    sector_classes = set().union(*(covered.get(code, set()) for code in sectors))
    schemes = [*CategoryScheme.objects.values_list("slug", flat=True), *CATEGORY_SCHEMES]
    for scheme in schemes:
        stored = rating_set(dataset, scheme=scheme)
        years = rated_years(stored, region) if stored is not None else []
        if stored is None or not years:
            continue
        year = default_year(stored, years)
        classes = _category_classes(scheme, covered)
        matching = [code for code, own in classes.items() if own & sector_classes]
        table = stored_ratings(stored, year=year, regions=[region])
        table = table[table.category.isin(matching)]
        if table.empty:
            continue
        names = category_names(scheme)
        rows = records(table)
        known = [m for m in members if m[2] is not None]
        for row in rows:
            row["name"] = names.get(row["category"], row["category"])
            employees = sum(
                count or 0
                for member_region, nace, count in known
                if member_region is not None
                and member_region.startswith(region)
                and nace is not None
                and covered.get(nace, set()) & classes[row["category"]]
            )
            row["members_employment"] = employees
            row["coverage"] = employees / row["employment"] if row["employment"] else None
        return {
            "dataset": dataset,
            "rating_set": stored,
            "region": region,
            "coverage_shown": len(known) >= MIN_MEMBERS_FOR_COVERAGE,
            "min_members": MIN_MEMBERS_FOR_COVERAGE,
            "scheme": scheme,
            "year": year,
            "rows": rows,
            "members_known": len(known),
            "members": len(members),
        }
    return None


def nace_parents(version: str) -> dict[str, str]:
    """Each NACE code of the version → its parent's code; sections → TOTAL."""
    return {
        code: parent or "TOTAL"
        for code, parent in NaceActivity.objects.filter(version=version).values_list(
            "code", "parent__code"
        )
    }


def region_summary(region: str) -> dict | None:
    """A region's statistical picture for comparisons: total employment, the share in strong
    clusters and its three most specialised categories (highest location quotient), newest
    year, in the finest stored scheme with figures for the region."""
    dataset = latest_dataset()
    if dataset is None:
        return None
    for scheme in [*CategoryScheme.objects.values_list("slug", flat=True), *CATEGORY_SCHEMES]:
        stored = rating_set(dataset, scheme=scheme)
        years = rated_years(stored, region) if stored is not None else []
        if stored is None or not years:
            continue
        year = default_year(stored, years)
        table = stored_ratings(stored, year=year, regions=[region])
        total = (
            Observation.objects.filter(
                dataset=dataset, region=region, industry="TOTAL", measure="employment",
                year=year,
            ).values_list("value", flat=True).first()
        )  # fmt: skip
        strong = float(table.loc[table.strong, "employment"].sum())
        names = category_names(scheme)
        top = table.sort_values("lq", ascending=False).head(3)
        return {
            "region": region,
            "year": year,
            "scheme": scheme,
            "employment": float(total) if total else None,
            "strong_employment": strong,
            "strong_share": strong / float(total) if total else None,
            "strong_clusters": int(table.strong.sum()),
            "specialisations": [
                {"category": code, "name": names.get(code, code), "lq": float(lq)}
                for code, lq in zip(top.category, top.lq, strict=True)
            ],
        }
    return None
