"""A benchmarking round run end to end by the roles involved: agency staff open it, the cluster
manager answers (autosave, the Excel template) and sends, staff ask for a change, the manager
corrects, staff validate, and the manager compares the cluster with its peers. The pages pass
axe."""

import io
import re
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from atclusters.benchmarking import frameworks, services, workbook
from atclusters.benchmarking.models import Submission
from atclusters.core.reference import reference_load
from tests.browser.test_accessibility import serious_violations
from tests.factories import AgencyFactory, ClusterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(transactional_db):
    """An agency with staff (ana), a cluster managed by marta, and five peer clusters whose
    2025 answers are validated (committed members 10, 12, 14, 16, 18: one size band)."""
    reference_load()
    agency = AgencyFactory(slug="igape", name="IGAPE")
    staff, manager = UserFactory(username="ana"), UserFactory(username="marta")
    agency.staff.add(staff)
    cluster = ClusterFactory(slug="clusaga", name="Clúster Alimentario", agency=agency)
    cluster.managers.add(manager)
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    peers = [ClusterFactory(slug=f"peer-{i}", agency=agency) for i in range(5)]
    earlier = services.round_open(
        actor=None, agency=agency, framework=framework, year=2025, title="Peers 2025",
        deadline=date(2026, 3, 31), clusters=peers,
    )  # fmt: skip
    for number, submission in enumerate(earlier.submissions.order_by("cluster__slug")):
        Submission.objects.filter(pk=submission.pk).update(
            values={"S01": 10 + 2 * number, "S05": 20.0 + number}, status="validated"
        )
    return cluster


def log_in(page, url, username):
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("main form button[type=submit]")
    expect(page.get_by_role("link", name="Benchmarking")).to_be_visible()


def fill_template(content: bytes, answers: dict) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[workbook.SHEET]
    for row in range(workbook.FIRST_ROW, sheet.max_row + 1):
        code = sheet.cell(row, 1).value
        indicator = sheet.cell(row, 4).value
        if sheet.cell(row, workbook.ANSWER_COLUMN).value not in (None, ""):
            continue
        answer = answers.get(
            code, {"boolean": "yes", "choice": "none", "text": ""}.get(indicator, 3)
        )
        sheet.cell(row, workbook.ANSWER_COLUMN).value = answer
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_a_round_from_opening_to_peer_comparison(live_server, browser, partnership, tmp_path):
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, "ana")
    staff.get_by_role("link", name="Benchmarking").click()
    staff.get_by_role("link", name="Open a round").click()
    staff.select_option("select[name=framework]", index=1)
    staff.fill("input[name=year]", "2025")
    staff.fill("input[name=title]", "Galician clusters 2025")
    staff.fill("input[name=deadline]", "2099-03-31")
    staff.get_by_label("Clúster Alimentario").check()
    staff.get_by_role("button", name="Open the round").click()
    expect(staff.locator("main")).to_contain_text("Clúster Alimentario")
    expect(staff.locator("main")).to_contain_text("draft")

    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "marta")
    manager.get_by_role("link", name="Benchmarking").click()
    manager.get_by_role("link", name="Galician clusters 2025 (2025)").click()
    members_active = manager.locator("#value-S05")
    members_active.fill("140")
    members_active.blur()
    expect(manager.locator("#field-S05")).to_contain_text("must be at most 100")
    manager.locator("#value-S05").fill("55")
    manager.locator("#value-S05").blur()
    expect(manager.locator("#field-S05")).to_contain_text("Saved")
    expect(manager.locator("#progress")).to_contain_text("8 / 36")

    with manager.expect_download() as download:
        manager.get_by_role("link", name="Download the template (.xlsx)").click()
    filled = tmp_path / "answers.xlsx"
    filled.write_bytes(fill_template(download.value.path().read_bytes(), {"G01": 1.5}))
    manager.set_input_files("#template-file", str(filled))
    manager.get_by_role("button", name="Upload").click()
    expect(manager.locator(".messages")).to_contain_text("The template's answers are saved.")
    expect(manager.locator("#progress")).to_contain_text("36 / 36")
    manager.get_by_role("button", name="Save and send for review").click()
    expect(manager.locator("#status")).to_have_text("submitted")

    submission_url = manager.url
    staff.goto(submission_url)
    staff.fill("#review-comment", "G03: the manager has more years of experience.")
    staff.get_by_role("button", name="Request changes").click()
    expect(staff.locator("#status")).to_have_text("changes requested")

    manager.reload()
    expect(manager.locator("main")).to_contain_text("the manager has more years of experience")
    manager.locator("#value-G03").fill("12")
    manager.locator("#value-G03").blur()
    expect(manager.locator("#field-G03")).to_contain_text("Saved")
    manager.get_by_role("button", name="Save and send for review").click()
    expect(manager.locator("#status")).to_have_text("submitted")

    staff.reload()
    staff.get_by_role("button", name="Validate").click()
    expect(staff.locator("#status")).to_have_text("validated")

    manager.reload()
    manager.get_by_role("link", name="Compare with peers").click()
    expect(manager.locator("svg.radar-chart")).to_be_visible()
    committed = manager.locator("tr", has_text="S01 · Committed members")
    expect(committed.locator("td").nth(5)).to_have_text("14")  # median of 10 12 14 16 18
    assert serious_violations(manager) == []
    manager.goto(submission_url)
    assert serious_violations(manager) == []
    manager.get_by_role("link", name="Characterization report").click()
    expect(manager).to_have_url(re.compile(r"/benchmarking/clusters/clusaga/report/2025/$"))
    expect(manager.locator("#benchmarking")).to_contain_text("Strengths")
