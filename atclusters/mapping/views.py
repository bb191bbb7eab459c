"""Pages of the cluster-mapping domain: statistics, region portfolios, comparisons, category
maps and diversification opportunities, all read from the stored ratings."""

from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import pairwise
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from atclusters.core.models import NutsRegion
from atclusters.core.reference import nuts2_features
from atclusters.core.templatetags import charts
from atclusters.core.templatetags.numbers import is_no_data, number
from atclusters.mapping import ratings, selectors
from atclusters.mapping.downloads import download
from atclusters.mapping.models import CategoryScheme, Dataset, RatingSet, RegionGroup

RATING_COLUMNS = list(selectors.READ_COLUMNS)
TREND_MEASURES = ("employment", "lq", "share")
# Location-quotient classes of the category map: upper bounds, the last class open.
LQ_CLASSES = (0.8, 1.25, 2.0)


@dataclass
class Selection:
    """The dataset, category scheme and comparison base a statistics page shows."""

    dataset: Dataset
    scheme: str
    base: str
    rating_set: RatingSet | None
    schemes: list[tuple[str, str]] = field(default_factory=list)
    groups: list[RegionGroup] = field(default_factory=list)
    stars: str = ratings.DEFAULT_STAR_METHOD

    def query(self, **extra: object) -> str:
        values: dict[str, object] = {
            "dataset": self.dataset.slug,
            "categories": self.scheme,
            "base": self.base,
            "stars": "" if self.stars == ratings.DEFAULT_STAR_METHOD else self.stars,
        }
        values.update({key: value for key, value in extra.items() if value is not None})
        return urlencode({key: value for key, value in values.items() if value != ""})

    @cached_property
    def names(self) -> dict[str, str]:
        return selectors.category_names(self.scheme)

    @property
    def star_methods(self) -> list[tuple[str, str]]:
        return [(method, str(label)) for method, label in selectors.STAR_METHOD_NAMES.items()]

    @cached_property
    def incomplete_years(self) -> set[int]:
        return selectors.incomplete_years(self.rating_set) if self.rating_set else set()

    def incomplete(self, year: int | None) -> dict | None:
        """An incomplete year's coverage, for its note; None for a complete year."""
        if self.rating_set is None or year not in self.incomplete_years:
            return None
        entry = selectors.year_coverage(self.rating_set)[year]
        return {
            **entry,
            "reference": f"{entry['reference_regions']:g}",
            "percent": round(100 * entry["employment_share"]),
        }

    def year_title(self, title: str, year: int | None) -> str:
        """A chart's title, marked when its year is incomplete."""
        if year not in self.incomplete_years:
            return title
        return _("%(title)s (incomplete year: not comparable with other years)") % {"title": title}

    def years_apart(self) -> dict:
        """How the trend charts draw the incomplete years: hollow, joined to no line."""
        return {
            "apart": self.incomplete_years,
            "apart_label": _("Incomplete year (not comparable)"),
        }

    def default_year(self, years: list[int]) -> int:
        return selectors.default_year(self.rating_set, years) if self.rating_set else max(years)


def _selection(request: HttpRequest) -> Selection:
    slug = request.GET.get("dataset", "")
    dataset = get_object_or_404(Dataset, slug=slug) if slug else selectors.latest_dataset()
    if dataset is None:
        raise Http404
    schemes = [(code, code.upper()) for code in selectors.CATEGORY_SCHEMES] + [
        (scheme.slug, scheme.label)
        for scheme in CategoryScheme.objects.only("slug", "name", "names")
    ]
    scheme = request.GET.get("categories") or "a10"
    if scheme not in dict(schemes):
        scheme = "a10"
    groups = list(RegionGroup.objects.all())
    base = request.GET.get("base", "")
    if base not in {group.slug for group in groups}:
        base = ""
    stars = request.GET.get("stars", "")
    return Selection(
        dataset=dataset,
        scheme=scheme,
        base=base,
        rating_set=selectors.rating_set(dataset, scheme=scheme, base=base),
        schemes=schemes,
        groups=groups,
        stars=stars if stars in ratings.STAR_METHODS else ratings.DEFAULT_STAR_METHOD,
    )


def _year(
    request: HttpRequest,
    selection: Selection,
    years: list[int],
    candidates: list[int] | None = None,
) -> int:
    """The year asked for when it is one of `years`, else the newest complete one of
    `candidates` (by default `years`)."""
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in years else selection.default_year(candidates or years)


