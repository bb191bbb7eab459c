"""Writes of EU funding: calls by hand and imported (all or nothing, errors by row and column,
the same file again changes nothing), feeds read SSRF-safely, CORDIS files with linking and the
review of uncertain links; every write audited, and refused to those who may not."""

import pytest

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry
from atclusters.core.permissions import PermissionDenied
from atclusters.funding import services
from atclusters.funding.models import Call, CallFeed, Participation, Project
from tests.factories import OrganisationFactory
from tests.funding.factories import call_saved, cordis_imported, fixture, portal_imported
from tests.webserver import send, served

pytestmark = pytest.mark.django_db


def test_the_portals_answer_imports_calls_with_brussels_deadlines_and_terms(world):
    report = portal_imported()
    assert (report.rows, report.created) == (3, 3)
    call = Call.objects.get(identifier="HORIZON-CL6-2026-FARM2FORK-01-03")
    assert call.deadline_model == "two-stage"
    assert [m.isoformat() for m in call.deadline_moments()] == [
        "2026-09-17T17:00:00+02:00", "2027-02-17T17:00:00+01:00",
    ]  # fmt: skip
    assert call.deadline_at.isoformat() == "2027-02-17T16:00:00+00:00"
    assert str(call.budget_eur) == "18000000.00" and call.expected_grants == 3
    assert call.source == "portal"
    # The keywords "Agri-food" and "Food processing" name an ecosystem and a technology field.
    assert sorted(t.slug for t in call.terms.all()) == ["agri-food", "food-processing"]
    assert AuditEntry.objects.filter(model="funding.call", action="create").count() == 3
    # The same answer again changes nothing.
    again = portal_imported()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_bad_row_writes_nothing_and_names_row_and_column(world):
    table = (
        b"identifier,programme,title,deadlines,deadline_model,eligible_countries\n"
        b"GOOD-1,LIFE,Fine,2026-09-17,,ES\n"
        b"BAD-1,LIFE,Two stages,2026-09-17,two-stage,\n"
        b"BAD-2,LIFE,Unreadable,17/09/2026,,\n"
        b"BAD-3,LIFE,Nowhere,2026-09-17,,XX\n"
    )
    report = services.calls_import(actor=None, content=table, filename="calls.csv")
    assert not report.ok and Call.objects.count() == 0
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {(3, "deadlines"), (4, "deadlines"), (5, "eligible_countries")}
    assert "two deadlines" in report.errors[0].message


def test_an_answer_without_results_is_refused():
    report = services.calls_import(actor=None, content=b'{"items": []}', filename="x.json")
    assert not report.ok and report.errors[0].column == "file"


def test_only_agency_staff_and_admins_enter_calls(world):
    data = services.CallData(
        identifier="X-1",
        programme="LIFE",
        title="T",
        deadlines=services.deadlines_read("2026-09-17"),
    )
    for user in (world.manager, world.rep, world.nobody):
        with pytest.raises(PermissionDenied):
            services.call_save(actor=user, data=data)
    outcome, call = services.call_save(actor=world.staff, data=data)
    assert outcome == "created" and call.source == "hand"
    assert AuditEntry.objects.get(model="funding.call").actor == world.staff
    with pytest.raises(PermissionDenied):
        services.calls_import(actor=world.manager, content=b"", filename="x.csv")


def test_a_call_opening_after_its_deadline_is_refused(world):
    with pytest.raises(DomainError) as refused:
        call_saved(opens_at=services.opening_read("2026-10-01"))
    assert refused.value.field == "opening_date"


