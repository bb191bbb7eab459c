"""The pages of EU funding as each role sees them: calls are public, entering and importing
them is for agency staff, feeds are their agency's, the review queue is staff's."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atclusters.funding.models import Call, CallFeed, Participation
from tests.factories import OrganisationFactory
from tests.funding.factories import BEFORE, call_saved, cordis_imported, fixture, portal_imported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_the_deadlines():
    with time_machine.travel(BEFORE, tick=False):
        yield


def test_everyone_reads_the_calls_and_a_call_in_brussels_time(client, world):
    portal_imported()
    page = client.get(reverse("funding_calls")).content.decode()
    assert "Innovative food processing technologies" in page and "New call" not in page
    assert "forthcoming" in page and "17/09/2026 17:00" in page  # day first, in English too
    call = Call.objects.get(identifier="HORIZON-CL6-2026-FARM2FORK-01-03")
    detail = client.get(reverse("funding_call", args=[call.pk])).content.decode()
    assert "17/09/2026 17:00" in detail and "17/02/2027 17:00" in detail
    assert "sugar &amp; fat" in detail  # the text, escaped
    filtered = client.get(reverse("funding_calls"), {"programme": "LIFE"}).content.decode()
    assert "Climate action projects" in filtered and "Euroclusters" not in filtered


def test_a_planted_script_in_a_call_is_shown_as_text(client, world):
    call = call_saved(description="<script>alert(1)</script>", title="<b>Bold</b>")
    page = client.get(reverse("funding_call", args=[call.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("rep", 403), ("manager", 403), ("staff", 200), ("other_staff", 200),
     ("admin", 200)],
)  # fmt: skip
def test_only_agency_staff_open_the_call_form(login, world, role, status):
    client = login(getattr(world, role) if role else None)
    assert client.get(reverse("funding_call_create")).status_code == status
    assert client.get(reverse("funding_call_import")).status_code == status
    assert client.get(reverse("funding_cordis_import")).status_code == status
    assert client.get(reverse("funding_review")).status_code == status


@pytest.fixture
def admin(world):
    world.admin.is_superuser = True
    world.admin.save()
    return world.admin


def test_staff_enter_a_two_stage_call_and_see_a_refusal_on_the_field(client, world):
    client.force_login(world.staff)
    form = {
        "identifier": "CREA-CULT-2026-DISTRICTS", "programme": "Creative Europe",
        "title": "European Creative Districts", "deadline_model": "two-stage",
        "deadlines": "2026-10-01", "opening_date": "2026-05-01",
    }  # fmt: skip
    refused = client.post(reverse("funding_call_create"), form)
    assert refused.status_code == 200 and "two deadlines" in refused.content.decode()
    saved = client.post(
        reverse("funding_call_create"), form | {"deadlines": "2026-10-01; 2027-03-01 12:00"}
    )
    call = Call.objects.get(identifier="CREA-CULT-2026-DISTRICTS")
    assert saved.status_code == 302 and saved["Location"] == reverse("funding_call", args=[call.pk])
    assert [m.strftime("%H:%M") for m in call.deadline_moments()] == ["17:00", "12:00"]
    edit = client.get(reverse("funding_call_edit", args=[call.pk])).content.decode()
    assert "2026-10-01 17:00; 2027-03-01 12:00" in edit


def test_staff_import_the_portals_answer_checking_first(client, world):
    client.force_login(world.staff)
    upload = SimpleUploadedFile("search.json", fixture("sedia_search.json"))
    checked = client.post(reverse("funding_call_import"), {"file": upload, "dry_run": "on"})
    assert "nothing was written (check only)" in checked.content.decode()
    assert Call.objects.count() == 0
    upload = SimpleUploadedFile("search.json", fixture("sedia_search.json"))
    client.post(reverse("funding_call_import"), {"file": upload})
    assert Call.objects.count() == 3


def test_feeds_belong_to_the_agency(client, world, monkeypatch):
    client.force_login(world.staff)
    added = client.post(
        reverse("funding_feeds"),
        {"agency": world.agency.pk, "name": "Food", "url": "https://api.example.org/search"},
    )
    assert added.status_code == 302
    refused = client.post(
        reverse("funding_feeds"),
        {"agency": world.agency.pk, "name": "Inside", "url": "http://localhost:8000/admin"},
    )
    assert "Only addresses on the ports 80, 443 are read." in refused.content.decode()
    other = client.post(
        reverse("funding_feeds"),
        {"agency": world.other_agency.pk, "name": "Theirs", "url": "https://example.org/"},
    )
    assert "Select a valid choice" in other.content.decode()
    feed = CallFeed.objects.get()
    client.force_login(world.other_staff)
    assert "api.example.org" not in client.get(reverse("funding_feeds")).content.decode()
    assert client.post(reverse("funding_feed_run", args=[feed.pk])).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("funding_feeds")).status_code == 403


def test_the_cluster_page_ranks_calls_and_shows_the_members_projects(client, world):
    world.member.pic = "999111222"
    world.member.save()
    portal_imported()
    cordis_imported()
    page = client.get(reverse("funding_cluster", args=[world.cluster.slug])).content.decode()
    assert "SEAFOOD4ALL" in page and "coordinator" in page
    assert "<svg" in page  # the charts of the track record
    assert client.get(reverse("funding_cluster", args=["hidden"])).status_code == 404
    region = client.get(reverse("funding_region", args=["ES11"])).content.decode()
    assert "EU projects in" in region


def test_staff_review_uncertain_links(client, world):
    OrganisationFactory(name="Atlantic Canning Cooperative", country_id="ES")
    cordis_imported()
    pending = Participation.objects.get(review="pending")
    client.force_login(world.rep)
    assert client.post(reverse("funding_review_decide", args=[pending.pk])).status_code == 403
    client.force_login(world.staff)
    assert "Atlantic Canners Cooperative" in client.get(reverse("funding_review")).content.decode()
    client.post(reverse("funding_review_decide", args=[pending.pk]), {"decision": "confirm"})
    assert Participation.objects.get(pk=pending.pk).review == "confirmed"


def test_the_cordis_page_imports_both_files(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("funding_cordis_import"),
        {
            "projects": SimpleUploadedFile("project.csv", fixture("project.csv")),
            "participants": SimpleUploadedFile("organization.csv", fixture("organization.csv")),
        },
    )
    assert "2 projects, 5 participants" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "Convocatorias de financiación UE"), ("gl", "Convocatorias de financiamento UE"),
     ("pt", "Concursos de financiamento UE"), ("fr", "Appels de financement UE")],
)  # fmt: skip
def test_the_pages_speak_each_language(client, world, language, title):
    from django.utils import translation

    portal_imported()
    call = Call.objects.get(identifier="HORIZON-CL6-2026-FARM2FORK-01-03")
    with translation.override(language):
        calls_url = reverse("funding_calls")
        call_url = reverse("funding_call", args=[call.pk])
        cluster_url = reverse("funding_cluster", args=[world.cluster.slug])
    assert title in client.get(calls_url).content.decode()
    detail = client.get(call_url).content.decode()
    assert {"es": "en dos fases", "gl": "en dúas fases", "pt": "em duas fases",
            "fr": "en deux étapes"}[language] in detail  # fmt: skip
    assert client.get(cluster_url).status_code == 200


def test_the_characterization_report_shows_the_members_eu_projects(login, world):
    world.member.pic = "999111222"  # the coordinator of SEAFOOD4ALL in the CORDIS extract
    world.member.save()
    assert cordis_imported().ok
    page = (
        login(world.staff)
        .get(reverse("benchmarking_report", args=[world.cluster.slug, 2026]))
        .content.decode()
    )
    section = page[page.index('id="eu-projects"') :]
    assert "SEAFOOD4ALL" in section and "1,500,000.00" in section
    assert "EU proposals" not in section[: section.index("</section>")]  # none visible
