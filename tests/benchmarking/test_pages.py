"""Benchmarking pages: opening a round, answering (whole form, autosave of one field, the Excel
template), sending, reviewing, and who may see what."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from atclusters.benchmarking import services, workbook
from atclusters.benchmarking.models import Round, Submission
from atclusters.core.errors import InvalidFields
from tests.benchmarking.conftest import all_answers

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(name, args=args)


def test_staff_open_a_round_for_their_clusters_only(world, login, submission):
    page = login(world.staff).get(url("benchmarking_round_open"))
    assert page.status_code == 200
    assert "Food Cluster" in page.text and "Sea Cluster" not in page.text
    posted = login(world.staff).post(
        url("benchmarking_round_open"),
        {
            "agency": world.agency.pk,
            "framework": submission.round.framework.pk,
            "year": 2025,
            "title": "Second round",
            "deadline": "2099-01-31",
            "clusters": [world.cluster.pk, world.draft.pk],
        },
    )
    round_ = Round.objects.get(title="Second round")
    assert posted.status_code == 302 and posted["Location"] == url("benchmarking_round", round_.pk)
    assert round_.submissions.count() == 2
    foreign = login(world.staff).post(
        url("benchmarking_round_open"),
        {"agency": world.other_agency.pk, "framework": submission.round.framework.pk,
         "year": 2025, "title": "Foreign", "deadline": "2099-01-31",
         "clusters": [world.other_cluster.pk]},
    )  # fmt: skip
    assert foreign.status_code == 200 and not Round.objects.filter(title="Foreign").exists()
    for user in (world.manager, world.nobody):
        assert login(user).get(url("benchmarking_round_open")).status_code == 403
    assert login(world.other_staff).get(url("benchmarking_round", round_.pk)).status_code == 404
    detail = login(world.staff).get(url("benchmarking_round", round_.pk))
    assert "Draft Cluster" in detail.text and "Food Cluster" in detail.text


def test_autosave_saves_a_valid_answer_and_refuses_an_invalid_one(world, login, submission):
    client = login(world.manager)
    field = url("benchmarking_field", submission.pk, "S05")
    saved = client.post(field, {"value-S05": "55"}, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'id="field-S05"' in saved.text
    assert 'id="progress" hx-swap-oob="true"' in saved.text
    submission.refresh_from_db()
    assert submission.values["S05"] == 55.0
    refused = client.post(field, {"value-S05": "140"}, headers={"HX-Request": "true"})
    assert "must be at most 100" in refused.text and 'value="140"' in refused.text
    submission.refresh_from_db()
    assert submission.values["S05"] == 55.0
    # S01 is computed (1 member): another answer needs a reason, given with it.
    computed = url("benchmarking_field", submission.pk, "S01")
    without = client.post(computed, {"value-S01": "20"})
    assert "give a reason" in without.text
    with_reason = client.post(
        computed, {"value-S01": "20", "reason-S01": "members joined in December"}
    )
    assert "give a reason" not in with_reason.text
    submission.refresh_from_db()
    assert submission.values["S01"] == 20 and submission.reasons["S01"].startswith("members")


def test_whole_form_is_all_or_nothing_then_sent_and_validated(world, login, submission):
    client = login(world.manager)
    answers = {f"value-{code}": value for code, value in all_answers(submission).items()}
    bad = client.post(url("benchmarking_submission", submission.pk), {**answers, "value-G02": "x"})
    assert bad.status_code == 400 and "Nothing was saved" in bad.text
    submission.refresh_from_db()
    assert "G01" not in submission.values or submission.values["G01"] != 1.0
    sent = client.post(url("benchmarking_submission", submission.pk), {**answers, "submit": "1"})
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    # The manager cannot review; staff of another agency cannot even see it.
    client.post(url("benchmarking_review", submission.pk), {"decision": "validate"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert (
        login(world.other_staff).get(url("benchmarking_submission", submission.pk)).status_code
        == 403
    )
    staff = login(world.staff)
    staff.post(url("benchmarking_review", submission.pk), {"decision": "changes", "comment": ""})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED  # a request for changes says what
    staff.post(
        url("benchmarking_review", submission.pk),
        {"decision": "changes", "comment": "<script>alert(1)</script> G03 looks wrong"},
    )
    page = login(world.manager).get(url("benchmarking_submission", submission.pk))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; G03 looks wrong" in page.text
    assert "<script>alert(1)" not in page.text
    login(world.manager).post(url("benchmarking_submit", submission.pk))
    login(world.staff).post(url("benchmarking_review", submission.pk), {"decision": "validate"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.VALIDATED


def test_pages_need_csrf(world, submission):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    response = client.post(url("benchmarking_field", submission.pk, "S05"), {"value-S05": "5"})
    assert response.status_code == 403
    submission.refresh_from_db()
    assert "S05" not in submission.values


def filled_template(client, submission, changes: dict) -> bytes:
    content = client.get(url("benchmarking_template", submission.pk)).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[workbook.SHEET]
    for row in range(workbook.FIRST_ROW, sheet.max_row + 1):
        code = sheet.cell(row, 1).value
        if code in changes:
            value, reason = (
                changes[code] if isinstance(changes[code], tuple) else (changes[code], None)
            )
            sheet.cell(row, workbook.ANSWER_COLUMN).value = value
            if reason:
                sheet.cell(row, workbook.REASON_COLUMN).value = reason
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, submission, content: bytes):
    file = io.BytesIO(content)
    file.name = "answers.xlsx"
    return client.post(url("benchmarking_upload", submission.pk), {"file": file})


def test_excel_template_round_trip_with_errors_by_cell(world, login, submission):
    client = login(world.manager)
    template = client.get(url("benchmarking_template", submission.pk), HTTP_ACCEPT_LANGUAGE="es")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = {
        sheet_row[0]: index
        for index, sheet_row in enumerate(
            openpyxl.load_workbook(io.BytesIO(template.content))[workbook.SHEET].iter_rows(
                values_only=True
            ),
            start=1,
        )
    }
    bad = upload(
        client,
        submission,
        filled_template(client, submission, {"S05": 140, "G04": "maybe", "G01": 2}),
    )
    assert bad.status_code == 400
    assert f"Answers!H{rows['S05']}" in bad.text and "must be at most 100" in bad.text
    assert f"Answers!H{rows['G04']}" in bad.text and "is not yes or no" in bad.text
    submission.refresh_from_db()
    assert "G01" not in submission.values  # all or nothing: the valid G01 was not saved either
    good = upload(
        client,
        submission,
        filled_template(
            client, submission,
            {"S05": 80, "G04": "yes", "G01": 2, "S01": (40, "founding members not yet recorded"),
             "F01": 250000},
        ),
    )  # fmt: skip
    assert good.status_code == 302
    submission.refresh_from_db()
    assert (submission.values["S05"], submission.values["G04"], submission.values["F01"]) == (
        80.0, True, 250000.0,
    )  # fmt: skip
    assert submission.reasons["S01"] == "founding members not yet recorded"


def test_a_template_of_another_cluster_is_refused(world, login, submission):
    other = Submission.objects.create(round=submission.round, cluster=world.draft)
    client = login(world.manager)
    content = filled_template(client, other, {"S02": 10})
    refused = upload(client, submission, content)
    assert refused.status_code == 400 and "Answers!B1" in refused.text
    not_excel = upload(client, submission, b"code,answer\nS02,10\n")
    assert not_excel.status_code == 400 and "not a readable XLSX workbook" in not_excel.text


def test_history_report_and_permissions(world, login, submission):
    client = login(world.manager)
    history = client.get(url("benchmarking_history", world.cluster.slug))
    assert history.status_code == 200 and "Galician clusters 2025" in history.text
    report = client.get(url("benchmarking_report", world.cluster.slug, 2025))
    assert report.status_code == 200
    assert "No validated benchmarking answers for this year." in report.text
    pdf = client.get(url("benchmarking_report_pdf", world.cluster.slug, 2025))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for user in (world.rep, world.nobody, world.other_staff):
        assert (
            login(user).get(url("benchmarking_report", world.cluster.slug, 2025)).status_code == 403
        )
    assert login(None).get(url("benchmarking_history", world.cluster.slug)).status_code == 302


def test_index_lists_my_rounds(world, login, submission):
    mine = login(world.manager).get(url("benchmarking"))
    assert "Galician clusters 2025" in mine.text and "Open a round" not in mine.text
    staff = login(world.staff).get(url("benchmarking"))
    assert "Open a round" in staff.text and "Galician clusters 2025" in staff.text


def test_autosave_of_an_unknown_indicator_is_not_found(world, login, submission):
    response = login(world.manager).post(
        url("benchmarking_field", submission.pk, "ZZ9"), {"value-ZZ9": "1"}
    )
    assert response.status_code == 404


def test_pages_of_a_cluster_the_reader_may_not_see_are_not_found(world, login, submission):
    """Issue 16, item 12: the history, report and comparison of another agency's unpublished
    cluster answer 404, like a cluster that does not exist; a published one stays 403."""
    framework = submission.round.framework
    hidden = services.round_open(
        actor=world.other_staff, agency=world.other_agency, framework=framework, year=2025,
        title="Hidden round", deadline=date(2026, 3, 31), clusters=[world.other_draft],
    ).submissions.get()  # fmt: skip
    client = login(world.staff)
    for name, args in (
        ("benchmarking_history", ["hidden"]),
        ("benchmarking_report", ["hidden", 2025]),
        ("benchmarking_report_pdf", ["hidden", 2025]),
        ("benchmarking_history", ["nowhere"]),
        ("benchmarking_report", ["nowhere", 2025]),
    ):
        assert client.get(url(name, *args)).status_code == 404, (name, args)
    for name in ("benchmarking_comparison", "benchmarking_submission"):
        assert client.get(url(name, hidden.pk)).status_code == 404
        assert client.get(url(name, 999_999)).status_code == 404
    assert client.get(url("benchmarking_history", "sea")).status_code == 403
    assert (
        login(world.other_staff).get(url("benchmarking_submission", hidden.pk)).status_code == 200
    )


def test_the_answer_form_speaks_the_readers_language(world, login, submission):
    """The platform's formulas and the answers' errors are worded in the page's language."""
    client = login(world.manager)
    with translation.override("pt"):
        page = client.get(url("benchmarking_submission", submission.pk)).text
        refused = client.post(
            url("benchmarking_field", submission.pk, "S05"),
            {"value-S05": "muitos"},
            headers={"HX-Request": "true"},
        ).text
        computed = client.post(
            url("benchmarking_field", submission.pk, "S01"), {"value-S01": "20"}
        ).text
    assert "adesões em vigor em 31/12/2025" in page
    assert "memberships in force" not in page
    assert "«muitos» não é um número" in refused
    assert "difere do valor calculado: indique o motivo" in computed
    with translation.override("fr"), pytest.raises(InvalidFields) as error:
        services.submission_save(
            actor=world.manager, submission=submission, answers={"S05": "140", "X99": "1"}
        )
    assert error.value.errors == {
        "S05": "doit être au plus 100",
        "X99": "n'est pas un indicateur de ce référentiel",
    }


def test_the_report_shows_the_validated_fte_when_the_profile_has_none(world, login, submission):
    assert world.cluster.management_team_fte is None
    services.submission_save(
        actor=world.manager,
        submission=submission,
        answers={**all_answers(submission), "G01": "5.2"},
    )
    services.submission_submit(actor=world.manager, submission=submission)
    services.submission_review(actor=world.staff, submission=submission, validate=True)
    report = login(world.manager).get(url("benchmarking_report", world.cluster.slug, 2025)).text
    fte = report.split("Management team (FTE)</th><td>")[1].split("</td>")[0]
    assert fte.startswith("5.2") and "validated answer, 2025" in fte
    world.cluster.management_team_fte = Decimal("3.5")
    world.cluster.save()
    report = login(world.manager).get(url("benchmarking_report", world.cluster.slug, 2025)).text
    assert report.split("Management team (FTE)</th><td>")[1].startswith("3.5</td>")
