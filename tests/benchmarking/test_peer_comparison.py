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


@pytest.fixture
def clusters(world):
    spanish = [ClusterFactory(slug=f"es-{i}", agency=world.agency) for i in range(5)]
    portuguese = [
        ClusterFactory(slug=f"pt-{i}", agency=world.agency, country_id="PT") for i in range(2)
    ]
    return [world.cluster, *spanish, *portuguese]


def test_statistics_groups_change_and_suppression(world, clusters):
    members = dict(zip(clusters, [35, 10, 20, 30, 40, 50, 60, 70], strict=True))
    run_round(world, 2024, {clusters[0]: 30, **dict.fromkeys(clusters[1:6], 1)})
    round_ = run_round(world, 2025, members)
    mine = round_.submissions.get(cluster=world.cluster)
    everyone = selectors.peer_comparison(submission=mine, group="all")
    s01 = next(row for row in everyone["indicators"] if row["code"] == "S01")
    # peers 10 20 30 40 50 60 70: median 40, Q1 25, Q3 55; 35 beats 3 of 7 → 42.86
    assert (s01["n"], s01["median"], s01["q1"], s01["q3"]) == (7, 40, 25, 55)
    assert s01["percentile"] == pytest.approx(100 * 3 / 7)
    assert s01["change"] == 5  # 35 this year, 30 the year before
    assert everyone["label_readiness"]["bronze"] is True
    spain = selectors.peer_comparison(submission=mine, group="country")
    s01 = next(row for row in spain["indicators"] if row["code"] == "S01")
    assert spain["peers"] == 5 and s01["median"] == 30  # 10 20 30 40 50
    sized = selectors.peer_comparison(submission=mine, group="size")  # 25–49 members: 30, 40
    s01 = next(row for row in sized["indicators"] if row["code"] == "S01")
    assert s01["n"] == 2 and s01["median"] is None and s01["percentile"] is None
    assert "fewer than 5 peers" in s01["suppressed"]
    with pytest.raises(ValueError, match="group must be one of"):
        selectors.peer_comparison(submission=mine, group="hand-picked")
