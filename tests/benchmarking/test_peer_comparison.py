"""Peer comparison of a validated round: statistics against hand-computed values, peer groups,
change from last year, and suppression below the group size."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from atclusters.benchmarking import frameworks, services
from atclusters.benchmarking.models import PeerView, Submission
from atclusters.core.errors import InvalidFields
from atclusters.core.models import NaceActivity
from atclusters.core.permissions import PermissionDenied
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def run_round(world, year, members_by_cluster):
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    round_ = services.round_open(
        actor=world.staff, agency=world.agency, framework=framework, year=year,
        title=f"Round {year}", deadline=date(year + 1, 3, 31), clusters=list(members_by_cluster),
    )  # fmt: skip
    for cluster, members in members_by_cluster.items():
        # Answers set directly: this test is about the statistics, not the form. Validated by
        # the agency, which freezes the profile the peer groups are drawn from.
        validate(round_, cluster, {"S01": members, "G01": 1.0, "S03": 3})
    return round_


def validate(round_, cluster, values):
    Submission.objects.filter(round=round_, cluster=cluster).update(
        values=values, status=Submission.Status.SUBMITTED
    )
    services.submission_review(
        actor=None, submission=Submission.objects.get(round=round_, cluster=cluster), validate=True
    )


def make_clusters(world, portuguese: int):
    spanish = [ClusterFactory(slug=f"es-{i}", agency=world.agency) for i in range(5)]
    foreign = [
        ClusterFactory(slug=f"pt-{i}", agency=world.agency, country_id="PT", nuts_region_id="PT11")
        for i in range(portuguese)
    ]
    return [world.cluster, *spanish, *foreign]


def s01(comparison):
    return next(row for row in comparison["indicators"] if row["code"] == "S01")


def compare(submission, group="all"):
    return services.peer_comparison_show(actor=None, submission=submission, group=group)


def shown_peers(submission, group):
    """The clusters whose answers the group's statistics are drawn from, as shown."""
    view = PeerView.objects.filter(cluster=submission.cluster, group=group).first()
    return {peer.cluster.slug for peer in view.release.members.exclude(cluster=submission.cluster)}


def test_statistics_groups_change_and_suppression(world):
    clusters = make_clusters(world, portuguese=5)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    run_round(world, 2024, {clusters[0]: 30, **dict.fromkeys(clusters[1:6], 1)})
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    everyone = s01(compare(mine, "all"))
    # peers 26 28 30 40 45 60 70 80 90 100: median 52.5, Q1 32.5, Q3 77.5; 35 beats 3 of 10
    assert (everyone["n"], everyone["median"], everyone["q1"], everyone["q3"]) == (
        10, 52.5, 32.5, 77.5,
    )  # fmt: skip
    assert everyone["percentile"] == 30 and everyone["change"] == 5  # 35 now, 30 a year before
    spain = s01(compare(mine, "country"))
    assert (spain["n"], spain["median"], spain["percentile"]) == (5, 30, 60)
    shared = s01(compare(mine, "ecosystem"))
    assert shared["n"] == 0 and "fewer than 5 peers" in shared["suppressed"]
    readiness = compare(mine)["label_readiness"]
    assert readiness["bronze"] is True
    with pytest.raises(ValueError, match="group must be one of"):
        compare(mine, "hand-picked")


def test_a_group_fewer_than_five_clusters_away_from_one_shown_is_withheld(world):
    clusters = make_clusters(world, portuguese=2)
    values = [35, 26, 28, 30, 40, 45, 60, 70]
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    # "all" (7 peers) and "country" (5) differ by the two Portuguese clusters: comparing their
    # medians could reveal them. The standard groups are released together, "all" first, so
    # "all" is shown and "country" withheld, whichever is asked first.
    spain = s01(compare(mine, "country"))
    everyone = s01(compare(mine, "all"))
    assert everyone["median"] == 40 and spain["median"] is None  # 26 28 30 40 45 60 70
    assert spain["suppressed"] == (
        "the peer group “all clusters” differs from this one by fewer than 5 clusters"
    )
    assert everyone["n"] == 7 and spain["n"] == 5