def _span(years) -> str:
    """The years a series covers, as a caption names them: "2015–2022" (or one year)."""
    known = sorted(set(years))
    if not known:
        return ""
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}–{known[-1]}"


def _place(code: str) -> tuple[str, str, bool]:
    """The key and name of a NUTS region or a region group, and whether it is a group."""
    group = RegionGroup.objects.filter(slug=code).first()
    if group is not None:
        return group.slug, group.label, True
    region = get_object_or_404(NutsRegion, code=code.upper())
    return region.code, region.name, False


def _pending(request: HttpRequest, selection: Selection) -> HttpResponse:
    """The ratings have not been computed yet: the worker is on it."""
    return render(request, "mapping/pending.html", {"selection": selection}, status=200)


def _named(rows: list[dict], names: dict[str, str]) -> list[dict]:
    for row in rows:
        row["name"] = names.get(row["category"], row["category"])
    return rows


def region_portfolio(request: HttpRequest, code: str) -> HttpResponse:
    """A region's (or region group's) cluster portfolio: every category's size, specialisation,
    growth and stars in one year, its strongest and emerging categories, and their trends."""
    key, name, is_group = _place(code)
    selection = _selection(request)
    if selection.rating_set is None:
        return _pending(request, selection)
    years = selectors.rated_years(selection.rating_set, key)
    if not years:
        raise Http404
    year = _year(request, selection, years)
    portfolio = selectors.region_portfolio(
        selection.rating_set, region=key, year=year, stars=selection.stars
    )
    rows = portfolio["rows"]
    history = _named(
        selectors.records(
            selectors.stored_ratings(selection.rating_set, regions=[key], stars=selection.stars)
        ),
        selection.names,
    )
    measure = request.GET.get("trend", "employment")
    measure = measure if measure in TREND_MEASURES else "employment"
    largest = [row["category"] for row in sorted(rows, key=lambda r: -r["employment"])][
        : charts.LINE_COLOURS
    ]
    growth_years = settings.MAPPING_GROWTH_YEARS

    def bubble() -> SafeString:
        points = [
            (row["category"], row["lq"], row["growth"], row["employment"])
            for row in rows
            if row["lq"] is not None and not is_no_data(row["growth"])
        ]
        return charts.bubble_chart(
            points,
            _("Location quotient"),
            _("Yearly employment growth over %(years)s years") % {"years": growth_years},
            selection.year_title(
                _("Categories by specialisation and growth; bubble size is employment"), year
            ),
        )

    def trends() -> SafeString:
        series = [
            (
                selection.names.get(category, category),
                [(r["year"], r[measure]) for r in history if r["category"] == category],
            )
            for category in largest
        ]
        return charts.line_chart(
            series,
            _trend_label(measure),
            _("Trends of the largest categories"),
            **selection.years_apart(),
        )

    stem = f"{key}-{year}-{selection.scheme}"
    response = download(
        request,
        stem,
        {
            "portfolio": lambda: (["name", *RATING_COLUMNS], rows),
            "trends": lambda: (["name", *RATING_COLUMNS], history),
        },
        {"bubble": bubble, "trends": trends},
    )
    if response is not None:
        return response
    return render(
        request,
        "mapping/region_portfolio.html",
        {
            "key": key,
            "name": name,
            "is_group": is_group,
            "selection": selection,
            "file_stem": stem,
            "year": year,
            "years": years,
            "rows": rows,
            "strongest": portfolio["strongest"],
            "emerging": portfolio["emerging"],
            "total_growth": portfolio["total_growth"],
            "bubble": bubble(),
            "trends": trends(),
            "trend_years": _span(row["year"] for row in history),
            "trend": measure,
            "trend_measures": [(m, _trend_label(m)) for m in TREND_MEASURES],
            "growth_years": growth_years,
            "thresholds": selection.rating_set.thresholds,
            "incomplete": selection.incomplete(year),
        },
    )


def _trend_label(measure: str) -> str:
    return {
        "employment": _("Employment"),
        "lq": _("Location quotient"),
        "share": _("Share of the region's employment"),
    }[measure]


