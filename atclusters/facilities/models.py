"""The hub's shared facilities: rooms and equipment of an agency's hub, their closures, and the
bookings of them. No two active bookings of one resource overlap (with the buffer): on PostgreSQL
an exclusion constraint over the held span says so (migration 0002), on SQLite the booking
service's write transaction, which begins IMMEDIATE (settings), serialises the check and the
insert."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from atclusters.core.entities import PerLanguage
from atclusters.core.models import Agency
from atclusters.facilities import access
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid.models import Grant

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Resource(models.Model):
    class Kind(models.TextChoices):
        ROOM = "room", _("room")
        EQUIPMENT = "equipment", _("equipment")

    class BookableBy(models.TextChoices):
        MEMBERS = "members", _("members of the agency's clusters, their managers and agency staff")
        CLUSTERS = "clusters", _("managers of the agency's clusters and agency staff")
        STAFF = "staff", _("agency staff only")

    class AidTreatment(models.TextChoices):
        NONE = access.NONE, _("not aid (member price equals the list price)")
        DE_MINIMIS = access.DE_MINIMIS, _("de minimis (list price − price paid, to the user)")
        GBER_27 = (
            access.GBER_27,
            _("GBER Art. 27 (innovation cluster's facility at cost or market)"),
        )

    class Approval(models.TextChoices):
        AUTOMATIC = "automatic", _("confirmed at once")
        MANAGER = "manager", _("approved by the hub manager")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="facility_resources",
        verbose_name=_("agency"),
    )  # fmt: skip
    hub = models.CharField(_("hub"), max_length=200, help_text=_("The building or site."))
    name_texts = PerLanguage("name", models.CharField, _("name"), required=("en",), max_length=200)
    name_en: str  # the fallback, read by name (for mypy: the fields are made at run time)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=1)
    features = models.JSONField(_("features"), default=list, blank=True)
    # {"mon": [["09:00", "14:00"], ["15:00", "19:00"]], …}, local times of `timezone`
    opening_hours = models.JSONField(_("opening hours"), default=dict)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Madrid")
    holiday_subdivision = models.CharField(
        _("region for public holidays"), max_length=10, blank=True,
        help_text=_("The region's own public holidays on top of the country's, e.g. GA."),
    )  # fmt: skip
    list_price_eur = models.DecimalField(
        _("list price per hour (EUR)"), max_digits=9, decimal_places=2
    )
    member_price_eur = models.DecimalField(
        _("member price per hour (EUR)"), max_digits=9, decimal_places=2
    )
    cost_eur = models.DecimalField(
        _("cost per hour (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True,
        help_text=_(
            "What an hour of the facility costs the hub. Under GBER Art. 27 every fee below the "
            "list price must cover it."
        ),
    )  # fmt: skip
    contributor_price_eur = models.DecimalField(
        _("contributor price per hour (EUR)"), max_digits=9, decimal_places=2, null=True,
        blank=True,
        help_text=_(
            "GBER Art. 27 only: the preferential fee of the undertakings that financed at least "
            "10 % of the investment costs, for a share of the open hours equal to their share "
            "of those costs."
        ),
    )  # fmt: skip
    aid_treatment = models.CharField(
        _("aid treatment"), max_length=10, choices=AidTreatment.choices,
        default=AidTreatment.DE_MINIMIS,
    )  # fmt: skip
    bookable_by = models.CharField(
        _("who may book"), max_length=10, choices=BookableBy.choices, default=BookableBy.MEMBERS
    )
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.AUTOMATIC
    )
    min_minutes = models.PositiveIntegerField(_("minimum duration (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("maximum duration (minutes)"), default=480)
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking (minutes)"), default=0
    )
    notice_hours = models.PositiveIntegerField(_("cancellation notice (hours)"), default=24)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_facilities",
        verbose_name=_("hub managers"),
    )  # fmt: skip
    active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "hub", "name_en"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_minutes__gt=0) & Q(max_minutes__gte=F("min_minutes")),
                name="facility_durations_ordered",
            ),
            models.CheckConstraint(
                condition=Q(member_price_eur__gte=0) & Q(list_price_eur__gte=0),
                name="facility_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(member_price_eur__lte=F("list_price_eur")),
                name="facility_member_price_within_list",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        """The name in `language`, else in English."""
        return getattr(self, f"name_{language}", "") or self.name_en

    @property
    def fees(self) -> access.Fees:
        return access.Fees(
            treatment=self.aid_treatment,
            list_price=self.list_price_eur,
            member_price=self.member_price_eur,
            contributor_price=self.contributor_price_eur,
            cost=self.cost_eur,
        )


class Contribution(models.Model):
    """An undertaking's share of the investment costs of an agency's hub: at 10 % or more it
    opens preferential access to the hub's Art. 27 facilities (GBER Art. 27(3))."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="hub_contributions",
        verbose_name=_("agency"),
    )  # fmt: skip
    hub = models.CharField(_("hub"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hub_contributions",
        verbose_name=_("organisation"),
    )  # fmt: skip
    share_percent = models.DecimalField(
        _("share of the investment costs (%)"), max_digits=5, decimal_places=2
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "hub", "-share_percent"]
        verbose_name = _("contribution to the investment costs")
        verbose_name_plural = _("contributions to the investment costs")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "hub", "organisation"], name="contribution_once_per_hub"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="contribution_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.share_percent} % {self.hub}"


class Closure(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="closures", verbose_name=_("facility")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.resource} closed {self.start:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")
        DECLINED = "declined", _("declined")

    # The statuses that hold the resource.
    ACTIVE = (Status.PENDING, Status.CONFIRMED)

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("facility")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facility_bookings",
        verbose_name=_("booked by"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("for organisation"),
    )  # fmt: skip
    cluster = models.ForeignKey(
        ClusterOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("for cluster"),
    )  # fmt: skip
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The end plus the resource's buffer when booked: the span no other booking may overlap.
    held_until = models.DateTimeField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    # The bookings of one recurring series share it; `recurrence` is the RRULE they came from.
    series = models.CharField(max_length=36, blank=True, db_index=True)
    recurrence = models.CharField(_("repeats (RRULE)"), max_length=300, blank=True)
    member_rate = models.BooleanField(_("member price"), default=False)
    price_eur = models.DecimalField(_("price (EUR)"), max_digits=11, decimal_places=2)
    contributor_hours = models.DecimalField(
        _("hours at the contributor price"), max_digits=7, decimal_places=2, default=0
    )
    # The advantage (list price − price paid) recorded as de minimis aid when the booking was
    # confirmed, and its entry in the register (revoked if the booking is cancelled).
    aid_eur = models.DecimalField(_("aid (EUR)"), max_digits=11, decimal_places=2, default=0)
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("de minimis grant"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["resource", "start"], name="booking_resource_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(held_until__gte=F("end")), name="booking_held_through_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE
