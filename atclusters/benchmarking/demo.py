"""Demo benchmarking: the shipped framework and Gold assessment; validated rounds for 2024
(IGAPE) and 2025 (all six agencies) with invented answers around what the platform computes; an
open round for IGAPE's clusters; the labels (CLUSAGA Silver-ready from a 2023 benchmarking
repeated 20 months later, two Gold assessments of IGAPE's clusters, one failing a knock-out);
and the six agencies' cluster policies of 2024 and 2025. Every figure that is not computed from
the demo registry is invented for illustration (see docs/benchmarking.md)."""

import random
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from atclusters.benchmarking import frameworks, services
from atclusters.benchmarking.models import ClusterPolicy, Framework, Round, Submission
from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation

# Invented answers: (low, high) per numeric indicator that the demo registry cannot compute.
RANGES: dict[str, tuple[float, float]] = {
    "S05": (10, 80), "G02": (40, 100), "G03": (1, 20), "G06": (2, 12),
    "F01": (80_000, 1_200_000), "F02": (20, 80), "F03": (5, 40), "F04": (0, 30), "F05": (1, 5),
    "V01": (3, 20), "V02": (10, 90), "V03": (2, 60), "V04": (0, 8), "V06": (50, 95),
    "I01": (3, 40), "I02": (50, 1500), "I03": (0, 15), "I05": (10, 400), "I06": (2, 24),
    "A01": (0, 5), "A02": (0, 2_000_000), "A03": (0, 60), "A05": (0, 4), "G01": (0.5, 6),
}  # fmt: skip
THOUSANDS = {"F01", "A02"}  # euros, to the thousand
COUNTS = {"I02", "I05", "V01", "I01", "I03", "I06", "A01", "A03", "A05", "V04", "G06"}

# CLUSAGA's 2025 answers repeat its 2023 benchmarking (validated on 10 July 2024) twenty months
# later, every invented answer better: Silver-ready (docs/benchmarking.md, "Labels").
SILVER_READY = "clusaga"
# IGAPE's Gold assessment of 2025 (invented): quality indicators missed and knock-outs failed.
# The first meets 85 % of the quality indicators but has no written strategy (K05): not ready.
GOLD_ASSESSED = {
    "clusaga": ([], ["Q09", "Q16"]),
    "ceaga": (["K05"], ["Q09", "Q15", "Q20"]),
}


def demo_framework_load() -> Framework:
    """The shipped Gold assessment and benchmarking framework; the latter is returned."""
    services.framework_import(actor=None, document=frameworks.gold_assessment(), source="demo")
    return services.framework_import(
        actor=None, document=frameworks.default_framework(), source="demo"
    )[1]


def _answers(submission, rng: random.Random) -> tuple[dict[str, Any], dict[str, str]]:
    answers: dict[str, Any] = {}
    for indicator in submission.round.framework.indicators.all():
        code = indicator.code
        if code in submission.values:
            continue
        if indicator.type == "boolean":
            answers[code] = rng.random() < 0.7
        elif indicator.type == "choice":
            answers[code] = ""
        elif code in RANGES:
            low, high = RANGES[code]
            value = rng.uniform(low, high)
            answers[code] = (
                round(value, -3) if code in THOUSANDS
                else round(value) if code in COUNTS
                else round(value, 1)
            )  # fmt: skip
        elif indicator.type in frameworks.NUMERIC:
            answers[code] = rng.randint(0, 10)
    return answers, {}


def _better(submission, earlier: dict[str, Any]) -> dict[str, Any]:
    """The earlier invented answers, each about 10 % better (yes where it was no), within the
    indicator's range; the computed ones are left as the platform computes them."""
    answers: dict[str, Any] = {}
    for indicator in submission.round.framework.indicators.all():
        code, before = indicator.code, earlier.get(indicator.code)
        if code in submission.values or before is None or indicator.higher_is_better is None:
            continue
        if indicator.type == "boolean":
            answers[code] = before or indicator.higher_is_better
        elif isinstance(before, int | float) and not isinstance(before, bool):
            factor = 1.1 if indicator.higher_is_better else 0.9
            value = round(before * factor, -3 if code in THOUSANDS else 0 if code in COUNTS else 1)
            if indicator.higher_is_better and code in COUNTS:
                value = max(value, before + 1)
            low, high = indicator.minimum, indicator.maximum
            answers[code] = min(max(value, low if low is not None else value), high or value)
    return answers


def _validated_at(deadline: date) -> datetime:
    """The demo's past rounds are validated three weeks before their deadline."""
    return timezone.make_aware(datetime.combine(deadline - timedelta(days=21), time(12)))


