"""NUL characters in requests (issue 16): PostgreSQL cannot store them, so none reaches a view
of the pages (400), a path holding one names nothing (404), and the API is left to its own
parser, which names the field (tests/api/test_parser.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atclusters.registry.models import ClusterOrganisation
from tests.benchmarking.conftest import submission  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_path_holding_nul_names_nothing(client, bearer, world):
    for method in (client.get, client.patch):
        response = method("/api/v1/clusters/fo%00od", headers=bearer("staff"))
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert client.get("/en/clusters/fo%00od/").status_code == 404


def test_a_form_field_holding_nul_is_refused_however_the_form_is_sent(login, world, submission):  # noqa: F811
    client = login(world.manager)
    url = reverse("benchmarking_field", args=[submission.pk, "S01"])
    # The autosave reads request.POST itself: no form field validates the reason.
    multipart = client.post(url, {"value-S01": "5", "reason-S01": "typed\x00"})
    assert multipart.status_code == 400
    urlencoded = client.post(
        url, "value-S01=5&reason-S01=typed%00", content_type="application/x-www-form-urlencoded"
    )
    assert urlencoded.status_code == 400
    submission.refresh_from_db()
    assert "S01" not in submission.reasons


def test_a_file_is_left_to_its_importer(login, world):
    upload = SimpleUploadedFile("clusters.csv", b"slug,name,country\nx,Bad\x00Name,ES\n")
    response = login(world.staff).post(reverse("import"), {"kind": "clusters", "file": upload})
    assert response.status_code == 200 and "NUL character" in response.text
    assert not ClusterOrganisation.objects.filter(slug="x").exists()
