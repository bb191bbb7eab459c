"""`atclusters benchmarking peers|report|reminders`, `atclusters scheduler` and the REST API:
the same answers as the pages, the documented exit codes, and who may see what."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.benchmarking.models import Submission
from tests.benchmarking.conftest import all_answers
from tests.benchmarking.test_peer_comparison import make_clusters, run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(world):
    clusters = make_clusters(world, portuguese=5)
    values = [35, 26, 28, 30, 40, 45, 60, 70, 80, 90, 100]
    run_round(world, 2024, {clusters[0]: 30, **dict.fromkeys(clusters[1:6], 1)})
    return run_round(world, 2025, dict(zip(clusters, values, strict=True)))


def s01(document):
    return next(row for row in document["indicators"] if row["code"] == "S01")


def test_peers_command_gives_the_statistics_or_the_reason(world, validated, capsys):
    call_command("benchmarking", "peers", "--cluster", "food", "--year", "2025", "--json")
    everyone = json.loads(capsys.readouterr().out)
    assert (s01(everyone)["median"], s01(everyone)["q1"], s01(everyone)["q3"]) == (52.5, 32.5, 77.5)
    assert s01(everyone)["percentile"] == 30 and s01(everyone)["change"] == 5
    call_command(
        "benchmarking", "peers", "--cluster", "food", "--year", "2025", "--group", "ecosystem",
        "--json",
    )  # fmt: skip
    shared = json.loads(capsys.readouterr().out)
    assert s01(shared)["median"] is None and "fewer than 5 peers" in s01(shared)["suppressed"]
    call_command("benchmarking", "peers", "--cluster", "food", "--year", "2025")
    assert "median 52.5  Q1 32.5  Q3 77.5  percentile 30.0" in capsys.readouterr().out
    for arguments, option in (
        (["--cluster", "nowhere", "--year", "2025"], "--cluster"),
        (["--cluster", "food", "--year", "2019"], "--year"),
        (["--cluster", "food", "--year", "2025", "--group", "friends"], "--group"),
    ):
        with pytest.raises(CommandError, match=option) as error:
            call_command("benchmarking", "peers", *arguments)
        assert error.value.returncode == 2


def test_report_command_writes_pdf_and_html_in_the_language_asked(world, validated, tmp_path):
    pdf, html = tmp_path / "food.pdf", tmp_path / "food.html"
    call_command(
        "benchmarking", "report", "--cluster", "food", "--year", "2025", "--format", "pdf",
        "-o", pdf,
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")
    call_command(
        "benchmarking", "report", "--cluster", "food", "--year", "2025", "--format", "html",
        "--language", "fr", "-o", html,
    )  # fmt: skip
    text = html.read_text()
    assert '<html lang="fr">' in text and "Membres engagés" in text
    assert text.count("<style>") > 2  # every chart carries its styles (WeasyPrint reads them)
    assert "52,5" in text  # the peers' median, written the French way


def test_api_peers_and_report_follow_the_pages_permissions(world, validated, client, bearer):
    answer = client.get(
        "/api/v1/benchmarking/peers?cluster=food&year=2025", headers=bearer("manager")
    )
    assert answer.status_code == 200 and s01(answer.json())["median"] == 52.5
    for role in ("other_staff", "rep", "nobody"):
        denied = client.get(
            "/api/v1/benchmarking/peers?cluster=food&year=2025", headers=bearer(role)
        )
        assert denied.status_code == 403
    missing = client.get(
        "/api/v1/benchmarking/peers?cluster=food&year=2023", headers=bearer("staff")
    )
    assert missing.status_code == 422 and "year" in missing.json()["detail"]
    report = client.get(
        "/api/v1/benchmarking/report?cluster=food&year=2025&format=html&language=es",
        headers=bearer("staff"),
    )
    assert report.status_code == 200 and '<html lang="es">' in report.text


def test_api_answers_are_all_or_nothing_and_reviewed_by_staff(world, client, bearer, submission):
    path = f"/api/v1/benchmarking/submissions/{submission.pk}"
    refused = client.patch(
        path,
        {"answers": {"S05": 140, "G01": 2}},
        content_type="application/json",
        headers=bearer("manager"),
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == {"S05": ["must be at most 100"]}
    assert "G01" not in client.get(path, headers=bearer("manager")).json()["values"]
    answers = all_answers(submission)
    saved = client.patch(
        path, {"answers": answers}, content_type="application/json", headers=bearer("manager")
    )
    assert saved.status_code == 200 and saved.json()["values"]["G01"] == 1.0
    assert client.post(f"{path}/submission", headers=bearer("manager")).json()["status"] == (
        "submitted"
    )
    by_manager = client.post(
        f"{path}/review", {"validate": True}, content_type="application/json",
        headers=bearer("manager"),
    )  # fmt: skip
    assert by_manager.status_code == 403
    by_staff = client.post(
        f"{path}/review", {"validate": True}, content_type="application/json",
        headers=bearer("staff"),
    )  # fmt: skip
    assert by_staff.json()["status"] == "validated"
    assert client.get(path, headers=bearer("other_staff")).status_code == 403


def test_reminders_go_once_per_point_to_managers_who_have_not_sent(world, submission):
    world.manager.email = "manager@food.example"
    world.manager.save()
    submission.round.deadline = date(2026, 3, 31)
    submission.round.save()
    sent = Submission.objects.create(
        round=submission.round, cluster=world.draft, status=Submission.Status.SUBMITTED
    )
    with time_machine.travel(date(2026, 3, 10)):  # 21 days before: no reminder point yet
        call_command("benchmarking", "reminders")
    assert len(mail.outbox) == 0
    with time_machine.travel(date(2026, 3, 20)):  # 11 days before: the 14-day point
        call_command("scheduler", "--once")  # queues the daily job (run at once in tests)
        call_command("benchmarking", "reminders")  # the same day again: nothing new
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manager@food.example"]
    assert "11" in message.body and f"/benchmarking/answers/{submission.pk}/" in message.body
    with time_machine.travel(
        date(2026, 3, 30)
    ):  # a missed day does not lose the 3- and 1-day points
        call_command("benchmarking", "reminders")
    assert len(mail.outbox) == 2
    submission.refresh_from_db()
    assert submission.reminders_sent == [1, 3, 14]
    sent.refresh_from_db()
    assert sent.reminders_sent == []


def test_api_opens_rounds_and_imports_frameworks(world, client, bearer, submission):
    body = {"agency": world.agency.slug, "framework": "atclusters-cluster-management",
            "year": 2026, "title": "API round", "deadline": "2099-01-31", "clusters": ["food"]}  # fmt: skip
    opened = client.post(
        "/api/v1/benchmarking/rounds", body, content_type="application/json",
        headers=bearer("staff"),
    )  # fmt: skip
    assert opened.status_code == 201 and list(opened.json()["submissions"]) == ["food"]
    refused = client.post(
        "/api/v1/benchmarking/rounds", body, content_type="application/json",
        headers=bearer("manager"),
    )  # fmt: skip
    assert refused.status_code == 403
    unknown = client.post(
        "/api/v1/benchmarking/rounds", {**body, "clusters": ["atlantis"]},
        content_type="application/json", headers=bearer("staff"),
    )  # fmt: skip
    assert unknown.status_code == 422 and "clusters" in unknown.json()["detail"]
    exported = client.get(
        "/api/v1/benchmarking/frameworks/atclusters-cluster-management", headers=bearer("staff")
    ).json()
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "framework.json"
    again = client.post(
        "/api/v1/benchmarking/frameworks", {"file": upload}, headers=bearer("admin")
    )
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"


def test_a_cluster_the_reader_may_not_see_answers_like_one_that_does_not_exist(
    world, validated, client, bearer
):
    """Issue 16, item 12: the peers and report of an unpublished cluster of another agency
    answer 404 with the same body as a cluster that does not exist (before: 403 against 422,
    which confirmed that the cluster exists); a published cluster whose results the reader
    may not see stays 403."""
    for path in ("peers", "report"):
        answers = [
            client.get(
                f"/api/v1/benchmarking/{path}?cluster={slug}&year=2025", headers=bearer(role)
            )
            for slug, role in (("hidden", "staff"), ("hidden", "manager"), ("nowhere", "staff"))
        ]
        assert [answer.status_code for answer in answers] == [404, 404, 404]
        hidden, _hidden_too, missing = (answer.json() for answer in answers)
        assert hidden == {"detail": "no cluster 'hidden'"}
        assert missing == {"detail": "no cluster 'nowhere'"}
        shown = client.get(
            f"/api/v1/benchmarking/{path}?cluster=sea&year=2025", headers=bearer("staff")
        )
        assert shown.status_code == 403
    own = client.get(
        "/api/v1/benchmarking/peers?cluster=hidden&year=2025", headers=bearer("other_staff")
    )
    assert own.status_code == 422 and "year" in own.json()["detail"]  # seen, no answers yet