def compare(request: HttpRequest) -> HttpResponse:
    """Up to ten regions or region groups side by side in one year, and one category's
    location quotient in each over the years."""
    selection = _selection(request)
    if selection.rating_set is None:
        return _pending(request, selection)
    text = request.GET.get("regions", "")
    error = ""
    regions: list[str] = []
    if text:
        try:
            regions = selectors.comparison_regions(text)
        except selectors.UnknownName as problem:
            error = str(problem)
    history = selectors.stored_ratings(
        selection.rating_set, regions=regions or [""], stars=selection.stars
    )
    years, fullest = selectors.comparison_years(history, incomplete=selection.incomplete_years)
    context: dict = {
        "selection": selection,
        "text": text,
        "error": error,
        "max_regions": selectors.MAX_COMPARED,
        "regions": regions,
    }
    if not regions or not years:
        if regions and not error:
            context["error"] = _("None of these regions has figures in this dataset.")
        return render(request, "mapping/compare.html", context)
    year = _year(request, selection, years, fullest)
    names = selection.names
    this_year, cells, categories = selectors.comparison_table(
        history, year=year, regions=regions, names=names
    )
    category = request.GET.get("category") or (categories[0] if categories else "")
    long_rows = _named(selectors.records(history), names)

    def trend() -> SafeString:
        series = [
            (
                region,
                [
                    (r["year"], r["lq"])
                    for r in long_rows
                    if r["region"] == region and r["category"] == category
                ],
            )
            for region in regions
        ]
        return charts.line_chart(
            series,
            _("Location quotient"),
            _("Location quotient of %(category)s") % {"category": names.get(category, category)},
            **selection.years_apart(),
        )

    stem = f"comparison-{year}-{selection.scheme}"
    response = download(
        request,
        stem,
        {
            "comparison": lambda: (
                ["name", *RATING_COLUMNS],
                _named(selectors.records(this_year), names),
            ),
            "trends": lambda: (["name", *RATING_COLUMNS], long_rows),
        },
        {"trend": trend},
    )
    if response is not None:
        return response
    region_names = selectors.region_names(regions, selection.groups)
    context.update(
        {
            "year": year,
            "years": years,
            "trend_years": _span(row["year"] for row in long_rows if row["category"] == category),
            "file_stem": stem,
            "columns": [(region, region_names.get(region, region)) for region in regions],
            "table": [
                (code, names[code], [cells.get((region, code)) for region in regions])
                for code in categories
            ],
            "categories": [(code, names[code]) for code in categories],
            "category": category,
            "trend": trend(),
            "incomplete": selection.incomplete(year),
        }
    )
    return render(request, "mapping/compare.html", context)


@cache
def _lq_class(lq: float | None) -> int | None:
    if lq is None:
        return None
    return sum(lq >= bound for bound in LQ_CLASSES)


def category_map(request: HttpRequest, code: str) -> HttpResponse:
    """One category across the regions of a level: a map shaded by location quotient (NUTS 0-2;
    the shipped boundaries are NUTS 2) and the ranking behind it."""
    selection = _selection(request)
    if selection.rating_set is None:
        return _pending(request, selection)
    names = selection.names
    if code not in names:
        raise Http404
    try:
        level = int(request.GET.get("level", 2))
    except ValueError:
        level = 2
    level = level if level in (0, 1, 2, 3) else 2
    years = selectors.category_years(selection.rating_set, category=code, level=level)
    year = _year(request, selection, years) if years else None
    ranking = (
        selectors.category_ranked_regions(
            selection.rating_set, category=code, year=year, level=level, stars=selection.stars
        )
        if year is not None
        else []
    )

    def region_map() -> SafeString:
        if level == 3 or not ranking:
            return SafeString("")
        by_region = {row["region"]: row for row in ranking}
        shapes = []
        for feature in nuts2_features():
            region = feature["properties"]["id"][: level + 2]
            row = by_region.get(region)
            tooltip = (
                _("%(region)s (%(code)s): LQ %(lq)s, employment %(employment)s")
                % {
                    "region": row["region_name"],
                    "code": region,
                    "lq": number(row["lq"], 2),
                    "employment": number(row["employment"], 0),
                }
                if row is not None and row["lq"] is not None
                else _("%(region)s (%(code)s): no data")
                % {"region": feature["properties"]["name"], "code": region}
            )
            link = (
                reverse("region_portfolio", args=[region]) + "?" + selection.query(year=year)
                if row is not None
                else reverse("region_detail", args=[feature["properties"]["id"]])
            )
            klass = _lq_class(row["lq"]) if row is not None else None
            shapes.append((tooltip, feature["geometry"]["coordinates"], link, klass))
        legend = [
            _("LQ below %(bound)s") % {"bound": LQ_CLASSES[0]},
            *(
                _("LQ %(low)s to %(high)s") % {"low": low, "high": high}
                for low, high in pairwise(LQ_CLASSES)
            ),
            _("LQ %(bound)s or more") % {"bound": LQ_CLASSES[-1]},
        ]
        return charts.choropleth(
            shapes,
            legend,
            selection.year_title(
                _("%(category)s: location quotient by region, %(year)s")
                % {"category": names[code], "year": year},
                year,
            ),
            no_data=_("No data"),
            note=_("Source: %(dataset)s. Administrative boundaries © EuroGeographics.")
            % {"dataset": selection.dataset.label},
        )

    stem = f"{code}-{year}-level{level}"
    response = download(
        request,
        stem,
        {"ranking": lambda: (["rank", "region_name", *RATING_COLUMNS], ranking)},
        {"map": region_map},
    )
    if response is not None:
        return response
    return render(
        request,
        "mapping/category_map.html",
        {
            "selection": selection,
            "file_stem": stem,
            "code": code,
            "name": names[code],
            "level": level,
            "levels": [0, 1, 2, 3],
            "year": year,
            "years": years,
            "ranking": ranking,
            "map": region_map(),
            "categories": sorted(names.items(), key=lambda item: item[1]),
            "incomplete": selection.incomplete(year),
        },
    )


