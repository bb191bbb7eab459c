"""The de minimis register: undertakings, the links that make single undertakings, grants
(append-only: a correction or revocation is a new entry that points at the one it replaces),
mergers and splits. The rules themselves are in `rules.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import rules


class Undertaking(models.Model):
    """An undertaking as the register knows it: `identifier` is the caller's ID (a national
    register number, a VAT number, a CRM key); `organisation` the registry entry, when linked."""

    identifier = models.CharField(_("identifier"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    vat = models.CharField(_("VAT number"), max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="undertakings",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "identifier"]
        verbose_name = _("undertaking")
        verbose_name_plural = _("undertakings")

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"


class UndertakingLink(models.Model):
    """One of the relationships of Art. 2(2) of 2023/2831 between two undertakings."""

    class Relation(models.TextChoices):
        VOTING_MAJORITY = "voting-majority", _("majority of the voting rights")
        BOARD_MAJORITY = "board-majority", _("right to appoint or remove most of the board")
        DOMINANT_INFLUENCE = "dominant-influence", _("dominant influence by contract or articles")
        SHAREHOLDER_AGREEMENT = (
            "shareholder-agreement",
            _("control of most voting rights by agreement"),
        )
        NATURAL_PERSON = "natural-person", _("through a natural person (to review)")

    parent = models.ForeignKey(Undertaking, on_delete=models.PROTECT, related_name="child_links")
    child = models.ForeignKey(Undertaking, on_delete=models.PROTECT, related_name="parent_links")
    relation = models.CharField(_("relation"), max_length=24, choices=Relation.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parent", "child", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("child")), name="link_not_self"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="link_dates_in_order",
            ),
        ]
        verbose_name = _("link between undertakings")
        verbose_name_plural = _("links between undertakings")

    def __str__(self) -> str:
        return f"{self.parent.identifier} → {self.child.identifier} ({self.relation})"


class Grant(models.Model):
    """One entry of the register. Never updated: `corrects` points at the entry a correction
    or revocation replaces."""

    class Entry(models.TextChoices):
        ORIGINAL = "original", _("grant")
        CORRECTION = "correction", _("correction")
        REVOCATION = "revocation", _("revocation")

    class Basis(models.TextChoices):
        DE_MINIMIS = rules.DE_MINIMIS, _("de minimis")
        GBER = rules.GBER, _("block exemption (GBER)")
        NOTIFIED = "notified", _("notified scheme or decision")

    class Regulation(models.TextChoices):
        GENERAL = rules.GENERAL, _("general de minimis")
        SGEI = rules.SGEI, _("SGEI de minimis")
        AGRICULTURE = rules.AGRICULTURE, _("agricultural de minimis")
        FISHERY = rules.FISHERY, _("fishery and aquaculture de minimis")

    class Instrument(models.TextChoices):
        GRANT = "grant", _("direct grant")
        SERVICE = "service", _("subsidised service")
        DISCOUNT = "discount", _("discount")
        LOAN = "loan", _("loan")
        GUARANTEE = "guarantee", _("guarantee")
        CAPITAL = "capital", _("capital injection")
        RISK_FINANCE = "risk-finance", _("risk finance")
        TAX = "tax", _("tax advantage")
        OTHER = "other", _("other")

    class ClusterAid(models.TextChoices):
        NONE = "", _("not cluster aid")
        INVESTMENT = "investment", _("investment aid (GBER Art. 27)")
        OPERATING = "operating", _("operating aid (GBER Art. 27)")

    reference = models.CharField(_("reference"), max_length=100)
    entry = models.CharField(max_length=10, choices=Entry.choices, default=Entry.ORIGINAL)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    undertaking = models.ForeignKey(
        Undertaking, on_delete=models.PROTECT, related_name="grants", verbose_name=_("beneficiary")
    )
    member_state = models.CharField(_("Member State"), max_length=2)
    granting_authority = models.CharField(_("granting authority"), max_length=200)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    basis = models.CharField(
        _("legal basis"), max_length=12, choices=Basis.choices, default=Basis.DE_MINIMIS
    )
    regulation = models.CharField(
        _("de minimis regulation"), max_length=12, choices=Regulation.choices, blank=True
    )
    scheme = models.CharField(_("scheme or article"), max_length=200, blank=True)
    instrument = models.CharField(
        _("instrument"), max_length=14, choices=Instrument.choices, default=Instrument.GRANT
    )
    nominal_amount = models.DecimalField(_("nominal amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    eur_rate = models.DecimalField(
        _("units of currency per euro"), max_digits=18, decimal_places=8, default=1
    )
    rate_source = models.CharField(_("rate source"), max_length=200, blank=True)
    gge_eur = models.DecimalField(
        _("gross grant equivalent (EUR)"), max_digits=16, decimal_places=2
    )
    gge_method = models.CharField(_("GGE method"), max_length=200, blank=True)
    grant_date = models.DateField(_("grant date"))
    purpose = models.TextField(_("purpose"), blank=True)
    nace = models.CharField(_("NACE"), max_length=8, blank=True)
    cluster = models.ForeignKey(
        ClusterOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid",
        verbose_name=_("cluster"),
        help_text=_("The cluster that received the aid, or that passed it on as services."),
    )
    programme = models.CharField(_("programme or service"), max_length=200, blank=True)
    cluster_aid = models.CharField(
        _("cluster aid"), max_length=10, choices=ClusterAid.choices, blank=True
    )
    eligible_costs_eur = models.DecimalField(
        _("eligible costs (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    report_due = models.DateField(_("report to the central register by"), null=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["grant_date", "id"]
        indexes = [
            models.Index(fields=["member_state", "grant_date"]),
            models.Index(fields=["undertaking", "grant_date"]),
            models.Index(fields=["member_state", "reference"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(gge_eur__gte=0), name="grant_gge_not_negative"),
            models.CheckConstraint(condition=Q(eur_rate__gt=0), name="grant_rate_positive"),
            models.CheckConstraint(
                condition=Q(entry="original", corrects__isnull=True)
                | (~Q(entry="original") & Q(corrects__isnull=False)),
                name="grant_corrections_point_back",
            ),
            models.CheckConstraint(
                condition=~Q(basis="de-minimis") | ~Q(regulation=""),
                name="grant_de_minimis_has_regulation",
            ),
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return f"{self.reference} {self.grant_date} EUR {self.gge_eur}"


class Restructuring(models.Model):
    """A merger or acquisition (Art. 3(8)) or a split (Art. 3(9)). Recorded, never applied to
    the grants themselves: checks apply it to the aid as they read it. Append-only like grants:
    a correction or revocation is a new entry whose `corrects` points at the one it replaces."""

    class Entry(models.TextChoices):
        ORIGINAL = "original", _("as recorded")
        CORRECTION = "correction", _("correction")
        REVOCATION = "revocation", _("revocation")

    class Kind(models.TextChoices):
        MERGER = "merger", _("merger or acquisition")
        SPLIT = "split", _("split")

    kind = models.CharField(max_length=6, choices=Kind.choices)
    entry = models.CharField(max_length=10, choices=Entry.choices, default=Entry.ORIGINAL)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    date = models.DateField(_("date"))
    source = models.ForeignKey(
        Undertaking,
        on_delete=models.PROTECT,
        related_name="restructurings_as_source",
        help_text=_("The absorbed undertaking of a merger, or the undertaking that split."),
    )
    absorbing = models.ForeignKey(
        Undertaking,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restructurings_as_absorbing",
    )
    successors = models.JSONField(
        default=dict, help_text=_("Split: successor identifier → book value of equity (EUR).")
    )
    activity = models.JSONField(
        default=dict, help_text=_("Split: grant reference → successor that took the activity.")
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry="original", corrects__isnull=True)
                | (~Q(entry="original") & Q(corrects__isnull=False)),
                name="restructuring_corrections_point_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source.identifier} {self.date} ({self.entry})"


class RegisterLock(models.Model):
    """One row per Member State. The grant service locks it (SELECT … FOR UPDATE) so that two
    grants checked at the same moment are checked one after the other."""

    member_state = models.CharField(max_length=2, primary_key=True)

    def __str__(self) -> str:
        return self.member_state
