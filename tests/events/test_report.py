"""The events section of the cluster characterization report (benchmarking's), read through
events.selectors.report_section: the year's meetings, the cluster's people at trainings and
conferences with their certificates and B2B meetings, and the events it organised."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from atclusters.benchmarking import reports
from atclusters.events import selectors, services
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")


def on(month: int, day: int, hour: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=MADRID)


@pytest.fixture
def year_of_events(world, events):
    """2025 for the Food Cluster: two council meetings (one attended by its manager) and a
    working-group meeting, a meeting of another agency's; a training it organised where its
    member's representative earned a certificate and an outsider took part; a conference of the
    agency's where the representative had a B2B meeting scheduled with the outsider."""
    w = world
    for month, kind in ((2, "council"), (6, "council"), (9, "authorities")):
        meeting = services.meeting_save(
            actor=w.staff, agency=w.agency, title=f"{kind} {month}", kind=kind,
            starts_at=on(month, 3, 10), ends_at=on(month, 3, 12), invite_clusters=[w.cluster],
        )  # fmt: skip
        if month == 2:
            services.meeting_attendance_record(actor=w.staff, meeting=meeting, present=[w.manager])
    services.meeting_save(
        actor=w.manager, agency=w.agency, group=events.group, title="Group",
        starts_at=on(10, 1, 10), ends_at=on(10, 1, 11),
    )  # fmt: skip
    services.meeting_save(  # the year after: not counted
        actor=w.staff, agency=w.agency, title="Later", kind="council",
        starts_at=on(1, 10, 10, 2026), ends_at=on(1, 10, 12, 2026), invite_clusters=[w.cluster],
    )  # fmt: skip
    services.meeting_save(  # nothing to do with the cluster
        actor=w.other_staff, agency=w.other_agency, title="Elsewhere", kind="council",
        starts_at=on(2, 3, 10), ends_at=on(2, 3, 12),
    )  # fmt: skip
    outsider = OrganisationFactory(slug="outside-co", name="Outside Co")
    guest = UserFactory(username="guest")
    outsider.representatives.add(guest)
    training = services.event_save(
        actor=w.staff, agency=w.agency, kind="training", title="Tenders 2025", capacity=10,
        starts_at=on(4, 1, 9), ends_at=on(4, 2, 14), cluster=w.cluster, completion_percent=50,
    )  # fmt: skip
    session = services.session_save(
        actor=w.staff, event=training, title="Day 1", starts_at=on(4, 1, 9), ends_at=on(4, 1, 14)
    )
    seats = [
        services.registration_create(actor=w.staff, event=training, user=user, organisation=org)
        for user, org in ((w.rep, w.member), (guest, outsider), (w.nobody, None))
    ]
    # The third booked but did not come: attendance was taken, so they are not present.
    services.attendance_record(actor=w.staff, session=session, present=seats[:2])
    services.certificates_issue(actor=w.staff, event=training)
    conference = services.event_save(
        actor=w.staff, agency=w.agency, kind="conference", title="Atlantic 2025", capacity=50,
        starts_at=on(5, 6, 9), ends_at=on(5, 6, 19), b2b_slots=["2025-05-06T15:00+02:00"],
        b2b_tables=2,
    )  # fmt: skip
    profiles = []
    for user, org in ((w.rep, w.member), (guest, outsider)):
        registration = services.registration_create(
            actor=w.staff, event=conference, user=user, organisation=org
        )
        profile = services.b2b_profile_save(
            actor=None, registration=registration, organisation=org,
            available=conference.b2b_slots,
        )  # fmt: skip
        profiles.append(profile)
    request = services.b2b_request_create(actor=w.rep, requester=profiles[0], recipient=profiles[1])
    services.b2b_request_answer(actor=guest, request=request, accept=True)
    services.b2b_schedule(actor=w.staff, event=conference)
    services.registration_create(actor=w.staff, event=conference, user=w.manager)
    return training


def test_the_years_events_of_the_cluster(world, year_of_events):
    section = selectors.report_section(cluster=world.cluster, year=2025, user=world.staff)
    assert section.meetings == [
        ("cluster council", 2), ("meeting with the regional authorities", 1),
        ("working-group meeting", 1),
    ]  # fmt: skip
    assert (section.meetings_held, section.meetings_attended) == (4, 1)
    # The representative (for the member) and the manager; the outsider's guest is not theirs.
    assert section.trainings == selectors.Participation(
        events=1, people=1, organisations=1, certificates=1
    )
    assert section.conferences == selectors.Participation(
        events=1, people=2, organisations=1, certificates=0
    )
    assert section.b2b_meetings == 1
    (organised,) = section.organised
    assert (organised.title, organised.ended, organised.participants) == (
        "Tenders 2025", date(2025, 4, 2), 2
    )  # fmt: skip
    nothing = selectors.report_section(cluster=world.cluster, year=2024, user=world.staff)
    assert nothing.empty and not section.empty


def test_the_member_counts_only_while_a_member(world, year_of_events):
    # A membership that ended before the training: its representative is no longer theirs.
    world.member.memberships.update(until=date(2025, 3, 31))
    section = selectors.report_section(cluster=world.cluster, year=2025, user=world.staff)
    assert (section.trainings.people, section.conferences.people) == (0, 1)
    MembershipFactory(cluster=world.cluster, organisation=world.member, since=date(2025, 5, 1))
    section = selectors.report_section(cluster=world.cluster, year=2025, user=world.staff)
    assert (section.trainings.people, section.conferences.people) == (0, 2)


def test_the_report_page_and_pdf_show_the_section(login, world, year_of_events):
    context = reports.characterization(cluster=world.cluster, year=2025, user=world.manager,
                                       language="en")  # fmt: skip
    assert context["events"].b2b_meetings == 1
    url = reverse("benchmarking_report", args=[world.cluster.slug, 2025])
    empty_url = reverse("benchmarking_report", args=[world.cluster.slug, 2024])
    pdf_url = reverse("benchmarking_report_pdf", args=[world.cluster.slug, 2025])
    page = login(world.manager).get(url).text
    section = page.split('id="events"')[1].split("</section>")[0]
    assert "Events in 2025" in section
    assert '<td>cluster council</td><td class="number">2</td>' in section
    assert "1 B2B meeting scheduled" in section and "Tenders 2025" in section
    spanish = login(world.manager).get(url.replace("/en/", "/es/", 1))
    assert "Eventos en 2025" in spanish.text
    empty = login(world.manager).get(empty_url)
    assert "No meeting, training or conference of the cluster" in empty.text
    pdf = login(world.manager).get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
