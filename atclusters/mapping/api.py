"""REST endpoints of the cluster-mapping domain: datasets, their observations and ratings.
Official statistics and the ratings computed from them are public."""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from atclusters.mapping import ratings, selectors
from atclusters.mapping.models import Dataset, Observation
from atclusters.registry.api import READ_ERRORS, ApiValidationError, Pagination

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
    region: str
    category: str
    employment: float
    share: float | None
    lq: float | None
    size_star: bool
    specialisation_star: bool
    focus_star: bool
    stars: int
    strong: bool


class RatingsOut(Schema):
    dataset: str
    year: int
    level: int
    categories: str
    thresholds: dict[str, float]
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


class RatingsQuery(Schema):
    year: int = Field(..., ge=1900, le=2100)
    level: int = Field(2, ge=0, le=3, description="NUTS level of the regions compared")
    categories: str = Field("a10", description="category scheme: a10 or a stored one")
    base: str | None = Field(None, description="region group to compare with")


@router.get("/datasets/{slug}/ratings", response={200: RatingsOut, **READ_ERRORS})
def get_ratings(request: HttpRequest, slug: str, query: Query[RatingsQuery]):
    """Cluster stars and strong-cluster flags of every region of a NUTS level (see
    docs/statistics.md for the rules and thresholds)."""
    year, level, categories = query.year, query.level, query.categories
    dataset = get_object_or_404(Dataset, slug=slug)
    try:
        table = selectors.region_ratings(
            dataset, year=year, level=level, scheme=categories, base=query.base
        )
    except selectors.UnknownName as error:
        raise ApiValidationError({error.field: [str(error)]}) from error
    if table.empty:
        raise ApiValidationError({"year": [f"no level-{level} figures for {year}"]})
    return {
        "dataset": dataset.slug,
        "year": year,
        "level": level,
        "categories": categories,
        "thresholds": ratings.Thresholds().as_dict(),
        "rows": selectors.records(table),
    }
