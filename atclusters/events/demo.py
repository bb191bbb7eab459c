"""Demo events: IGAPE's cluster council series with open action items, a procurement course
for cluster managers with certificates, and a conference with B2B matchmaking among the demo
organisations (fictitious, loaded after the registry's and cooperation's demos)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone

from atclusters.core.errors import DomainError
from atclusters.core.models import Agency
from atclusters.events import services
from atclusters.events.models import B2BProfile, Event, Meeting, WorkingGroup
from atclusters.registry.models import ClusterOrganisation, Organisation

MADRID = ZoneInfo("Europe/Madrid")
SOURCE = "demo"
PARTICIPANTS = 40  # of the conference's B2B matchmaking (a few seconds to load)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), MADRID)


def _council(igape: Agency, staff: User, people: list[User], today: date) -> int:
    clusters = ClusterOrganisation.objects.filter(agency=igape, status="published")[:6]
    group = services.group_save(
        actor=None, agency=igape, name="Cluster council", lead=staff, members=people,
        goal="The Galician clusters and IGAPE meet each quarter to steer the cluster programme.",
        clusters=list(clusters), visibility="signed-in", source=SOURCE,
    )  # fmt: skip
    services.topic_create(
        actor=staff, group=group, title="Agenda of the next council",
        body="<p>Proposals for the next council are welcome here.</p>", source=SOURCE,
    )  # fmt: skip
    made = 0
    for weeks in (-12, -4, 6):
        day = today + timedelta(weeks=weeks)
        meeting = services.meeting_save(
            actor=None, agency=igape, group=group, kind=Meeting.Kind.COUNCIL,
            title=f"Cluster council {day:%Y-%m}", starts_at=_at(day, 10), ends_at=_at(day, 13),
            place="IGAPE, Santiago de Compostela", online_link="https://meet.example.org/council",
            agenda="Programme budget\nInternationalisation plan\nAny other business",
            visibility="signed-in", source=SOURCE,
        )  # fmt: skip
        made += 1
        if weeks > 0:
            for person, answer in zip(people, ("yes", "maybe", "no"), strict=False):
                services.rsvp_answer(actor=person, meeting=meeting, answer=answer, source=SOURCE)
        if weeks < 0:
            services.meeting_minutes_save(
                actor=None, meeting=meeting, source=SOURCE,
                minutes="<p>The council reviewed the programme and agreed the next steps.</p>",
            )  # fmt: skip
            for text in (
                f"The programme budget of {day:%B} is approved.",
                "The clusters present a joint internationalisation plan at the next council.",
            ):
                services.decision_add(actor=None, meeting=meeting, text=text, source=SOURCE)
            for number, owner in enumerate(people[:2]):
                action = services.action_add(
                    actor=None, meeting=meeting, owner=owner, due=day + timedelta(weeks=3),
                    title=f"Follow-up {number + 1} of {day:%B}", source=SOURCE,
                )  # fmt: skip
                if weeks == -12 and number == 0:
                    services.action_status_set(
                        actor=None, action=action, status="done", source=SOURCE
                    )
    return made


def _course(igape: Agency, staff: User, people: list[User], today: date) -> int:
    start = today - timedelta(weeks=6)
    course = services.event_save(
        actor=None, agency=igape, kind=Event.Kind.TRAINING,
        title="Public procurement for cluster managers", starts_at=_at(start, 9),
        ends_at=_at(start + timedelta(weeks=2), 14), capacity=max(len(people) - 1, 1),
        place="IGAPE training room", organisers=[staff], source=SOURCE, languages=["gl", "en"],
        cluster=ClusterOrganisation.objects.filter(agency=igape, status="published").first(),
        description="Five sessions on tenders, joint procurement and innovation procurement.",
    )  # fmt: skip
    sessions = [
        services.session_save(
            actor=None,
            event=course,
            title=f"Session {n + 1}",
            source=SOURCE,
            starts_at=_at(start + timedelta(days=2 * n), 9),
            ends_at=_at(start + timedelta(days=2 * n), 14),
        )
        for n in range(5)
    ]
    registrations = [
        services.registration_create(actor=None, event=course, user=user, source=SOURCE)
        for user in people
    ]
    seated = [r for r in registrations if r.status == "confirmed"]
    for number, session in enumerate(sessions):
        # The last participant misses two sessions: 3 of 5 is under 80 %, no certificate.
        present = seated if number < 3 else seated[:-1]
        services.attendance_record(actor=None, session=session, present=present, source=SOURCE)
    follow_up = services.survey_question_save(
        actor=None, event=course, kind="multiple", source=SOURCE,
        texts={
            "gl": "Que temas debería tratar un curso de continuación?",
            "en": "Which topics should a follow-up course cover?",
        },
        choices={
            "gl": ["Compra conxunta", "Compra pública de innovación", "Criterios verdes"],
            "en": ["Joint procurement", "Innovation procurement", "Green criteria"],
        },
    )  # fmt: skip
    # One answer: fewer than the threshold, so its results page withholds the breakdowns.
    services.feedback_give(
        actor=seated[0].user, registration=seated[0], rating=5, source=SOURCE,
        comment="Clear, with real tenders as examples.", answers={str(follow_up.pk): ["1", "2"]},
    )  # fmt: skip
    return len(services.certificates_issue(actor=None, event=course, source=SOURCE))


def _conference(igape: Agency, staff: User, today: date) -> tuple[int, int]:
    day = today + timedelta(weeks=10)
    slots = [_at(day, 15).replace(minute=0) + timedelta(minutes=20 * n) for n in range(9)]
    conference = services.event_save(
        actor=None, agency=igape, kind=Event.Kind.CONFERENCE,
        title="Atlantic clusters conference", starts_at=_at(day, 9), ends_at=_at(day, 19),
        capacity=200, place="Palacio de Congresos, Santiago de Compostela", organisers=[staff],
        b2b_slots=[slot.isoformat() for slot in slots], b2b_tables=10, source=SOURCE,
        description="Clusters, companies and regional authorities of the Atlantic Area meet, "
        "with B2B meetings in the afternoon.",
    )  # fmt: skip
    speakers = [
        services.speaker_save(
            actor=None,
            event=conference,
            name=name,
            affiliation=affiliation,
            bio=bio,
            source=SOURCE,
        )
        for name, affiliation, bio in (
            (
                "Ana Pereira",
                "Atlantic cluster network",
                "Leads the partnership's cluster programme.",
            ),
            ("Yann Le Goff", "Bretagne maritime cluster", "Twenty years in the blue economy."),
        )
    ]
    for hour, title, room, track, chosen in (
        (9, "Opening: clusters of the Atlantic", "Auditorium", "Plenary", speakers[:1]),
        (10, "Blue economy value chains", "Room A", "Sectors", speakers[1:]),
        (10, "Funding cross-border projects", "Room B", "Policy", speakers[:1]),
        (12, "Panel: authorities and clusters", "Auditorium", "Plenary", speakers),
    ):
        services.session_save(
            actor=None, event=conference, title=title, room=room, track=track, speakers=chosen,
            starts_at=_at(day, hour), ends_at=_at(day, hour + 1), source=SOURCE,
        )  # fmt: skip
    full_pass, _one_day = (
        services.ticket_type_save(
            actor=None,
            event=conference,
            name=name,
            price_eur=Decimal(price),
            member_price_eur=Decimal(member),
            capacity=capacity,
            source=SOURCE,
            sales_end=_at(day - timedelta(days=7), 23),
        )
        for name, price, member, capacity in (
            ("Full pass", "120", "60", 150),
            ("Morning", "40", "20", 50),
        )
    )
    dinner = services.question_save(
        actor=None, event=conference, label="Will you attend the networking dinner?",
        kind="yesno", required=True, source=SOURCE,
    )  # fmt: skip
    services.question_save(
        actor=None, event=conference, label="Dietary requirements", kind="text", source=SOURCE
    )
    organisations = list(Organisation.objects.order_by("slug")[:PARTICIPANTS])
    profiles: list[B2BProfile] = []
    for number, organisation in enumerate(organisations):
        # Participants without a password: they show the matchmaking, nobody signs in as them.
        user, _created = User.objects.get_or_create(
            username=f"b2b-{number + 1:03}",
            defaults={"email": f"b2b-{number + 1:03}@demo.atclusters.invalid"},
        )
        registration = services.registration_create(
            actor=None, event=conference, user=user, organisation=organisation, ticket=full_pass,
            answers={str(dinner.pk): "yes" if number % 3 else "no"}, source=SOURCE,
        )  # fmt: skip
        profiles.append(
            services.b2b_profile_save(
                actor=None,
                registration=registration,
                organisation=organisation,
                offers="Products and know-how of our sector",
                seeks="Partners abroad",
                available=conference.b2b_slots[len(profiles) % 3 :],
                source=SOURCE,
            )
        )
    requests = 0
    for number, requester in enumerate(profiles):
        for step in (1, 3):
            recipient = profiles[(number + step) % len(profiles)]
            if recipient.pk == requester.pk:
                continue
            try:
                request = services.b2b_request_create(
                    actor=None, requester=requester, recipient=recipient, source=SOURCE
                )
            except DomainError:
                continue  # the pair already asked each other
            requests += 1
            if (number + step) % 4:
                services.b2b_request_answer(actor=None, request=request, accept=True, source=SOURCE)
    held = (
        services.b2b_schedule(actor=None, event=conference, source=SOURCE).held if profiles else 0
    )
    return requests, held


def domain_demo_load() -> list[str]:
    igape = Agency.objects.filter(slug="igape").first()
    staff = User.objects.filter(username="igape-staff").first()
    if igape is None or staff is None or WorkingGroup.objects.filter(agency=igape).exists():
        return []
    people = [
        user
        for name in ("igape-staff", "clusaga-manager", "member-rep")
        if (user := User.objects.filter(username=name).first())
    ]
    today = timezone.localdate()
    meetings = _council(igape, staff, people, today)
    certificates = _course(igape, staff, people, today)
    requests, held = _conference(igape, staff, today)
    return [
        f"Events: a cluster council series ({meetings} meetings, open action items), "
        f"a procurement course (certificates issued: {certificates}), a conference with "
        f"{requests} B2B requests ({held} meetings scheduled)."
    ]
