from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from atclusters.core.models import NutsRegion
from atclusters.mapping import ratings, selectors
from atclusters.mapping.models import Dataset


def region_portfolio(request: HttpRequest, code: str) -> HttpResponse:
    """A region's cluster portfolio: every category's size, specialisation, growth and stars
    in one year of one dataset (the newest by default)."""
    region = get_object_or_404(NutsRegion, code=code.upper())
    slug = request.GET.get("dataset", "")
    dataset = get_object_or_404(Dataset, slug=slug) if slug else selectors.latest_dataset()
    if dataset is None:
        raise Http404
    years = selectors.region_years(dataset, region.code)
    if not years:
        raise Http404
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    portfolio = selectors.region_portfolio(dataset, region=region.code, year=year)
    rows = selectors.records(portfolio)
    for row in rows:
        row["name"] = selectors.CATEGORY_NAMES.get(row["category"], row["category"])
    points = [
        (row["category"], row["lq"], row["growth"], row["employment"])
        for row in rows
        if row["lq"] is not None and row["growth"] is not None
    ]
    return render(
        request,
        "mapping/region_portfolio.html",
        {
            "region": region,
            "dataset": dataset,
            "year": year,
            "years": years,
            "rows": rows,
            "points": points,
            "growth_years": selectors.GROWTH_YEARS,
            "thresholds": ratings.Thresholds(),
        },
    )
