"""The partnership's events (docs/events.md): working groups and their meetings with action
items that carry over until closed; conferences and trainings with registration, a waiting
list, attendance and verifiable certificates; B2B matchmaking at a conference."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Agency, DocumentVersionBase, VersionedDocument
from atclusters.registry.models import ClusterOrganisation, Organisation


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public: everyone")
    SIGNED_IN = "signed-in", _("the partnership: every signed-in user")
    MEMBERS = "members", _("members only")


class WorkingGroup(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="working_groups",
        verbose_name=_("convening agency"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_working_groups",
        verbose_name=_("lead"),
    )  # fmt: skip
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="working_groups",
        verbose_name=_("members"),
    )  # fmt: skip
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("agencies taking part")
    )
    clusters = models.ManyToManyField(
        ClusterOrganisation, blank=True, related_name="+", verbose_name=_("clusters taking part")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("cluster council")
        AUTHORITIES = "authorities", _("meeting with the regional authorities")
        GROUP = "group", _("working-group meeting")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("agency")
    )
    # A group's meetings form its series: open action items carry over from one to the next.
    group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings",
        verbose_name=_("working group"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GROUP)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Madrid")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item a line."))
    minutes = models.TextField(_("minutes"), blank=True)  # sanitised HTML (core.text)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meeting_invitations",
        verbose_name=_("invited people"),
    )  # fmt: skip
    attended = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended",
        verbose_name=_("present"),
    )  # fmt: skip
    # The meetings repeated from one another share it: open action items carry over along the
    # series as they do along a working group's meetings.
    series = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Rsvp(models.Model):
    """Whether an invited person or a group member will come to a meeting."""

    class Answer(models.TextChoices):
        YES = "yes", _("will attend")
        MAYBE = "maybe", _("may attend")
        NO = "no", _("will not attend")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("person"),
    )  # fmt: skip
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "user__username"]
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.answer} {self.meeting}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions",
        verbose_name=_("raised at meeting"),
    )  # fmt: skip
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions",
        verbose_name=_("owner"),
    )  # fmt: skip
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision taken at a meeting, recorded on its own (not only inside the minutes): listed
    along the group's or series' meetings and searchable."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("number"))  # 1, 2, … within the meeting
    text = models.TextField(_("decision"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number}"


class Event(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("conference")
        TRAINING = "training", _("training course")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="events", verbose_name=_("organising agency")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Madrid")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    # The cluster that organises it with the agency: it counts in the cluster's benchmarking
    # indicators (events held, participants).
    cluster = models.ForeignKey(
        ClusterOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organising cluster"),
    )  # fmt: skip
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_events",
        verbose_name=_("organisers"),
    )  # fmt: skip
    price_eur = models.DecimalField(
        _("price (EUR)"), max_digits=9, decimal_places=2, default=0,
        help_text=_("0 for free."),
    )  # fmt: skip
    languages = models.JSONField(_("languages"), default=list, blank=True)  # codes: ["es", "en"]
    completion_percent = models.PositiveSmallIntegerField(
        _("sessions to attend for a certificate (%)"), default=80
    )
    # B2B matchmaking (conferences): the slots' start times (ISO 8601) and the tables.
    b2b_slots = models.JSONField(_("B2B slots"), default=list, blank=True)
    b2b_tables = models.PositiveIntegerField(_("B2B tables"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__lte=100), name="event_completion_percent"
            ),
            models.CheckConstraint(condition=Q(price_eur__gte=0), name="event_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A session of a training (attendance is taken per session) or of a conference's
    programme (in a room, on a track, with its speakers)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    track = models.CharField(_("track"), max_length=100, blank=True)
    # A training's module (a course made of modules, each of sessions); empty: no module.
    module = models.CharField(_("module"), max_length=100, blank=True)
    speakers = models.ManyToManyField(
        Speaker, blank=True, related_name="sessions", verbose_name=_("speakers")
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class TicketType(models.Model):
    """A kind of ticket of an event (full pass, one day, student…) with its own seats, price,
    price for members and the date its sale ends; an event with ticket types asks for one."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("seats of this ticket"), null=True, blank=True,
        help_text=_("Empty: only the event's capacity bounds it."),
    )  # fmt: skip
    price_eur = models.DecimalField(_("price (EUR)"), max_digits=9, decimal_places=2, default=0)
    member_price_eur = models.DecimalField(
        _("member price (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True,
        help_text=_(
            "For who comes for a member of a cluster of the organising agency. Empty: the price."
        ),
    )  # fmt: skip
    sales_end = models.DateTimeField(_("on sale until"), null=True, blank=True)
    approval = models.BooleanField(
        _("needs the organisers' approval"), default=False,
        help_text=_("A registration with this ticket waits until an organiser approves it."),
    )  # fmt: skip

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_eur__gte=0) & (
                    Q(member_price_eur__isnull=True) | Q(member_price_eur__gte=0)
                ),
                name="ticket_price_not_negative",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question of an event's registration form, set by its organisers."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        CHOICE = "choice", _("one of a list")
        YES_NO = "yesno", _("yes or no")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind of answer"), max_length=6, choices=Kind.choices)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One a line."))
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def allowed(self) -> list[str]:
        """The answers it takes, as a file or the API writes them; [] for free text."""
        if self.kind == self.Kind.YES_NO:
            return ["yes", "no"]
        return self.choice_list() if self.kind == self.Kind.CHOICE else []


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Payment(models.TextChoices):
        UNPAID = "unpaid", _("not paid")
        PAID = "paid", _("paid")
        REFUNDED = "refunded", _("refunded")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations",
        verbose_name=_("participant"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The waiting list's order: when the person (last) asked for a seat.
    registered_at = models.DateTimeField(_("registered at"))
    attended = models.ManyToManyField(
        Session, blank=True, related_name="attendees", verbose_name=_("sessions attended")
    )
    ticket = models.ForeignKey(
        TicketType, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations",
        verbose_name=_("ticket"),
    )  # fmt: skip
    # What the ticket cost when the person registered (the member price if it applied).
    price_eur = models.DecimalField(
        _("price (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    # The answers to the event's questions: {"<question id>": "answer"}.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Recorded by the organisers: there is no payment gateway, the money moves elsewhere (a bank
    # transfer, a card terminal at the door) and invoices are issued outside the platform.
    payment = models.CharField(
        _("payment"), max_length=8, choices=Payment.choices, default=Payment.UNPAID
    )
    payment_recorded_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    # Printed on the badge and typed or scanned at the door.
    badge_code = models.CharField(_("badge code"), max_length=12, unique=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class SurveyQuestion(models.Model):
    """A question of an event's feedback survey, set by its organisers, in each of the event's
    languages; the survey always begins with the overall rating and ends with a comment."""

    class Kind(models.TextChoices):
        RATING = "rating", _("rating from 1 to 5")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        TEXT = "text", _("free text")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="survey_questions", verbose_name=_("event")
    )
    kind = models.CharField(_("kind of answer"), max_length=8, choices=Kind.choices)
    # {"es": "¿…?", "en": "…?"}: one text per language of the event.
    texts = models.JSONField(_("question"), default=dict)
    # {"es": ["…", "…"], "en": [...]}: the same choices, in the same order, in each language; an
    # answer records a choice by its position, so that it reads in every language.
    choices = models.JSONField(_("choices"), default=dict, blank=True)
    required = models.BooleanField(_("answer required"), default=False)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text_in(get_language() or "")

    def text_in(self, language: str) -> str:
        """The text in `language`, else in the event's first language that has one."""
        return self.texts.get(language) or next(iter(self.texts.values()), "")

    def choices_in(self, language: str) -> list[str]:
        return self.choices.get(language) or next(iter(self.choices.values()), [])


class Feedback(models.Model):
    """A participant's answer to the event's feedback survey once it has ended (one each): the
    overall rating, the answers to the organisers' questions and a comment."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback",
        verbose_name=_("registration"),
    )  # fmt: skip
    rating = models.PositiveSmallIntegerField(_("rating (1 to 5)"))
    # {"<survey question id>": 4 (rating) | 1 (a choice's position) | [0, 2] (choices) | "text"}
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating} for {self.registration}"


class Certificate(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate",
        verbose_name=_("registration"),
    )  # fmt: skip
    code = models.CharField(_("code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


class B2BProfile(models.Model):
    """A participant's matchmaking profile at a conference, tied to a registry organisation."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="b2b_profile",
        verbose_name=_("registration"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    offers = models.TextField(_("what we offer"), blank=True)
    seeks = models.TextField(_("what we look for"), blank=True)
    # The slots (of the event's b2b_slots) when the participant is free to meet.
    available = models.JSONField(_("available slots"), default=list, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("B2B profile")
        verbose_name_plural = _("B2B profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class B2BRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="b2b_requests", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        B2BProfile, on_delete=models.CASCADE, related_name="sent", verbose_name=_("from")
    )
    recipient = models.ForeignKey(
        B2BProfile, on_delete=models.CASCADE, related_name="received", verbose_name=_("to")
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Set by the scheduler; once set, a later run keeps it (a fixed meeting never moves).
    slot = models.CharField(_("slot"), max_length=40, blank=True)
    table = models.PositiveIntegerField(_("table"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("B2B meeting request")
        verbose_name_plural = _("B2B meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"], name="b2b_request_once"),
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="b2b_request_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class CalendarFeed(models.Model):
    """The secret address of a user's calendar feed (calendar applications cannot sign in);
    a new token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed",
        verbose_name=_("user"),
    )  # fmt: skip
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.user}"


class Topic(models.Model):
    """A discussion thread of a working group."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="topics",
        verbose_name=_("working group"),
    )  # fmt: skip
    title = models.CharField(_("topic"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("started by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("author"),
    )  # fmt: skip
    body = models.TextField(_("message"))  # sanitised HTML (core.text)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.author} in {self.topic}"


class GroupDocument(VersionedDocument):
    """A working group's shared document; its file is each of its versions."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("working group"),
    )  # fmt: skip

    class Meta(VersionedDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class DocumentVersion(DocumentVersionBase):
    document = models.ForeignKey(
        GroupDocument, on_delete=models.CASCADE, related_name="versions",
        verbose_name=_("document"),
    )  # fmt: skip
    # Stored under a random name; served only through the permission-checked download page.
    file = models.FileField(_("file"), upload_to="working-groups/")

    class Meta(DocumentVersionBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]
