"""The cluster characterization report and the cluster-policy comparison report, as HTML and
as PDF (WeasyPrint). The page and the PDF draw on the same context; charts are SVG, so they
stay vector graphics in the PDF; the PDF fetches nothing (`core.pdf`)."""

import functools
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from atclusters.benchmarking import selectors, services
from atclusters.benchmarking.frameworks import text_in
from atclusters.benchmarking.models import PolicyProgramme, Submission
from atclusters.core.pdf import pdf_from_html
from atclusters.core.permissions import AnyUser
from atclusters.core.templatetags import charts
from atclusters.events.selectors import report_section as events_section
from atclusters.funding.selectors import report_section
from atclusters.mapping import selectors as mapping_selectors
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.services.selectors import cluster_uptake
from atclusters.stateaid.selectors import aid_to_cluster

EVOLUTION_YEARS = 5
AID_YEARS = 3
SERVICE_YEARS = 3


def comparison_rows(
    comparison: dict[str, Any], submission: Submission, language: str
) -> dict[str, Any]:
    """The comparison with labels in the reader's language, grouped by area, and the radar
    chart of the area scores."""
    framework = submission.round.framework
    labels = {item.code: item for item in framework.indicators.all()}
    areas = framework.areas
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in comparison["indicators"]:
        indicator = labels[row["code"]]
        grouped.setdefault(row["area"], []).append(
            {
                **row,
                "label": text_in(indicator.label, language),
                "unit": indicator.unit,
                "type": indicator.type,
            }
        )
    named = {code: text_in(names, language) for code, names in areas.items()}
    return {
        **comparison,
        "by_area": [(named[area], rows) for area, rows in grouped.items()],
        "area_rows": [(named[area], score) for area, score in comparison["areas"].items()],
        "radar": charts.radar_chart(
            [(named[area], score) for area, score in comparison["areas"].items()],
            _("Area scores among the peers (0–100; the dashed ring is the peers' median)"),
        ),
        "strength_labels": [text_in(labels[c].label, language) for c in comparison["strengths"]],
        "weakness_labels": [text_in(labels[c].label, language) for c in comparison["weaknesses"]],
    }


def characterization(
    *,
    cluster: ClusterOrganisation,
    year: int,
    user: AnyUser,
    language: str,
    group: str = "all",
    source: str = "web",
) -> dict[str, Any]:
    """Everything the characterization report shows, for a reader allowed to see the cluster's
    results: profile, members and their evolution, benchmarking against the peers, the
    region's statistics in the cluster's sectors, the services its members used, agreements,
    EU projects, the year's events (the events domain's section) and aid received."""
    composition = registry_selectors.cluster_composition(cluster=cluster)
    evolution = selectors.membership_evolution(cluster=cluster, years=EVOLUTION_YEARS, until=year)
    types = dict(Organisation.Type.choices)
    kinds = sorted({kind for row in evolution for kind in row["by_type"]})
    evolution_chart = charts.line_chart(
        [
            (
                str(types.get(kind, kind)),
                [(row["year"], row["by_type"].get(kind, 0)) for row in evolution],
            )
            for kind in kinds
        ],
        _("members"),
        _("Members on 31 December by type"),
    )
    submission = selectors.latest_validated(cluster=cluster, year=year)
    comparison = (
        comparison_rows(
            services.peer_comparison_show(
                actor=user, submission=submission, group=group, source=source
            ),
            submission,
            language,
        )
        if submission is not None
        else None
    )
    statistics = (
        mapping_selectors.cluster_statistics(
            region=cluster.nuts_region.code[:4],
            sectors=[sector.code for sector in cluster.sectors.all()],
            members=registry_selectors.cluster_member_activity(cluster=cluster),
        )
        if cluster.nuts_region is not None
        else None
    )
    aid = [
        (
            aid_year,
            aid_to_cluster(cluster=cluster, start=date(aid_year, 1, 1), end=date(aid_year, 12, 31)),
        )
        for aid_year in range(year - AID_YEARS + 1, year + 1)
    ]
    uptake = cluster_uptake(cluster=cluster, first_year=year - SERVICE_YEARS + 1, last_year=year)
    answered = validated_profile_answers(submission)
    eu = report_section(cluster=cluster, user=user)
    return {
        "cluster": cluster,
        # The profile's figure; without one, what the cluster answered and the agency validated.
        "management_fte": cluster.management_team_fte
        if cluster.management_team_fte is not None
        else answered.get("management_fte"),
        "management_fte_answered": cluster.management_team_fte is None
        and answered.get("management_fte") is not None,
        "year": year,
        "description": cluster.description(language),
        "composition": composition,
        "type_chart": charts.bar_chart(composition.by_type, _("Members by type")),
        "size_chart": charts.bar_chart(composition.by_size, _("Members by size")),
        "evolution": evolution,
        "evolution_chart": evolution_chart,
        "submission": submission,
        "comparison": comparison,
        # Without benchmarking answers of the year, a Gold assessment still has its verdict.
        "labels": None
        if comparison is not None
        else selectors.label_readiness(cluster=cluster, year=year),
        "statistics": statistics,
        "agreements": list(registry_selectors.agreement_list(user=user, cluster=cluster)),
        "aid": aid if any(total for _year, total in aid) else [],
        "services_uptake": uptake if any(row["deliveries"] for row in uptake) else [],
        "services_first": year - SERVICE_YEARS + 1,
        "eu": eu,
        "eu_chart": charts.bar_chart(eu.figures.year_rows, _("EU projects by start year")),
        "events": events_section(cluster=cluster, year=year, user=user),
        "generated": date.today(),
    }


