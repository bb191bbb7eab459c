"""REST endpoints of the cluster-mapping domain: datasets, their observations, the stored
ratings (per level, per region, per category, over the years) and relatedness.
Official statistics and the ratings computed from them are public."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from atclusters.core.api import READ_ERRORS, ApiValidationError, Pagination
from atclusters.mapping import selectors, services
from atclusters.mapping.models import Dataset, Observation, RatingSet

router = Router(tags=["cluster mapping"])


class DatasetOut(Schema):
    slug: str
    name: str
    source: str
    licence: str
    nuts_version: int
    nace_version: str
    retrieved: date | None
    revision: int
    observation_count: int
    imported_at: datetime | None


class ObservationOut(Schema):
    region: str
    industry: str
    year: int
    measure: str
    value: float | None
    flag: str
    imputed: bool


class RatingOut(Schema):
    year: int
    level: int = Field(..., description="NUTS level; 9 for a region group (macro-region)")
    region: str
    category: str
    name: str | None = None
    employment: float
    establishments: float | None
    wages: float | None
    share: float | None
    lq: float | None = Field(
        ..., description="location quotient against all employment (the stars use it)"
    )
    growth: float | None = Field(..., description="compound yearly growth of employment")
    wage_per_employee: float | None
    size_star: bool
    specialisation_star: bool
    focus_star: bool
    productivity_star: bool
    stars: int = Field(..., description="stars of the method in `stars_method`, 0-3")
    strong: bool
    imputed: bool
    complete: bool = Field(
        True, description="false in an incomplete year: not comparable with other years"
    )
    kind_lq: float | None = Field(
        None,
        description="location quotient against the employment of the category's kind, the "
        "strong-cluster rule's: a traded category's share of the region's traded employment "
        "over the same share in the base (U.S. Cluster Mapping Project), a local one's against "
        "local employment; equal to lq when strong_lq_base is total",
    )


class YearCoverageOut(Schema):
    year: int
    regions: int = Field(..., description="base regions with figures for the categories")
    base_regions: int = Field(..., description="base regions with a total")
    employment: float = Field(..., description="total employment of `regions`")
    base_employment: float
    reference_regions: float | None = Field(
        ..., description="median of `regions` in the other years within the window"
    )
    reference_employment: float | None
    region_share: float | None
    employment_share: float | None
    coverage: float | None = Field(..., description="the smaller share, at most 1")
    complete: bool


class RatingSetOut(Schema):
    dataset: str
    categories: str
    base: str
    status: str
    revision: int
    thresholds: dict[str, float]
    computed_at: datetime | None
    stars_method: str = Field(..., description="eco (size, specialisation, focus) or eocic")
    strong_lq_base: Literal["traded", "total"] = Field(
        ...,
        description="what the strong-cluster rule's location quotient (kind_lq) divides by: "
        "traded employment (U.S. Cluster Mapping Project; the scheme has local categories) or "
        "all employment (no local categories)",
    )
    newest_complete_year: int | None
    years: list[YearCoverageOut] = Field(..., description="each year's comparison base")


class YearOut(RatingSetOut):
    year: int
    coverage: float | None = Field(..., description="the year's coverage share (see years)")
    complete: bool


class RatingsOut(YearOut):
    level: int
    rows: list[RatingOut]


class PortfolioOut(YearOut):
    region: str
    total_growth: float | None
    strongest: list[str]
    emerging: list[str]
    rows: list[RatingOut]


class CategoryAcrossRegionsOut(YearOut):
    category: str
    name: str
    level: int
    rows: list[RatingOut]


class TrendsOut(RatingSetOut):
    regions: list[str]
    rows: list[RatingOut]


class ObservationFilter(Schema):
    region: str = ""
    industry: str = ""
    year: int | None = Field(None, ge=1900, le=2100)
    measure: str = ""


@router.get("/datasets", response={200: list[DatasetOut], **READ_ERRORS})
def list_datasets(request: HttpRequest):
    return Dataset.objects.order_by("name")


@router.get("/datasets/{slug}", response={200: DatasetOut, **READ_ERRORS})
def get_dataset(request: HttpRequest, slug: str):
    return get_object_or_404(Dataset, slug=slug)


@router.get("/datasets/{slug}/observations", response={200: list[ObservationOut], **READ_ERRORS})
@paginate(Pagination)
def list_observations(request: HttpRequest, slug: str, filters: Query[ObservationFilter]):
    dataset = get_object_or_404(Dataset, slug=slug)
    rows = Observation.objects.filter(dataset=dataset)
    for name in ("region", "industry", "measure"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    return rows.order_by("measure", "year", "region", "industry")


class SetQuery(Schema):
    categories: str = Field("a10", description="category scheme: a10 or a stored one")
    base: str = Field("", description="region group to compare with (default: the countries)")
    stars: Literal["eco", "eocic"] = Field(
        "eco",
        description="star method: eco (European Cluster Observatory: size, specialisation, "
        "focus) or eocic (European Cluster Panorama: size, specialisation, productivity)",
    )


class RatingsQuery(SetQuery):
    year: int = Field(..., ge=1900, le=2100)
    level: int = Field(2, ge=0, le=9, description="NUTS level 0-3, or 9 for region groups")


class PortfolioQuery(SetQuery):
    year: int | None = Field(
        None, ge=1900, le=2100, description="default: the newest complete year"
    )


class TrendsQuery(SetQuery):
    regions: str = Field(..., description="up to 10 NUTS codes or region groups, comma-separated")
    category: str | None = None


def _rating_set(slug: str, query: SetQuery) -> RatingSet:
    dataset = get_object_or_404(Dataset, slug=slug)
    try:
        return services.ratings_current(dataset, scheme=query.categories, base=query.base)
    except selectors.UnknownName as error:
        field = "categories" if error.field == "categories" else "base"
        raise ApiValidationError({field: [str(error)]}) from error


def _year(rating_set: RatingSet, region: str, year: int | None) -> int:
    try:
        return selectors.rated_year(rating_set, region, year)
    except selectors.UnknownName as error:
        raise ApiValidationError({error.field: [str(error)]}) from error


def _set_fields(rating_set: RatingSet, stars: str = "eco") -> dict:
    return {
        "dataset": rating_set.dataset.slug,
        "categories": rating_set.scheme,
        "base": rating_set.base,
        "status": rating_set.status,
        "revision": rating_set.dataset_revision,
        "thresholds": rating_set.thresholds,
        "computed_at": rating_set.computed_at,
        "stars_method": stars,
        "strong_lq_base": rating_set.strong_lq_base,
        "newest_complete_year": selectors.newest_complete_year(rating_set),
        "years": rating_set.coverage,
    }


def _year_fields(rating_set: RatingSet, query: SetQuery, year: int) -> dict:
    return {
        **_set_fields(rating_set, query.stars),
        "year": year,
        **selectors.year_status(rating_set, year),
    }


@router.get("/datasets/{slug}/rating-sets", response={200: list[RatingSetOut], **READ_ERRORS})
def list_rating_sets(request: HttpRequest, slug: str):
    """The stored results of a dataset and whether they are up to date."""
    dataset = get_object_or_404(Dataset, slug=slug)
    return [_set_fields(each) for each in dataset.rating_sets.select_related("dataset")]


@router.get("/datasets/{slug}/ratings", response={200: RatingsOut, **READ_ERRORS})
def get_ratings(request: HttpRequest, slug: str, query: Query[RatingsQuery]):
    """Cluster stars and strong-cluster flags of every region of a NUTS level in one year (see
    docs/statistics.md for the rules; the thresholds used come with the answer)."""
    rating_set = _rating_set(slug, query)
    table = selectors.stored_ratings(
        rating_set, year=query.year, level=query.level, stars=query.stars
    )
    if table.empty:
        raise ApiValidationError({"year": [f"no level-{query.level} figures for {query.year}"]})
    return {
        **_year_fields(rating_set, query, query.year),
        "level": query.level,
        "rows": selectors.records(table),
    }


@router.get("/datasets/{slug}/portfolio/{region}", response={200: PortfolioOut, **READ_ERRORS})
def get_portfolio(request: HttpRequest, slug: str, region: str, query: Query[PortfolioQuery]):
    """One region's (or region group's) categories, strongest first."""
    rating_set = _rating_set(slug, query)
    region = selectors.region_key(region)
    year = _year(rating_set, region, query.year)
    portfolio = selectors.region_portfolio(rating_set, region=region, year=year, stars=query.stars)
    return {
        **_year_fields(rating_set, query, year),
        "region": region,
        "total_growth": portfolio["total_growth"],
        "strongest": [row["category"] for row in portfolio["strongest"]],
        "emerging": [row["category"] for row in portfolio["emerging"]],
        "rows": portfolio["rows"],
    }


@router.get(
    "/datasets/{slug}/categories/{category}",
    response={200: CategoryAcrossRegionsOut, **READ_ERRORS},
)
def get_category(request: HttpRequest, slug: str, category: str, query: Query[RatingsQuery]):
    """One category across the regions of a level: the ranking behind the category map."""
    rating_set = _rating_set(slug, query)
    names = selectors.category_names(rating_set.scheme)
    if category not in names:
        raise ApiValidationError({"category": [f"{category!r} is not in {rating_set.scheme}"]})
    table = selectors.category_ranking(
        rating_set, category=category, year=query.year, level=query.level, stars=query.stars
    )
    return {
        **_year_fields(rating_set, query, query.year),
        "category": category,
        "name": names[category],
        "level": query.level,
        "rows": selectors.records(table),
    }


@router.get("/datasets/{slug}/trends", response={200: TrendsOut, **READ_ERRORS})
def get_trends(request: HttpRequest, slug: str, query: Query[TrendsQuery]):
    """Every year of up to 10 regions (or region groups), for comparisons and trends."""
    rating_set = _rating_set(slug, query)
    try:
        regions = selectors.comparison_regions(query.regions)
    except selectors.UnknownName as error:
        raise ApiValidationError({"regions": [str(error)]}) from error
    table = selectors.stored_ratings(
        rating_set, regions=regions, category=query.category, stars=query.stars
    )
    return {
        **_set_fields(rating_set, query.stars),
        "regions": regions,
        "rows": selectors.records(table),
    }


class OpportunityOut(Schema):
    category: str
    name: str
    lq: float | None
    density: float = Field(..., description="relatedness density, 0-100")
    specialised: bool


class RelatedLinkOut(Schema):
    category: str
    related_category: str
    proximity: float


class OpportunitiesOut(YearOut):
    region: str
    relatedness: str = Field(..., description="us-cmp (published table) or co-location")
    rows: list[OpportunityOut]
    links: list[RelatedLinkOut]


@router.get(
    "/datasets/{slug}/opportunities/{region}", response={200: OpportunitiesOut, **READ_ERRORS}
)
def get_opportunities(request: HttpRequest, slug: str, region: str, query: Query[PortfolioQuery]):
    """A NUTS region's categories by relatedness density (not yet specialised first), and the
    links of the category relatedness network."""
    rating_set = _rating_set(slug, query)
    region = region.upper()
    year = _year(rating_set, region, query.year)
    found = selectors.region_opportunities(rating_set, region=region, year=year)
    return {
        **_year_fields(rating_set, query, year),
        "region": region,
        "relatedness": found["source"],
        "rows": found["rows"],
        "links": [
            {"category": a, "related_category": b, "proximity": weight}
            for a, b, weight in found["edges"]
        ],
    }