def picked(world, name, clusters):
    return services.peer_set_save(
        actor=world.manager, cluster=world.cluster, name=name, members=clusters
    )


def test_hand_picked_groups_and_their_differences(world):
    clusters = make_clusters(world, portuguese=5)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    portuguese = clusters[6:]
    picked(world, "Portugal", portuguese)
    chosen = s01(compare(mine, "picked:Portugal"))
    # peers 60 70 80 90 100: median 80, Q1 70, Q3 90; 35 is below all five
    assert (chosen["n"], chosen["median"], chosen["q1"], chosen["q3"], chosen["percentile"]) == (
        5, 80, 70, 90, 0,
    )  # fmt: skip
    # Adding one Spanish cluster would reveal its value by comparing the two sets: the second
    # set's statistics are withheld; the first one's, already shown, stay as they were.
    picked(world, "Portugal and one", [*portuguese, clusters[1]])
    row = s01(compare(mine, "picked:Portugal and one"))
    assert row["median"] is None and row["suppressed"] == (
        "the peer group “hand-picked: Portugal” differs from this one by fewer than 5 clusters"
    )
    assert s01(compare(mine, "picked:Portugal")) == chosen
    with pytest.raises(InvalidFields) as small:
        picked(world, "Too few", portuguese[:4])
    assert small.value.errors["members"] == "choose at least 5 other clusters (4 chosen)"
    with pytest.raises(InvalidFields):
        picked(world, "Portugal", portuguese)  # a set is kept under its name
    with pytest.raises(PermissionDenied):
        services.peer_set_save(
            actor=world.other_staff, cluster=world.cluster, name="x", members=portuguese
        )
    with pytest.raises(ValueError, match="no hand-picked peer group"):
        compare(mine, "picked:Nobody")


def test_comparison_page_and_report_show_aggregates_only(world, login):
    clusters = make_clusters(world, portuguese=5)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    client = login(world.manager)
    page = client.get(reverse("benchmarking_comparison", args=[mine.pk]))
    assert page.status_code == 200 and 'class="radar-chart"' in page.text
    assert '<td class="number">52.5</td>' in page.text  # the median of all ten peers
    made = client.post(
        reverse("benchmarking_comparison", args=[mine.pk]),
        {"name": "Portugal", "members": [cluster.slug for cluster in clusters[6:]]},
    )
    assert made.status_code == 302 and made["Location"].endswith("?group=picked:Portugal")
    chosen = client.get(made["Location"])
    assert '<td class="number">80</td>' in chosen.text  # the five Portuguese peers' median
    report = client.get(reverse("benchmarking_report", args=[world.cluster.slug, 2025]))
    assert 'class="radar-chart"' in report.text and "52.5" in report.text
    # No peer's own answer appears: 26 is one cluster's committed members.
    assert ">26<" not in page.text and ">26<" not in report.text
    pdf = client.get(reverse("benchmarking_report_pdf", args=[world.cluster.slug, 2025]))
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 20_000
    assert (
        login(world.other_staff).get(reverse("benchmarking_comparison", args=[mine.pk])).status_code
        == 403
    )


def test_sector_group_shares_a_nace_division(world):
    clusters = make_clusters(world, portuguese=5)
    food = NaceActivity.objects.filter(code__in=["10.11", "10.89"], version="2.1").order_by("code")
    drinks = NaceActivity.objects.filter(code="11.01", version="2.1")
    world.cluster.sectors.set(food[:1])
    for cluster in clusters[1:6]:
        cluster.sectors.set(food[1:])  # another class of division 10
    for cluster in clusters[6:]:
        cluster.sectors.set(drinks)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    round_ = run_round(world, 2025, dict(zip(clusters, values, strict=True)))
    mine = round_.submissions.get(cluster=world.cluster)
    sector = s01(compare(mine, "sector"))
    assert (sector["n"], sector["median"], sector["percentile"]) == (5, 30, 60)
    assert shown_peers(mine, "sector") == {f"es-{i}" for i in range(5)}


