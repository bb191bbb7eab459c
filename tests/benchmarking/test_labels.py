"""Label readiness from the rounds (issue 17, item 13): Gold from its own assessment answered in
a round of the Gold-assessment framework, with its knock-outs named; Silver from the cluster's
validated benchmarkings and the days they were validated; never Gold from the benchmarking
indicators. Pages, API and command line give the same verdict."""

import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from atclusters.benchmarking import frameworks, selectors, services
from atclusters.benchmarking.models import Submission
from tests.benchmarking.test_peer_comparison import compare, validate
from tests.benchmarking.test_scores import FIRST, THREE, answers

pytestmark = pytest.mark.django_db


def gold_framework():
    return services.framework_import(actor=None, document=frameworks.gold_assessment())[1]


def benchmarking_framework():
    return services.framework_import(actor=None, document=frameworks.default_framework())[1]


def open_round(world, framework, year, clusters=None):
    return services.round_open(
        actor=world.staff, agency=world.agency, framework=framework, year=year,
        title=f"{framework.slug} {year}", deadline=date(year + 1, 3, 31),
        clusters=clusters or [world.cluster],
    )  # fmt: skip


def assess(world, year, failing=(), on=None):
    """The world's cluster answers a Gold assessment through the services (computed answers
    overridden with a reason), sends it, and the agency validates it on the day `on`."""
    round_ = open_round(world, gold_framework(), year)
    submission = round_.submissions.get()
    values = answers(frameworks.gold_assessment(), failing)
    services.submission_save(
        actor=world.manager,
        submission=submission,
        answers=values,
        reasons=dict.fromkeys(submission.computed, "checked by the assessors"),
    )
    services.submission_submit(actor=world.manager, submission=submission)
    with time_machine.travel(on or date(year + 1, 4, 15), tick=False):
        services.submission_review(actor=world.staff, submission=submission, validate=True)
    return submission


def benchmark(world, year, values, on):
    """A validated benchmarking of the world's cluster, validated on the day `on`."""
    round_ = open_round(world, benchmarking_framework(), year)
    with time_machine.travel(on, tick=False):
        validate(round_, world.cluster, values)
    return round_.submissions.get()


# Four quality indicators missed of 20: 16 met, 80 %.
FOUR = ["Q01", "Q09", "Q16", "Q20"]


def test_benchmarking_indicators_meeting_80_percent_are_not_gold(world):
    """Before: `label_readiness.gold` was true when 80 % of the benchmarking indicators with a
    threshold met it. Gold is decided by the Gold assessment only."""
    mine = benchmark(
        world, 2025, {"S01": 60, "S02": 70, "S03": 4, "S04": 5, "G01": 1.0}, date(2026, 4, 1)
    )
    readiness = compare(mine)["label_readiness"]
    assert readiness["share_meeting_thresholds"] == 0.8  # the profile is kept, renamed on pages
    assert readiness["gold"] is False
    assert readiness["gold_assessment"]["reasons"] == ["no validated Gold assessment up to 2025"]


def test_gold_assessment_at_80_percent_failing_a_knock_out_is_not_gold_ready(world):
    assess(world, 2025, failing=[*FOUR, "K05"])
    readiness = selectors.label_readiness(cluster=world.cluster, year=2025)
    gold = readiness["gold_assessment"]
    assert readiness["gold"] is False and gold["share_met"] == 0.8
    assert gold["knock_outs_failed"] == [{"code": "K05", "label": "Written cluster strategy"}]
    assert gold["reasons"] == ["knock-out criterion not met: K05 Written cluster strategy"]
    assert gold["assessment"]["framework"] == "atclusters-gold-assessment v1"
    # A year later the strategy is written: the newest assessment decides.
    assess(world, 2026, failing=FOUR)
    later = selectors.label_readiness(cluster=world.cluster, year=2026)
    assert later["gold"] is True and later["gold_assessment"]["reasons"] == []
    assert selectors.label_readiness(cluster=world.cluster, year=2025)["gold"] is False


def test_gold_assessment_at_75_percent_says_the_share(world):
    assess(world, 2025, failing=[*FOUR, "Q05"])
    gold = selectors.label_readiness(cluster=world.cluster, year=2025)["gold_assessment"]
    assert gold["reasons"] == [
        "15 of 20 quality indicators meet their thresholds (75 %); at least 80 % are needed"
    ]


def test_a_gold_assessment_is_not_compared_with_peers(world, login):
    submission = assess(world, 2025, failing=FOUR)
    with pytest.raises(ValueError, match="a Gold assessment is not compared with peers"):
        services.peer_comparison_show(actor=None, submission=submission)
    assert selectors.latest_validated(cluster=world.cluster, year=2025) is None
    client = login(world.manager)
    assert client.get(reverse("benchmarking_comparison", args=[submission.pk])).status_code == 404
    page = client.get(reverse("benchmarking_submission", args=[submission.pk])).text
    assert page.count('<span class="badge knock-out">knock-out</span>') == 6
    assert "at least 80 % of the other indicators must meet their thresholds" in page
    assert reverse("benchmarking_labels", args=["food", 2025]) in page


