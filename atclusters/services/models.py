"""The services portfolio (categories, services, requests and their delivery) and the benefit
programmes with their claims. Aid rules: `eligibility.py`; writes: `services.py`."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atclusters.core import languages
from atclusters.core.entities import Attribute, Entity, PerLanguage, per_language
from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.services import eligibility
from atclusters.stateaid.models import Grant


class Translated:
    """`translated("name")`: the text in the active language, English when it has none."""

    def translated(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        code = language if language in languages.CODES else "en"
        return getattr(self, f"{field}_{code}") or getattr(self, f"{field}_en")


class Eligibility(models.Model):
    """Eligibility as data (rule by rule in `eligibility.evaluate`); empty means open to all."""

    eligible_clusters = models.ManyToManyField(
        ClusterOrganisation, blank=True, related_name="+", verbose_name=_("members of")
    )
    eligible_sizes = models.JSONField(_("size classes"), default=list, blank=True)
    eligible_countries = models.JSONField(_("countries"), default=list, blank=True)

    class Meta:
        abstract = True


class ServiceCategory(Translated, models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_texts = PerLanguage("name", models.CharField, _("name"), required=("en",), max_length=120)
    name_en: str  # the fallback, read by name (for mypy: the fields are made at run time)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.translated("name")


class Service(Translated, Eligibility):
    class ProviderKind(models.TextChoices):
        AGENCY = "agency", _("agency")
        CLUSTER = "cluster", _("cluster")
        HUB = "hub", _("hub")

    class AidTreatment(models.TextChoices):
        NONE = eligibility.NONE, _("not aid")
        DE_MINIMIS = eligibility.DE_MINIMIS, _("de minimis (market price − price paid)")
        GBER_27 = eligibility.GBER_27, _("GBER Art. 27 (cluster's own service at cost or market)")

    class Unit(models.TextChoices):
        HOUR = "hour", _("hour")
        DAY = "day", _("day")
        SESSION = "session", _("session")
        PARTICIPANT = "participant", _("participant")
        REPORT = "report", _("report")
        PROJECT = "project", _("project")

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    provider_kind = models.CharField(
        _("provider"), max_length=8, choices=ProviderKind.choices, default=ProviderKind.AGENCY
    )
    # The public body accountable for the service and, for subsidised ones, the granting
    # authority whose Member State's de minimis register counts the aid.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("agency")
    )
    cluster = models.ForeignKey(
        ClusterOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("cluster"),
    )
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("category"),
    )
    name_texts = PerLanguage("name", models.CharField, _("name"), required=("en",), max_length=200)
    name_en: str  # the fallback, read by name (for mypy: the fields are made at run time)
    description_texts = PerLanguage("description", models.TextField, _("description"))
    list_price = models.DecimalField(
        _("list price per unit (EUR)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("The market price: what a user outside the programme pays."),
    )
    member_price = models.DecimalField(
        _("member price per unit (EUR)"), max_digits=12, decimal_places=2
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.HOUR)
    capacity_per_month = models.PositiveIntegerField(
        _("capacity per month (units)"), null=True, blank=True
    )
    languages = models.JSONField(_("delivery languages"), default=list, blank=True)
    aid_treatment = models.CharField(
        _("aid treatment"), max_length=10, choices=AidTreatment.choices, default=AidTreatment.NONE
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_en", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_price__gte=0), name="service_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(member_price__lte=F("list_price")),
                name="service_member_price_at_most_list",
            ),
            models.CheckConstraint(
                condition=~Q(provider_kind="cluster") | Q(cluster__isnull=False),
                name="service_cluster_provider_named",
            ),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.translated("name")

    @property
    def translated_description(self) -> str:
        return self.translated("description")

    @property
    def provider_slug(self) -> str:
        return self.cluster.slug if self.cluster is not None else self.agency.slug

    @property
    def provider_name(self) -> str:
        return self.cluster.name if self.cluster is not None else self.agency.name

    def aid_per_unit(self) -> Decimal:
        """The aid a member receives per unit at the member price."""
        return eligibility.aid_per_unit(
            treatment=self.aid_treatment, list_price=self.list_price, price_paid=self.member_price
        )


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        DELIVERED = "delivered", _("delivered")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    units_requested = models.DecimalField(_("units"), max_digits=10, decimal_places=2, default=1)
    message = models.TextField(_("message"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    units = models.DecimalField(
        _("units delivered"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    price_paid = models.DecimalField(
        _("price paid per unit (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    aid_eur = models.DecimalField(_("aid (EUR)"), max_digits=12, decimal_places=2, default=0)
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="service_request"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="service_request_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_on__isnull=False, units__gt=0),
                name="service_request_delivery_complete",
            ),
        ]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.service} – {self.organisation}"


class Programme(Translated, Eligibility):
    """A benefit run by an agency department: a discount on costs members incur (a trade-fair
    stand, a voucher), `rate` of the claimed costs up to `max_aid_eur` per claim, within a
    budget."""

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programmes")
    department = models.CharField(_("department"), max_length=120)
    name_texts = PerLanguage("name", models.CharField, _("name"), required=("en",), max_length=200)
    name_en: str  # the fallback, read by name (for mypy: the fields are made at run time)
    how_to_claim_texts = PerLanguage("how_to_claim", models.TextField, _("how to claim"))
    eligible_sectors = models.JSONField(_("sectors (NACE prefixes)"), default=list, blank=True)
    eligible_regions = models.JSONField(_("regions (NUTS prefixes)"), default=list, blank=True)
    documents_required = models.JSONField(_("documents required"), default=list, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("share of the costs covered"), max_digits=5, decimal_places=4)
    max_aid_eur = models.DecimalField(
        _("maximum per claim (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    aid_treatment = models.CharField(
        _("aid treatment"),
        max_length=10,
        choices=[(eligibility.NONE, _("not aid")), (eligibility.DE_MINIMIS, _("de minimis"))],
        default=eligibility.DE_MINIMIS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")), name="programme_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=1), name="programme_rate_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__gte=0), name="programme_budget_not_negative"
            ),
        ]
        verbose_name = _("benefit programme")
        verbose_name_plural = _("benefit programmes")

    def __str__(self) -> str:
        return self.translated("name")

    @property
    def translated_how_to_claim(self) -> str:
        return self.translated("how_to_claim")


class Claim(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        CHECKED = "checked", _("checked")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    # Claims whose aid the budget carries.
    COMMITTED = (Status.APPROVED, Status.PAID)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="claims")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="claims")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    costs_eur = models.DecimalField(_("costs (EUR)"), max_digits=12, decimal_places=2)
    description = models.TextField(_("what the costs are for"), blank=True)
    documents = models.JSONField(_("documents provided"), default=list, blank=True)
    checks = models.JSONField(default=list, blank=True)  # eligibility, rule by rule, when checked
    aid_eur = models.DecimalField(_("aid (EUR)"), max_digits=12, decimal_places=2, default=0)
    reason = models.TextField(_("reason"), blank=True)
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="claim"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(costs_eur__gt=0), name="claim_costs_positive"),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme} – {self.organisation}"


# What a user gives for each record — on the edit form, as the import file's columns, in the
# API's body — declared once (core.entities; docs/architecture.md, "One description per
# entity"). The provider of a service (an agency or one of its clusters) is the form's, the
# file's and the API's own column: it sets two fields.
SERVICE = Entity(
    Service,
    (
        Attribute("slug", form=False, api=False),
        Attribute("provider_kind"),
        Attribute("category"),
        *per_language("name"),
        *per_language("description"),
        Attribute("list_price"),
        Attribute("member_price"),
        Attribute("unit"),
        Attribute("capacity_per_month"),
        Attribute("languages"),
        Attribute("eligible_clusters"),
        Attribute("eligible_sizes"),
        Attribute("eligible_countries"),
        Attribute("aid_treatment"),
        Attribute("is_active"),
    ),
)
CATEGORY = Entity(
    ServiceCategory, (Attribute("slug", form=False, api=False), *per_language("name"))
)
PROGRAMME = Entity(
    Programme,
    (
        Attribute("slug", form=False, api=False),
        Attribute("agency"),
        Attribute("department"),
        *per_language("name"),
        *per_language("how_to_claim"),
        Attribute("opens_on"),
        Attribute("closes_on"),
        Attribute("budget_eur"),
        Attribute("rate"),
        Attribute("max_aid_eur"),
        Attribute("aid_treatment"),
        Attribute("eligible_clusters"),
        Attribute("eligible_sizes"),
        Attribute("eligible_countries"),
        Attribute("eligible_sectors"),
        Attribute("eligible_regions"),
        Attribute("documents_required"),
    ),
)