def validated_profile_answers(submission: Submission | None) -> dict[str, Any]:
    """The validated answers of the indicators computed from a profile figure, by that figure
    (`management_fte`: the answer to the indicator that the profile's FTE pre-fills)."""
    if submission is None:
        return {}
    return {
        indicator.computed: submission.values[indicator.code]
        for indicator in submission.round.framework.indicators.exclude(computed="")
        if submission.values.get(indicator.code) is not None
    }


@functools.cache
def _chart_styles() -> str:
    path = finders.find("atclusters/charts.css")
    return Path(str(path)).read_text(encoding="utf-8") if path else ""


SVG_START = re.compile(r"(<svg\b[^>]*>)")


def render_html(template: str, context: dict[str, Any]) -> str:
    """A report as one self-contained HTML document (the PDF's source and the CLI's HTML).
    Each chart carries the chart styles inside its SVG, where WeasyPrint's SVG renderer reads
    them (it does not apply the page's CSS to SVG shapes)."""
    html = render_to_string(
        template,
        {
            **context,
            "printable": True,
            "base_template": "benchmarking/print_base.html",
            "LANGUAGE_CODE": get_language(),
        },
    )
    return SVG_START.sub(lambda match: f"{match.group(1)}<style>{_chart_styles()}</style>", html)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return pdf_from_html(render_html(template, context))


def policy_report(*, year: int, language: str) -> dict[str, Any]:
    """The policy comparison with its charts: budget by instrument, budget per supported
    cluster, employment in strong clusters."""
    comparison = selectors.policy_comparison(year=year)
    instruments = dict(PolicyProgramme.Instrument.choices)
    rows = comparison["rows"]
    short = {row["agency"].pk: row["agency"].acronym or row["agency"].name for row in rows}
    used = [
        kind for kind in comparison["instruments"] if any(r["by_instrument"][kind] for r in rows)
    ]
    budget_chart = charts.stacked_bar_chart(
        [
            (short[row["agency"].pk], [float(row["by_instrument"][kind]) for kind in used])
            for row in rows
        ],
        [str(instruments[kind]) for kind in used],
        _("Cluster policy budget by instrument (EUR)"),
    )
    per_cluster = charts.bar_chart(
        [
            (short[row["agency"].pk], round(row["budget_per_cluster"]))
            for row in rows
            if row["budget_per_cluster"] is not None
        ],
        _("Budget per supported cluster (EUR)"),
    )
    strong = charts.bar_chart(
        [
            (
                f"{short[row['agency'].pk]} · {summary['region']}",
                round(100 * summary["strong_share"]),
            )
            for row in rows
            for summary in row["regions"]
            if summary["strong_share"] is not None
        ],
        _("Employment in strong clusters (% of the region's employment)"),
    )
    return {
        **comparison,
        "instrument_names": instruments,
        "legal_bases": dict(PolicyProgramme.LegalBasis.choices),
        "budget_chart": budget_chart,
        "per_cluster_chart": per_cluster,
        "strong_chart": strong,
        "total_budget": sum((row["budget"] for row in rows), Decimal(0)),
        "aid_withheld": any(row["aid_withheld"] for row in rows),
        "years": selectors.policy_years(),
        "language": language,
    }