def test_a_group_of_four_peers_shows_no_statistic_anywhere(world, login, bearer, tmp_path):
    """The small-cell rule (core/smallcells.py) on every way out of the comparison: the
    service, the page and its radar chart, the API, the command line, the report."""
    spanish = [ClusterFactory(slug=f"es-{i}", agency=world.agency) for i in range(4)]
    portuguese = [
        ClusterFactory(slug=f"pt-{i}", agency=world.agency, country_id="PT", nuts_region_id="PT11")
        for i in range(5)
    ]
    # Spain: 11 13 17 19 (median 15, Q1 12.5, Q3 17.5, 35 above all four); all nine: median 60.
    values = [35, 11, 13, 17, 19, 60, 70, 80, 90, 100]
    round_ = run_round(world, 2025, dict(zip([world.cluster, *spanish, *portuguese], values,
                                             strict=True)))  # fmt: skip
    mine = round_.submissions.get(cluster=world.cluster)
    assert s01(compare(mine, "all"))["median"] == 60
    comparison = compare(mine, "country")
    row = s01(comparison)
    # Nor the group's size: one of four peers who knows there are four knows more.
    assert row["n"] is None and row["suppressed"] == "fewer than 5 peers reported this indicator"
    assert comparison["peers"] is None and comparison["min_group"] == 5
    for code in ("S01", "G01", "S03"):
        figures = next(r for r in comparison["indicators"] if r["code"] == code)
        assert [figures[key] for key in ("median", "q1", "q3", "percentile")] == [None] * 4
    assert all(score is None for score in comparison["areas"].values())
    assert comparison["strengths"] == comparison["weaknesses"] == []

    hidden = ("15", "12.5", "17.5", "11", "13", "17", "19")
    page = login(world.manager).get(
        reverse("benchmarking_comparison", args=[mine.pk]) + "?group=country"
    )
    assert page.status_code == 200
    assert "fewer than 5 peers reported this indicator" in page.text
    assert "Fewer than 5 peer clusters with validated answers in this group." in page.text
    assert '<td class="number">fewer than 5</td>' in page.text and ">4<" not in page.text
    assert not [number for number in hidden if f">{number}<" in page.text]
    answer = login(None).get(
        f"/api/v1/benchmarking/peers?cluster={world.cluster.slug}&year=2025&group=country",
        headers=bearer("manager"),
    )
    assert answer.status_code == 200
    api_row = next(r for r in answer.json()["indicators"] if r["code"] == "S01")
    assert (api_row["n"], api_row["median"], api_row["percentile"]) == (None, None, None)
    assert (answer.json()["peers"], answer.json()["min_group"]) == (None, 5)
    out = StringIO()
    call_command("benchmarking", "peers", "--cluster", world.cluster.slug, "--year", "2025",
                 "--group", "country", stdout=out)  # fmt: skip
    assert "S01" in out.getvalue() and "median" not in out.getvalue()
    assert "(fewer than 5 peers)" in out.getvalue() and "n=fewer than 5" in out.getvalue()
    assert "n=4" not in out.getvalue()
    report = tmp_path / "report.html"
    call_command("benchmarking", "report", "--cluster", world.cluster.slug, "--year", "2025",
                 "--group", "country", "--format", "html", "-o", str(report))  # fmt: skip
    text = report.read_text()
    assert "fewer than 5 peers reported this indicator" in text
    assert "compared with fewer than 5 peer clusters" in text
    assert '<td class="number">fewer than 5</td>' in text
    assert not [number for number in hidden if f">{number}<" in text]