def opportunities(request: HttpRequest, code: str) -> HttpResponse:
    """Categories where the region is not specialised yet, by how related they are to those
    where it is; and the network of related categories."""
    region = get_object_or_404(NutsRegion, code=code.upper())
    selection = _selection(request)
    if selection.rating_set is None:
        return _pending(request, selection)
    years = selectors.rated_years(selection.rating_set, region.code)
    if not years:
        raise Http404
    year = _year(request, selection, years)
    found = selectors.region_opportunities(selection.rating_set, region=region.code, year=year)
    rows = found["rows"]
    specialised = {row["category"] for row in rows if row["specialised"]}

    def network() -> SafeString:
        nodes = [
            (row["category"], row["name"], row["category"] if row["specialised"] else "")
            for row in sorted(rows, key=lambda r: r["category"])
        ]
        edges = [
            (a, b, f"{selection.names.get(a, a)} – {selection.names.get(b, b)}: {weight:.2f}")
            for a, b, weight in found["edges"]
        ]
        return charts.network_chart(
            nodes,
            edges,
            selection.year_title(
                _("Related categories; the region's specialisations in bold"), year
            ),
        )

    stem = f"{region.code}-{year}-{selection.scheme}-opportunities"
    response = download(
        request,
        stem,
        {"opportunities": lambda: (["category", "name", "lq", "density", "specialised"], rows)},
        {"network": network},
    )
    if response is not None:
        return response
    return render(
        request,
        "mapping/opportunities.html",
        {
            "region": region,
            "selection": selection,
            "file_stem": stem,
            "year": year,
            "years": years,
            "opportunities": [row for row in rows if not row["specialised"]],
            "specialised": [row for row in rows if row["specialised"]],
            "specialised_count": len(specialised),
            "source": found["source"],
            "region_count": found.get("regions", 0),
            "network": network(),
            "incomplete": selection.incomplete(year),
        },
    )


def statistics(request: HttpRequest) -> HttpResponse:
    """The statistics: datasets and the state of their stored ratings, category schemes,
    region groups, a comparison form and the methodology with the thresholds in force."""
    datasets = Dataset.objects.prefetch_related("rating_sets").order_by("name")
    schemes = [
        (code, code.upper(), selectors.category_names(code)) for code in selectors.CATEGORY_SCHEMES
    ] + [
        (scheme.slug, scheme.label, selectors.category_names(scheme.slug))
        for scheme in CategoryScheme.objects.all()
    ]
    return render(
        request,
        "mapping/statistics.html",
        {
            "datasets": datasets,
            "latest": selectors.latest_dataset(),
            "schemes": schemes,
            "groups": RegionGroup.objects.all(),
            "thresholds": selectors.thresholds_in_force().as_dict(),
            "growth_years": settings.MAPPING_GROWTH_YEARS,
            "max_regions": selectors.MAX_COMPARED,
            "lq_classes": LQ_CLASSES,
        },
    )
