"""The round's Excel template (issue 16): the cluster's own text is written as text, never as a
formula, and reads back as it was; an uploaded workbook is read within the import limits."""

import io
import tracemalloc

import openpyxl
import pytest
from django.urls import reverse

from atclusters.benchmarking import workbook
from atclusters.core.importing import import_limits
from atclusters.core.tables import TableError
from tests.hostile_files import declared_dimension_bomb

FORMULA = '=HYPERLINK("http://evil.example","Open")'
INDICATORS = [
    {"code": "S01", "area": "structure", "type": "text", "label": {"en": "Members"}},
    {"code": "S02", "area": "structure", "type": "number", "label": {"en": "Staff"}},
]


def template(**changes) -> bytes:
    arguments = {
        "round_id": 7,
        "round_title": "@round",
        "cluster": "food",
        "indicators": INDICATORS,
        "areas": {},
        "values": {"S01": FORMULA, "S02": 120000},
        "computed": {},
        "reasons": {"S01": "-corrected by hand"},
        "language": "en",
        "headings": {},
        **changes,
    }
    return workbook.write(**arguments)


def test_the_clusters_text_is_written_as_text_and_reads_back_as_it_was():
    content = template()
    sheet = openpyxl.load_workbook(io.BytesIO(content))[workbook.SHEET]
    answer = sheet.cell(workbook.FIRST_ROW, workbook.ANSWER_COLUMN)
    reason = sheet.cell(workbook.FIRST_ROW, workbook.REASON_COLUMN)
    title = sheet["C1"]
    assert [(c.data_type, c.value) for c in (answer, reason, title)] == [
        ("s", FORMULA),
        ("s", "-corrected by hand"),
        ("s", "@round"),
    ]
    assert sheet.cell(workbook.FIRST_ROW + 1, workbook.ANSWER_COLUMN).value == 120000
    filled = workbook.read(content, codes=["S01", "S02"], limits=import_limits())
    assert filled.answers == {"S01": FORMULA, "S02": 120000}
    assert filled.reasons == {"S01": "-corrected by hand"}
    assert (filled.round_id, filled.cluster, filled.rows) == (7, "food", {"S01": 5, "S02": 6})


def test_a_declared_huge_sheet_is_refused_without_building_its_rows():
    bomb = declared_dimension_bomb(
        {"A": "round", "B": 7}, {"A": "cluster", "B": "food"}, sheet_name=workbook.SHEET
    )
    tracemalloc.start()
    try:
        with pytest.raises(TableError) as refused:
            workbook.read(bomb, codes=["S01"], limits=import_limits())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(refused.value) == "Row 1048576 has data in column XFD; the limit is 100 columns."
    assert peak < 16 * 1024 * 1024


@pytest.mark.django_db
def test_the_upload_page_and_the_api_refuse_the_bomb(world, login, client, bearer, submission):
    bomb = declared_dimension_bomb(
        {"A": "round", "B": submission.round_id},
        {"A": "cluster", "B": submission.cluster.slug},
        sheet_name=workbook.SHEET,
    )
    expected = "Row 1048576 has data in column XFD; the limit is 100 columns."
    file = io.BytesIO(bomb)
    file.name = "answers.xlsx"
    upload_url = reverse("benchmarking_upload", args=[submission.pk])
    page = login(world.manager).post(upload_url, {"file": file})
    assert page.status_code == 400 and expected in page.text
    file.seek(0)
    api = client.post(
        f"/api/v1/benchmarking/submissions/{submission.pk}/template",
        {"file": file},
        headers=bearer("manager"),
    )
    assert api.status_code == 422 and api.json() == {"detail": {"file": [expected]}}
    before = dict(submission.values)
    submission.refresh_from_db()
    assert submission.values == before
