import pytest
from django.urls import reverse

from atclusters.events import services
from atclusters.events.models import ActionItem, Meeting, WorkingGroup
from tests.events.conftest import at, due
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("nobody", 404), ("other_staff", 404), ("rep", 200), ("staff", 200),
     ("admin", 200)],
)  # fmt: skip
def test_a_members_only_meeting_page_and_its_ics(login, world, events, role, status):
    client = login(None if role == "anonymous" else getattr(world, role))
    page = client.get(reverse("events_meeting", args=[events.meeting.pk]))
    assert page.status_code == status
    ics = client.get(reverse("events_meeting_ics", args=[events.meeting.pk]))
    assert ics.status_code == status
    if status == 200:
        assert "Kick-off" in page.text and "Welcome" in page.text
        assert ics.headers["Content-Type"].startswith("text/calendar")
        assert "DTSTART:20300305T090000Z" in ics.text  # 10:00 in Madrid


def test_staff_create_a_group_and_a_meeting_in_its_time_zone(login, world):
    client = login(world.staff)
    response = client.post(
        reverse("events_group_new"),
        {"agency": world.agency.pk, "name": "Tech watch", "goal": "", "lead": world.manager.pk,
         "members": [world.rep.pk], "visibility": "members"},
    )  # fmt: skip
    group = WorkingGroup.objects.get(name="Tech watch")
    assert response.status_code == 302
    assert set(group.members.all()) == {world.rep, world.manager}
    response = client.post(
        reverse("events_meeting_new"),
        {"title": "Watch 1", "kind": "group", "agency": world.agency.pk, "group": group.pk,
         "starts_at": "2030-06-03T10:00", "ends_at": "2030-06-03T11:00",
         "timezone": "Europe/Lisbon", "visibility": "members", "online_link": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    meeting = Meeting.objects.get(title="Watch 1")
    assert meeting.starts_at.isoformat() == "2030-06-03T09:00:00+00:00"  # Lisbon, summer time


def test_clusters_are_invited_from_a_cluster_picker(login, world):
    client = login(world.staff)
    page = client.get(reverse("events_meeting_new").replace("/en/", "/pt/")).text
    field = page.split('name="invite_clusters"')[1].split("</select>")[0]
    assert 'data-picker="/pt/pick/cluster/"' in field and "multiple" in field
    assert '<option value="sea">Sea Cluster</option>' in field  # what a reader without JS picks
    response = client.post(
        reverse("events_meeting_new"),
        {"title": "Sea and food", "kind": "group", "agency": world.agency.pk,
         "starts_at": "2030-06-03T10:00", "ends_at": "2030-06-03T11:00",
         "timezone": "Europe/Madrid", "visibility": "members", "invite_clusters": ["food"]},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert set(Meeting.objects.get(title="Sea and food").invitees.all()) == {world.manager}


@pytest.mark.parametrize("role", ["rep", "nobody", "manager"])
def test_only_agency_staff_create_groups(login, world, role):
    assert login(getattr(world, role)).get(reverse("events_group_new")).status_code == 403


def test_another_agencys_staff_convene_only_for_their_own(login, world):
    response = login(world.other_staff).post(
        reverse("events_group_new"),
        {"agency": world.agency.pk, "name": "Hijack", "lead": world.other_staff.pk,
         "visibility": "public"},
    )  # fmt: skip
    assert response.status_code == 200 and not WorkingGroup.objects.filter(name="Hijack").exists()


def test_the_lead_adds_actions_and_the_owner_closes_one(login, world, events):
    client = login(world.manager)
    client.post(
        reverse("events_action_add", args=[events.meeting.pk]),
        {"title": "Send the survey", "owner": world.rep.pk, "due": "2030-03-20"},
    )
    action = ActionItem.objects.get(title="Send the survey")
    login(world.nobody).post(reverse("events_action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "open"  # nobody cannot even see the meeting
    login(world.rep).post(reverse("events_action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"


def test_registration_page_flow_with_waiting_list(
    login, world, events, django_capture_on_commit_callbacks
):
    training = events.training
    others = [UserFactory(), UserFactory()]
    for user in others:
        services.registration_create(actor=user, event=training, user=user)
    client = login(world.nobody)
    page = client.get(reverse("events_event", args=[training.pk]))
    assert "Join the waiting list" in page.text
    page = client.post(reverse("events_register", args=[training.pk]), follow=True)
    assert "you are on the waiting list" in page.text
    assert "number 1 on the waiting list" in page.text
    seat = training.registrations.get(user=others[0])
    assert (
        login(world.nobody).post(reverse("events_registration_cancel", args=[seat.pk])).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(others[0]).post(reverse("events_registration_cancel", args=[seat.pk]))
    assert training.registrations.get(user=world.nobody).status == "confirmed"


def test_certificates_verify_publicly_and_stop_once_revoked(login, world, events):
    training = events.training
    registration = services.registration_create(actor=world.rep, event=training, user=world.rep)
    client = login(world.staff)
    for session in training.sessions.all():
        client.post(
            reverse("events_attendance", args=[training.pk, session.pk]),
            {"present": [registration.pk]},
        )
    client.post(reverse("events_certificates_issue", args=[training.pk]))
    code = registration.certificate.code
    page = login(None).get(reverse("events_verify", args=[code]))
    assert "This certificate is valid." in page.text
    assert code in login(world.rep).get(reverse("dashboard")).text  # the training record
    assert (
        login(world.nobody).get(reverse("events_certificate_pdf", args=[code])).status_code == 404
    )
    pdf = login(world.rep).get(reverse("events_certificate_pdf", args=[code]))
    assert pdf.content.startswith(b"%PDF")
    login(world.other_staff).post(
        reverse("events_certificate_revoke", args=[code]), {"reason": "x"}
    )
    assert "valid" in login(None).get(reverse("events_verify", args=[code])).text
    login(world.staff).post(reverse("events_certificate_revoke", args=[code]), {"reason": "Fraud"})
    page = login(None).get(reverse("events_verify", args=[code]))
    assert "This certificate was revoked." in page.text and "Fraud" in page.text
    assert login(None).get(reverse("events_verify", args=["NOPE"])).status_code == 404


def test_b2b_page_proposes_partners_and_sends_requests(login, world, events):
    conference = events.conference
    world.outsider.representatives.add(world.manager)
    for user, organisation in ((world.rep, world.member), (world.manager, world.outsider)):
        registration = services.registration_create(actor=user, event=conference, user=user)
        login(user).post(
            reverse("events_b2b", args=[conference.pk]),
            {"organisation": organisation.pk, "offers": "Cheese", "seeks": "Buyers",
             "available": conference.b2b_slots},
        )  # fmt: skip
        assert registration.b2b_profile.organisation == organisation
    page = login(world.rep).get(reverse("events_b2b", args=[conference.pk]))
    assert "Outsider SAS" in page.text and "in another country (FR)" in page.text
    other = conference.registrations.get(user=world.manager).b2b_profile
    login(world.rep).post(
        reverse("events_b2b_request", args=[conference.pk]), {"recipient": other.pk}
    )
    request = conference.b2b_requests.get()
    login(world.manager).post(reverse("events_b2b_answer", args=[request.pk]), {"accept": "1"})
    assert (
        login(world.rep).post(reverse("events_b2b_schedule", args=[conference.pk])).status_code
        == 403
    )
    login(world.staff).post(reverse("events_b2b_schedule", args=[conference.pk]))
    page = login(world.rep).get(reverse("events_b2b", args=[conference.pk]))
    assert "2030-05-06 15:00" in page.text
    agenda = login(world.rep).get(reverse("events_b2b_ics", args=[conference.pk])).text
    assert "SUMMARY:B2B meeting with Outsider SAS" in agenda
    assert "DTSTART:20300506T130000Z" in agenda and "DTEND:20300506T132000Z" in agenda
    assert "LOCATION:Table 1" in agenda
    printed = login(world.rep).get(reverse("events_b2b_pdf", args=[conference.pk]))
    assert printed.content.startswith(b"%PDF")
    assert login(world.nobody).get(reverse("events_b2b", args=[conference.pk])).status_code == 403


def test_events_home_lists_what_the_user_may_see(login, world, events):
    page = login(None).get(reverse("events_home"))
    assert "Atlantic conference" in page.text and "Internationalisation" not in page.text
    page = login(world.rep).get(reverse("events_home"))
    assert "Internationalisation" in page.text and "Kick-off" in page.text
    services.action_add(
        actor=world.staff, meeting=events.meeting, title="Call Lisbon", owner=world.rep,
        due=due(9),
    )  # fmt: skip
    assert "Call Lisbon" in login(world.rep).get(reverse("dashboard")).text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "Añadir al calendario"), ("gl", "Engadir ao calendario"),
     ("pt", "Adicionar ao calendário"), ("fr", "Ajouter au calendrier")],
)  # fmt: skip
def test_the_event_page_speaks_each_language(client, world, events, language, expected):
    page = client.get(f"/{language}/events/{events.training.pk}/")
    assert expected in page.text
    assert "EUR 90,00" in page.text or "EUR 90.00" in page.text


def test_public_event_page_has_schema_org_json_ld_and_calendars(client, world, events):
    page = client.get(reverse("events_event", args=[events.conference.pk]))
    assert '<script type="application/ld+json">' in page.text
    assert (
        '"@type": "Event"' in page.text and '"startDate": "2030-05-06T09:00:00+02:00"' in page.text
    )
    calendar = client.get(reverse("events_calendar"))
    assert "SUMMARY:Atlantic conference" in calendar.text
    assert "Kick-off" not in calendar.text


def test_the_personal_feed_is_secret_and_revocable(login, world, events):
    services.registration_create(actor=world.rep, event=events.training, user=world.rep)
    client = login(world.rep)
    client.post(reverse("events_my_calendar"))
    token = world.rep.event_feed.token
    login(None)
    feed = client.get(reverse("events_feed", args=[token]))
    assert "SUMMARY:Procurement course" in feed.text and "SUMMARY:Kick-off" in feed.text
    assert "Atlantic conference" not in feed.text
    login(world.rep).post(reverse("events_my_calendar"))
    assert client.get(reverse("events_feed", args=[token])).status_code == 404
    assert login(None).get(reverse("events_my_calendar")).status_code == 302


def test_import_page_is_for_organisers(login, world, events):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("events_import", args=[events.training.pk])
    assert login(world.rep).get(url).status_code == 403
    upload = SimpleUploadedFile("list.csv", b"username\nrep\n", content_type="text/csv")
    page = login(world.staff).post(url, {"kind": "participants", "file": upload})
    assert "Imported." in page.text
    assert events.training.registrations.get().user == world.rep


def test_group_discussion_with_mentions(login, world, events):
    from atclusters.core.models import OutgoingEmail

    world.rep.email = "rep@example.org"
    world.rep.save()
    group_url = reverse("events_topic_new", args=[events.group.pk])
    assert login(world.nobody).post(group_url, {"title": "x", "body": "y"}).status_code == 404
    response = login(world.manager).post(
        group_url,
        {"title": "Trade fair", "body": "<p>@rep can you go?</p><script>alert(1)</script>"},
    )
    topic = events.group.topics.get()
    assert response.headers["Location"] == reverse("events_topic", args=[topic.pk])
    page = login(world.rep).get(reverse("events_topic", args=[topic.pk]))
    assert "@rep can you go?" in page.text and "alert(1)" not in page.text
    assert OutgoingEmail.objects.get().to == ["rep@example.org"]
    login(world.rep).post(reverse("events_topic", args=[topic.pk]), {"body": "Yes."})
    assert topic.posts.count() == 2
    assert login(world.other_staff).get(reverse("events_topic", args=[topic.pk])).status_code == 404
    services.group_save(
        actor=world.staff, group=events.group, agency=world.agency, name="Internationalisation",
        goal="", lead=world.manager, members=[world.rep], visibility="signed-in",
    )  # fmt: skip
    reader = login(world.nobody)
    assert "Yes." in reader.get(reverse("events_topic", args=[topic.pk])).text
    assert reader.post(reverse("events_topic", args=[topic.pk]), {"body": "Me"}).status_code == 403


def test_group_documents_are_versioned_and_downloaded_by_those_who_see_the_group(
    login, world, events, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = reverse("events_document_upload", args=[events.group.pk])
    first = SimpleUploadedFile("../../plan.pdf", b"%PDF-1 first")
    login(world.rep).post(url, {"document": "", "title": "Plan", "file": first})
    document = events.group.documents.get()
    second = SimpleUploadedFile("plan-v2.pdf", b"%PDF-1 second")
    login(world.manager).post(
        url, {"document": str(document.pk), "file": second, "note": "Budget added"}
    )
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.filename) for v in versions] == [(1, "plan.pdf"), (2, "plan-v2.pdf")]
    assert ".." not in versions[0].file.name and "plan" not in versions[0].file.name
    download = login(world.rep).get(reverse("events_document", args=[versions[0].pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1 first"
    assert 'filename="plan.pdf"' in download.headers["Content-Disposition"]
    assert (
        login(world.other_staff).get(reverse("events_document", args=[versions[0].pk])).status_code
        == 404
    )
    group_page = login(world.rep).get(reverse("events_group", args=[events.group.pk])).text
    assert "Plan" in group_page and "version 2" in group_page and "Upload a document" in group_page
    script = SimpleUploadedFile("run.html", b"<script>")
    page = login(world.rep).post(url, {"document": "", "file": script}, follow=True)
    assert "Allowed file types" in page.text and document.versions.count() == 2
    assert login(world.nobody).post(url, {"file": second}).status_code == 404


def test_rsvp_attendance_and_repeat_on_the_meeting_page(login, world, events):
    url = reverse("events_meeting", args=[events.meeting.pk])
    assert "Will you attend?" in login(world.rep).get(url).text
    assert "Will you attend?" not in login(world.staff).get(url).text  # not asked
    login(world.rep).post(reverse("events_rsvp", args=[events.meeting.pk]), {"answer": "maybe"})
    assert events.meeting.rsvps.get().answer == "maybe"
    login(world.manager).post(
        reverse("events_meeting_attendance", args=[events.meeting.pk]),
        {"present": [world.rep.pk, world.nobody.pk]},
    )
    assert list(events.meeting.attended.all()) == [world.rep]  # only those asked
    login(world.manager).post(
        reverse("events_repeat", args=[events.meeting.pk]), {"every_days": 7, "count": 2}
    )
    assert events.group.meetings.count() == 3
    assert (
        login(world.rep)
        .post(reverse("events_repeat", args=[events.meeting.pk]), {"every_days": 7, "count": 2})
        .status_code
        == 403
    )


def test_conference_programme_by_day_time_and_room(client, world, events):
    from tests.events.conftest import at

    conference = events.conference
    ada = services.speaker_save(
        actor=world.staff, event=conference, name="Ada Lovelace", affiliation="Analytical",
        bio="Wrote the first program.",
    )  # fmt: skip
    services.session_save(
        actor=world.staff, event=conference, title="Opening", starts_at=at(5, 6, 9),
        ends_at=at(5, 6, 10), room="Hall", track="Plenary", speakers=[ada],
    )  # fmt: skip
    services.session_save(
        actor=world.staff, event=conference, title="Ports", starts_at=at(5, 6, 10),
        ends_at=at(5, 6, 11), room="Room 2",
    )  # fmt: skip
    with pytest.raises(services.DomainError):
        services.session_save(
            actor=world.staff, event=conference, title="Late", starts_at=at(5, 7, 9),
            ends_at=at(5, 7, 10),
        )  # fmt: skip
    page = client.get(reverse("events_programme", args=[conference.pk]))
    assert page.status_code == 200
    text = page.text
    assert text.index("Hall") < text.index("Room 2") and "Ada Lovelace" in text
    assert "Wrote the first program." in text and "Plenary" in text
    assert client.get(reverse("events_programme", args=[999])).status_code == 404


def test_badge_and_check_in_at_the_door(login, world, events):
    conference = events.conference
    seat = services.registration_create(actor=world.rep, event=conference, user=world.rep)
    badge = login(world.rep).get(reverse("events_badge", args=[seat.pk]))
    assert seat.badge_code in badge.text and len(seat.badge_code) == 10
    assert login(world.nobody).get(reverse("events_badge", args=[seat.pk])).status_code == 404
    url = reverse("events_check_in", args=[conference.pk])
    assert login(world.rep).get(url).status_code == 403
    door = login(world.staff)
    spaced = f" {seat.badge_code[:5].lower()} {seat.badge_code[5:]} "
    page = door.post(url, {"code": spaced})
    assert page.status_code == 200 and "Welcome, rep." in page.text
    again = door.post(url, {"code": seat.badge_code})
    assert again.status_code == 422 and "checked in already" in again.text
    assert door.post(url, {"code": "NOPE"}).status_code == 422
    other = services.registration_create(
        actor=world.manager, event=events.training, user=world.manager
    )
    assert door.post(url, {"code": other.badge_code}).status_code == 422  # another event


def test_feedback_once_after_the_event(login, world, events):
    from datetime import timedelta

    from atclusters.events.models import Event

    world.rep.first_name, world.rep.last_name = "Rosa", "Pereira"
    world.rep.save()
    services.registration_create(actor=world.rep, event=events.training, user=world.rep)
    url = reverse("events_feedback", args=[events.training.pk])
    page = login(world.rep).post(url, {"rating": "4"}, follow=True)
    assert "The survey is for those who attended, once, after the event." in page.text
    Event.objects.filter(pk=events.training.pk).update(
        starts_at=events.training.starts_at - timedelta(days=3650),
        ends_at=events.training.ends_at - timedelta(days=3650),
    )
    event_page = login(world.rep).get(reverse("events_event", args=[events.training.pk]))
    assert "Answer the feedback survey" in event_page.text
    assert "How was it?" in login(world.rep).get(url).text
    login(world.rep).post(url, {"rating": "4", "comment": "Useful <b>cases</b>"})
    again = login(world.rep).post(url, {"rating": "5"}, follow=True)
    assert "The survey is for those who attended, once, after the event." in again.text
    summary = login(world.staff).get(reverse("events_event", args=[events.training.pk])).text
    assert "1 answer." in summary
    results = login(world.staff).get(reverse("events_feedback_results", args=[events.training.pk]))
    # One answer: its rating is withheld, the comment shown without its author.
    assert "Withheld: fewer than 5 answers." in results.text
    assert "Useful &lt;b&gt;cases&lt;/b&gt;" in results.text and "Pereira" not in results.text


def test_the_event_page_names_its_languages(client, world, events):
    page = client.get(f"/fr/events/{events.training.pk}/")
    assert "espagnol, galicien" in page.text.lower()


def test_site_search_finds_what_the_user_may_see(login, world, events):
    assert "Atlantic conference" in login(None).get(reverse("site_search"), {"q": "atlantic"}).text
    assert "Kick-off" not in login(None).get(reverse("site_search"), {"q": "kick"}).text
    assert "Kick-off" in login(world.rep).get(reverse("site_search"), {"q": "kick"}).text


def test_a_members_only_meetings_actions_stay_private_on_public_pages(login, world, events):
    group = services.group_save(
        actor=world.staff, group=events.group, agency=world.agency, name="Internationalisation",
        goal="Go abroad", lead=world.manager, members=[world.rep], clusters=[world.cluster],
        visibility="public", source="test",
    )  # fmt: skip
    services.action_add(
        actor=world.staff, meeting=events.meeting, title="Negotiate the Lisbon price",
        owner=world.rep, due=due(9),
    )  # fmt: skip
    public_meeting = services.meeting_save(
        actor=world.manager, agency=world.agency, group=group, title="Open day",
        starts_at=at(6, 5, 10), ends_at=at(6, 5, 12), visibility="public", source="test",
    )  # fmt: skip
    for url in (
        reverse("events_group", args=[group.pk]),
        reverse("events_meeting", args=[public_meeting.pk]),
        f"/api/v1/events/meetings/{public_meeting.pk}",
    ):
        assert "Lisbon price" not in login(None).get(url).text, url
    # The members still see it carried over to the next meeting.
    page = login(world.rep).get(reverse("events_meeting", args=[public_meeting.pk]))
    assert "Negotiate the Lisbon price" in page.text