def _round(
    agency: Agency,
    framework: Framework,
    year: int,
    deadline: date,
    validate: bool,
    clusters: list[ClusterOrganisation] | None = None,
) -> Round | None:
    if clusters is None:
        clusters = list(agency.clusters.filter(status=ClusterOrganisation.Status.PUBLISHED))
    exists = Round.objects.filter(agency=agency, year=year, framework__slug=framework.slug)
    if not clusters or exists.exists():
        return None
    round_ = services.round_open(
        actor=None,
        agency=agency,
        framework=framework,
        year=year,
        title=f"{agency.acronym or agency.name} cluster benchmarking {year}",
        deadline=deadline,
        clusters=clusters,
    )
    if not validate:
        return round_
    for submission in round_.submissions.select_related("cluster", "round__framework"):
        rng = random.Random(zlib.crc32(f"{submission.cluster.slug}-{year}".encode()))  # noqa: S311 - invented demo answers
        answers, reasons = _answers(submission, rng)
        if submission.cluster.slug == SILVER_READY and year == 2025:
            earlier = Submission.objects.get(
                cluster=submission.cluster, round__year=2023, round__framework=framework
            )
            answers = {**answers, **_better(submission, earlier.values)}
        services.submission_save(
            actor=None, submission=submission, answers=answers, reasons=reasons
        )
        services.submission_submit(actor=None, submission=submission)
        services.submission_review(
            actor=None, submission=submission, validate=True, at=_validated_at(deadline)
        )
    return round_


def demo_rounds_load(framework: Framework) -> int:
    """Validated rounds for 2023 (CLUSAGA alone), 2024 (IGAPE) and 2025 (every agency), and
    IGAPE's open round."""
    opened = 0
    igape = Agency.objects.get(slug="igape")
    first = list(igape.clusters.filter(slug=SILVER_READY))
    if _round(igape, framework, 2023, date(2024, 7, 31), validate=True, clusters=first):
        opened += 1
    if _round(igape, framework, 2024, date(2025, 3, 31), validate=True):
        opened += 1
    for agency in Agency.objects.order_by("slug"):
        if _round(agency, framework, 2025, date(2026, 3, 31), validate=True):
            opened += 1
    deadline = timezone.localdate() + timedelta(days=45)
    if _round(igape, framework, timezone.localdate().year, deadline, validate=False):
        opened += 1
    return opened


def demo_gold_assessments_load() -> int:
    """IGAPE's Gold assessment of 2025 for the clusters of `GOLD_ASSESSED` (answers invented;
    computed answers confirmed), validated on 4 May 2026."""
    igape = Agency.objects.get(slug="igape")
    framework = Framework.objects.filter(slug="atclusters-gold-assessment").order_by("-version")[0]
    clusters = list(igape.clusters.filter(slug__in=GOLD_ASSESSED).order_by("slug"))
    if not clusters or Round.objects.filter(agency=igape, framework=framework).exists():
        return 0
    round_ = services.round_open(
        actor=None,
        agency=igape,
        framework=framework,
        year=2025,
        title="IGAPE Gold assessment 2025",
        deadline=date(2026, 5, 25),
        clusters=clusters,
    )
    document = frameworks.gold_assessment()
    for submission in round_.submissions.select_related("cluster"):
        knock_outs_failed, missed = GOLD_ASSESSED[submission.cluster.slug]
        answers = {}
        for item in document["indicators"]:
            meets = item["code"] not in (*knock_outs_failed, *missed)
            if item["type"] == "boolean":
                answers[item["code"]] = meets
            elif meets:
                answers[item["code"]] = max(
                    submission.values.get(item["code"], 0), item["threshold"]
                )
            else:
                answers[item["code"]] = item["threshold"] + (
                    1 if item["higher_is_better"] is False else -1
                )
        services.submission_save(
            actor=None,
            submission=submission,
            answers=answers,
            reasons=dict.fromkeys(submission.computed, "confirmed by the assessors"),
        )
        services.submission_submit(actor=None, submission=submission)
        services.submission_review(
            actor=None, submission=submission, validate=True, at=_validated_at(date(2026, 5, 25))
        )
    return 1