def silver_history(world):
    """Bronze-level benchmarkings validated on 10 July 2024 (for 2023) and 10 March 2025 (for
    2024), then three areas improved in the answers validated on 10 March 2026 (for 2025)."""
    benchmark(world, 2023, FIRST, date(2024, 7, 10))
    benchmark(world, 2024, FIRST, date(2025, 3, 10))
    return benchmark(world, 2025, THREE, date(2026, 3, 10))


def test_silver_from_the_round_history(world):
    silver_history(world)
    readiness = selectors.label_readiness(cluster=world.cluster, year=2025)
    silver = readiness["silver_readiness"]
    assert readiness["silver"] is True and silver["reasons"] == []
    # The 2024 benchmarking is 12 months before: too soon; the 2023 one, 20 months.
    assert silver["earlier"]["validated_on"] == "2024-07-10" and silver["months"] == 20
    assert silver["current"]["validated_on"] == "2026-03-10"
    assert silver["improved_areas"] == ["structure", "financing", "services"]
    structure = silver["areas"][0]
    assert structure == {
        "area": "structure", "name": "Structure of the cluster", "improved": ["S01"],
        "worsened": [], "improved_area": True,
    }  # fmt: skip
    # A Gold assessment that fails a baseline minimum requirement blocks Silver too.
    assess(world, 2025, failing=["K05"])
    blocked = selectors.label_readiness(cluster=world.cluster, year=2025)["silver_readiness"]
    assert blocked["ready"] is False
    assert blocked["reasons"] == [
        "baseline minimum requirements of the Gold assessment not met: K05"
    ]


def test_silver_is_not_ready_after_12_months_or_with_two_areas(world):
    benchmark(world, 2024, FIRST, date(2025, 3, 10))
    benchmark(world, 2025, THREE, date(2026, 3, 10))
    soon = selectors.label_readiness(cluster=world.cluster, year=2025)["silver_readiness"]
    assert soon["reasons"] == [
        "12 months after the benchmarking validated on 2025-03-10: a repeat counts from 18 "
        "months after it"
    ]
    # 20 months later, interaction (I01) and achievements (A03) improved: two areas.
    benchmark(world, 2027, {**THREE, "I01": 9, "A03": 11}, date(2027, 11, 10))
    two = selectors.label_readiness(cluster=world.cluster, year=2027)["silver_readiness"]
    assert two["months"] == 20 and two["earlier"]["validated_on"] == "2026-03-10"
    assert two["improved_areas"] == ["interaction", "achievements"]
    assert two["reasons"] == [
        "2 areas improved since the benchmarking validated on 2026-03-10; at least 3 are needed"
    ]


def test_labels_page_api_and_command_line_agree(world, login, client, bearer, capsys):
    silver_history(world)
    assess(world, 2025, failing=[*FOUR, "K04"], on=date(2026, 5, 4))
    page = login(world.manager).get(reverse("benchmarking_labels", args=["food", 2025])).text
    assert "3 areas improved since the benchmarking validated on 2024-07-10, 20 months before" in (
        page
    )
    assert (
        "knock-out criterion not met: K04 Listed on the European Cluster Collaboration Platform"
        in page
    )
    answer = client.get(
        "/api/v1/benchmarking/labels?cluster=food&year=2025&language=es", headers=bearer("staff")
    )
    assert answer.status_code == 200
    document = answer.json()
    assert (document["bronze"], document["silver"], document["gold"]) == (True, False, False)
    assert document["gold_assessment"]["reasons"] == [
        "criterio excluyente no cumplido: K04 Inscrito en la Plataforma Europea de "
        "Colaboración de Clústeres"
    ]
    for role, status in (("other_staff", 403), ("rep", 403)):
        denied = client.get(
            "/api/v1/benchmarking/labels?cluster=food&year=2025", headers=bearer(role)
        )
        assert denied.status_code == status
    hidden = client.get(
        "/api/v1/benchmarking/labels?cluster=hidden&year=2025", headers=bearer("staff")
    )
    assert hidden.status_code == 404 and hidden.json() == {"detail": "no cluster 'hidden'"}
    call_command(
        "benchmarking", "labels", "--cluster", "food", "--year", "2025", "--language", "es",
        "--json",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out) == document
    call_command("benchmarking", "labels", "--cluster", "food", "--year", "2025")
    text = capsys.readouterr().out
    assert "silver  not ready" in text and "gold    not ready" in text
    assert "knock-out criterion not met: K04" in text
    with pytest.raises(CommandError, match="--cluster: no cluster 'nowhere'") as refused:
        call_command("benchmarking", "labels", "--cluster", "nowhere", "--year", "2025")
    assert refused.value.returncode == 2


def test_report_shows_the_gold_verdict_without_benchmarking_answers(world, login):
    assess(world, 2025, failing=[*FOUR, "K05"])
    report = login(world.staff).get(reverse("benchmarking_report", args=["food", 2025])).text
    assert "No validated benchmarking answers for this year." in report
    assert "knock-out criterion not met: K05 Written cluster strategy" in report
    assert Submission.objects.get().round.framework.kind == "gold_assessment"