def test_a_feed_must_point_to_the_public_internet(world, settings):
    for url, message in (
        ("file:///etc/passwd", "Only http and https addresses are read."),
        ("http://user:pw@example.org/", "An address with a user name or password is not read."),
        ("http://example.org:8080/", "Only addresses on the ports 80, 443 are read."),
        ("gopher://example.org/", "Only http and https addresses are read."),
        ("http://10.0.0.5/calls", "Give the host's name, not an IP address."),
        ("http://[::ffff:169.254.169.254]/", "Give the host's name, not an IP address."),
        (
            "http://localhost/calls",
            "This address is not allowed: the server reads only the public internet.",
        ),
    ):
        with pytest.raises(DomainError) as refused:
            services.feed_save(actor=world.staff, agency=world.agency, name="F", url=url)
        assert (refused.value.field, refused.value.message) == ("url", message)
    settings.FETCH_ALLOWED_PORTS = [443, 8443]
    feed = services.feed_save(
        actor=world.staff, agency=world.agency, name="F", url="https://api.example.org:8443/x"
    )
    assert feed.url == "https://api.example.org:8443/x"
    with pytest.raises(PermissionDenied):
        services.feed_save(
            actor=world.other_staff, agency=world.agency, name="F", url="https://example.org/"
        )


@pytest.fixture
def portal(settings, feed_server):
    """The portal's search answer on the local server, which the fetcher may reach."""
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [80, 443, feed_server.port]
    feed_server.routes["/search"] = served(
        fixture("sedia_search.json"), content_type="application/json"
    )
    return feed_server


def test_a_feed_read_imports_its_calls_and_records_the_result(world, portal, settings):
    feed = services.feed_save(
        actor=world.staff, agency=world.agency, name="Food", url=portal.url("/search")
    )
    report = services.feed_run(actor=None, feed=feed)
    assert report.ok and Call.objects.count() == 3
    assert portal.requests[-1]["Accept"] == "application/json"
    feed.refresh_from_db()
    assert feed.last_result == "3 new, 0 updated, 0 unchanged" and feed.last_run_at
    # Read again once the address is no longer let through: refused, and the feed says so
    # without naming the address the host resolved to.
    settings.FETCH_ALLOWED_HOSTS = []
    assert not services.feed_run(actor=world.staff, feed=feed).ok
    assert CallFeed.objects.get(pk=feed.pk).last_result == (
        "row 0, column file: This address is not allowed: the server reads only the public internet."
    )
    with pytest.raises(PermissionDenied):
        services.feed_run(actor=world.other_staff, feed=feed)


def test_a_feed_redirected_inside_the_network_is_not_read(world, portal):
    portal.routes["/moved"] = lambda h: send(h, 302, Location="http://169.254.169.254/latest/")
    feed = services.feed_save(
        actor=world.staff, agency=world.agency, name="Moved", url=portal.url("/moved")
    )
    report = services.feed_run(actor=None, feed=feed)
    assert not report.ok and Call.objects.count() == 0
    assert "169.254" not in CallFeed.objects.get(pk=feed.pk).last_result


def test_the_daily_job_reads_the_active_feeds(world, portal):
    from atclusters.funding import tasks

    services.feed_save(actor=None, agency=world.agency, name="A", url=portal.url("/search"))
    services.feed_save(
        actor=None, agency=world.agency, name="B", url=portal.url("/search?b"), active=False
    )
    assert tasks.feeds_read.call() == 1
    assert [r["path"] for r in portal.requests] == ["/search"]


@pytest.fixture
def registry(world):
    return {
        "pic": OrganisationFactory(name="Conservas Atlántico", pic="999111222", country_id="ES"),
        "vat": OrganisationFactory(
            name="Pole Mer", vat_number="FR12345678901", country_id="FR", nuts_region_id="FRH04"
        ),
        "name": OrganisationFactory(
            name="UNIVERSIDADE DO ALGARVE", country_id="PT", nuts_region_id="PT150"
        ),
        "review": OrganisationFactory(name="Atlantic Canning Cooperative", country_id="ES"),
    }


def test_cordis_files_import_with_links_and_a_review_queue(registry):
    result = cordis_imported()
    assert result.ok, result.as_dict()["errors"]
    document = result.as_dict()
    assert (document["projects"], document["participants"]) == (2, 5)
    assert document["linked"] == {"pic": 1, "vat": 1, "name": 2}
    assert document["review"] == 1
    cannery = Project.objects.get(project_id="101000002")
    assert str(cannery.ec_max_contribution) == "1999998.75"  # decimal comma
    greek = Participation.objects.get(pic="999111666")
    assert greek.country == "GR" and greek.organisation is None  # CORDIS writes EL
    pending = Participation.objects.get(review="pending")
    assert pending.organisation == registry["review"] and pending.link_method == "name"
    # The review's decision stands when the files come again.
    services.participation_review(actor=None, participation=pending, confirm=False)
    again = cordis_imported()
    assert again.ok and again.review == 0
    pending.refresh_from_db()
    assert pending.review == "rejected" and pending.organisation is None