# Invented for illustration: programme types follow each country's public cluster instruments,
# the names are generic and every amount is made up.
POLICIES: dict[str, dict[str, Any]] = {
    "igape": {
        "summary": "Recognition of Galician clusters and yearly support for their management "
        "structures and joint projects, with a strategy aligned to the regional S3.",
        "clusters_recognised": 18,
        "programmes": [
            ("Galician cluster programme", "operating", 2_400_000, 16, "gber_27",
             "Galician cluster programme", "Recognised cluster organisation; ≥ 20 members; "
             "strategic plan", {"members reached": 1450}),
            ("Collaborative projects of clusters", "projects", 3_100_000, 12, "de_minimis", "",
             "Projects of three or more members led by a cluster", {"projects funded": 27}),
            ("Cluster internationalisation", "international", 650_000, 9, "de_minimis", "",
             "Missions and fairs abroad organised by a cluster", {"missions": 14}),
        ],
    },
    "idepa": {
        "summary": "Support for innovative business groupings and the Asturian cluster "
        "network.",
        "clusters_recognised": 11,
        "programmes": [
            ("Support for clusters and innovative business groupings", "operating",
             1_100_000, 10, "gber_27", "", "Registered innovative business grouping",
             {"members reached": 720}),
            ("Innovation vouchers through clusters", "vouchers", 400_000, 8, "de_minimis", "",
             "SME members of a supported cluster", {"vouchers": 96}),
        ],
    },
    "sodercan": {
        "summary": "Cantabrian cluster strategy: operating support, training for cluster "
        "managers and innovation vouchers.",
        "clusters_recognised": 7,
        "programmes": [
            ("Cantabrian cluster support", "operating", 600_000, 7, "gber_27", "",
             "Cluster with a strategic plan and ≥ 15 members", {"members reached": 380}),
            ("Cluster managers' training", "training", 60_000, 7, "not_aid", "",
             "Staff of supported clusters", {"training days": 24}),
            ("Innovation vouchers", "vouchers", 350_000, 5, "de_minimis", "",
             "SMEs of Cantabria", {"vouchers": 70}),
        ],
    },
    "southern-assembly": {
        "summary": "Regional technology clustering with the enterprise agency and the "
        "technological universities of the region.",
        "clusters_recognised": 0,
        "programmes": [
            ("Regional technology clustering projects", "projects", 1_800_000, 6, "gber_other",
             "", "Clusters led by a higher-education institution with enterprise partners",
             {"projects funded": 6}),
            ("Cluster managers' network", "training", 40_000, 5, "not_aid", "",
             "Cluster managers of the region", {"meetings": 4}),
        ],
    },
    "bretagne-innovation": {
        "summary": "Regional co-funding of the governance of competitiveness clusters and "
        "support for industrial sector networks.",
        "clusters_recognised": 7,
        "programmes": [
            ("Governance of competitiveness clusters", "operating", 2_900_000, 7, "notified",
             "", "Competitiveness cluster labelled by the State", {"members reached": 2100}),
            ("Collaborative R&D projects", "projects", 6_500_000, 7, "gber_other", "",
             "Projects labelled by a competitiveness cluster", {"projects funded": 41}),
            ("International business missions", "international", 500_000, 5, "de_minimis",
             "", "SME members of a cluster", {"missions": 9}),
        ],
    },
    "adrave": {
        "summary": "Recognition of competitiveness clusters and collective actions of "
        "business associations in the North region.",
        "clusters_recognised": 5,
        "programmes": [
            ("Recognition of competitiveness clusters", "recognition", 0, 5, "not_aid", "",
             "Recognised by the national cluster recognition scheme",
             {"clusters recognised": 5}),
            ("Collective actions of clusters", "operating", 1_300_000, 5, "gber_27", "",
             "Recognised cluster managing entity", {"actions": 19}),
            ("Qualification and internationalisation of SMEs", "international", 900_000, 4,
             "de_minimis", "", "SME members", {"companies supported": 130}),
        ],
    },
}  # fmt: skip


def demo_policies_load() -> int:
    """The six agencies' cluster policies of 2024 and 2025 (2024 about 6 % smaller)."""
    stored = 0
    for slug, policy in POLICIES.items():
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            continue
        for year, factor in ((2024, Decimal("0.94")), (2025, Decimal(1))):
            if ClusterPolicy.objects.filter(agency=agency, year=year).exists():
                continue
            services.policy_save(
                actor=None,
                agency=agency,
                year=year,
                summary=policy["summary"],
                clusters_recognised=policy["clusters_recognised"],
                programmes=[
                    {
                        "name": name,
                        "instrument": instrument,
                        "budget_eur": (Decimal(budget) * factor).quantize(Decimal(1)),
                        "clusters_supported": supported,
                        "legal_basis": basis,
                        "aid_programme": aid_programme,
                        "eligibility": eligibility,
                        "results": results,
                    }
                    for name, instrument, budget, supported, basis, aid_programme, eligibility, results in policy[
                        "programmes"
                    ]
                ],
                source="demo",
            )
            stored += 1
    return stored


def domain_demo_load() -> list[str]:
    demo_rounds_load(demo_framework_load())
    demo_gold_assessments_load()
    demo_policies_load()
    return []
