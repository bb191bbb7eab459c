"""Peer comparison of a validated round: statistics against hand-computed values, peer groups,
change from last year, and suppression below the group size."""

from datetime import date

import pytest

from atclusters.benchmarking import frameworks, selectors, services
from atclusters.benchmarking.models import Submission
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def run_round(world, year, members_by_cluster):
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    round_ = services.round_open(
        actor=world.staff, agency=world.agency, framework=framework, year=year,
        title=f"Round {year}", deadline=date(year + 1, 3, 31), clusters=list(members_by_cluster),
    )  # fmt: skip
    for cluster, members in members_by_cluster.items():
        # Answers set directly: this test is about the statistics, not the form.
        Submission.objects.filter(round=round_, cluster=cluster).update(
            values={"S01": members, "G01": 1.0, "S03": 3}, status=Submission.Status.VALIDATED
        )
    return round_


def make_clusters(world, portuguese: int):
    spanish = [ClusterFactory(slug=f"es-{i}", agency=world.agency) for i in range(5)]
    foreign = [
        ClusterFactory(slug=f"pt-{i}", agency=world.agency, country_id="PT", nuts_region_id="PT11")
        for i in range(portuguese)
    ]
    return [world.cluster, *spanish, *foreign]


def s01(comparison):
    return next(row for row in comparison["indicators"] if row["code"] == "S01")


def test_statistics_groups_change_and_suppression(world):
    clusters = make_clusters(world, portuguese=5)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    run_round(world, 2024, {clusters[0]: 30, **dict.fromkeys(clusters[1:6], 1)})
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    everyone = s01(selectors.peer_comparison(submission=mine, group="all"))
    # peers 26 28 30 40 45 60 70 80 90 100: median 52.5, Q1 32.5, Q3 77.5; 35 beats 3 of 10
    assert (everyone["n"], everyone["median"], everyone["q1"], everyone["q3"]) == (
        10, 52.5, 32.5, 77.5,
    )  # fmt: skip
    assert everyone["percentile"] == 30 and everyone["change"] == 5  # 35 now, 30 a year before
    spain = s01(selectors.peer_comparison(submission=mine, group="country"))
    assert (spain["n"], spain["median"], spain["percentile"]) == (5, 30, 60)
    shared = s01(selectors.peer_comparison(submission=mine, group="ecosystem"))
    assert shared["n"] == 0 and "fewer than 5 peers" in shared["suppressed"]
    readiness = selectors.peer_comparison(submission=mine)["label_readiness"]
    assert readiness["bronze"] is True
    with pytest.raises(ValueError, match="group must be one of"):
        selectors.peer_comparison(submission=mine, group="hand-picked")


def test_groups_that_differ_by_fewer_than_five_clusters_are_both_withheld(world):
    clusters = make_clusters(world, portuguese=2)
    values = [35, 26, 28, 30, 40, 45, 60, 70]
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    # "all" (7 peers) and "country" (5) differ by the two Portuguese clusters: comparing their
    # medians could reveal them, so neither is shown.
    everyone = s01(selectors.peer_comparison(submission=mine, group="all"))
    spain = s01(selectors.peer_comparison(submission=mine, group="country"))
    assert everyone["median"] is None and spain["median"] is None
    assert "differs from this one by fewer than 5 clusters" in everyone["suppressed"]
    assert everyone["n"] == 7 and spain["n"] == 5