def test_cordis_files_again_update_what_changed_with_an_audit_entry_each(registry):
    cordis_imported()
    changed = fixture("organization.csv").replace(b'"900000";"900000"', b'"950000";"900000"')
    result = services.cordis_import(
        actor=None, projects=fixture("project.csv"), projects_name="project.csv",
        participants=changed, participants_name="organization.csv",
    )  # fmt: skip
    assert result.ok
    report = result.participants
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert (result.projects.created, result.projects.unchanged) == (0, 2)
    pole = Participation.objects.get(pic="999111333")
    assert str(pole.ec_contribution) == "950000.00"
    [entry] = AuditEntry.objects.filter(
        model="funding.participation", object_pk=str(pole.pk), action="update"
    )
    assert entry.changes == {"ec_contribution": ["900000.00", "950000"]}
    assert entry.object_repr == "Pôle Mer Bretagne in SEAFOOD4ALL" and entry.source == "import"
    # the first import's new rows: one entry per batch, naming each row by its key
    [created] = AuditEntry.objects.filter(model="funding.participation", action="create")
    assert created.changes["created"] == [
        "101000001/999111222", "101000001/999111333", "101000001/999111444",
        "101000002/999111555", "101000002/999111666",
    ]  # fmt: skip
    assert created.object_repr == "5 participations" and created.source == "import"
    [projects] = AuditEntry.objects.filter(model="funding.project", action="create")
    assert projects.changes == {"created": ["101000001", "101000002"]}


def test_cordis_files_all_or_nothing(registry):
    broken = fixture("organization.csv").replace(b'"999111444"', b'"12AB"')
    result = services.cordis_import(
        actor=None, projects=fixture("project.csv"), projects_name="project.csv",
        participants=broken, participants_name="organization.csv",
    )  # fmt: skip
    assert not result.ok and Project.objects.count() == 0 and Participation.objects.count() == 0
    [error] = result.participants.errors
    assert (error.row, error.column) == (4, "organisationid")
    twice = fixture("organization.csv").replace(b'"999111444"', b'"999111333"')
    result = services.cordis_import(
        actor=None, projects=fixture("project.csv"), projects_name="project.csv",
        participants=twice, participants_name="organization.csv",
    )  # fmt: skip
    assert [(e.row, e.column) for e in result.participants.errors] == [(4, "organisationid")]
    assert "appears twice" in result.participants.errors[0].message
    dry = cordis_imported(dry_run=True)
    assert dry.ok and dry.as_dict()["participants"] == 5 and Project.objects.count() == 0


def test_only_staff_import_cordis_and_review(world, registry):
    with pytest.raises(PermissionDenied):
        services.cordis_import(
            actor=world.manager, projects=b"", projects_name="p.csv", participants=b"",
            participants_name="o.csv",
        )  # fmt: skip
    cordis_imported()
    pending = Participation.objects.get(review="pending")
    with pytest.raises(PermissionDenied):
        services.participation_review(actor=world.rep, participation=pending, confirm=True)
    services.participation_review(actor=world.staff, participation=pending, confirm=True)
    assert Participation.objects.get(pk=pending.pk).review == "confirmed"
    with pytest.raises(DomainError):
        services.participation_review(actor=world.staff, participation=pending, confirm=True)


def test_a_project_twice_in_the_file_is_refused_by_row(world):
    doubled = fixture("project.csv").replace(b'"101000002"', b'"101000001"')
    result = services.cordis_import(
        actor=None, projects=doubled, projects_name="project.csv",
        participants=fixture("organization.csv"), participants_name="organization.csv",
    )  # fmt: skip
    assert not result.ok and Project.objects.count() == 0
    (error,) = result.projects.errors
    assert (error.row, error.column, error.message) == (3, "id", "appears twice in the file")
