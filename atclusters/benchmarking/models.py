"""Indicator frameworks, stored. A framework version never changes once stored (survey rounds
refer to it); a changed framework is imported as a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atclusters.benchmarking.frameworks import BENCHMARKING, GOLD, TYPES
from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation


class Framework(models.Model):
    class Kind(models.TextChoices):
        BENCHMARKING = BENCHMARKING, _("benchmarking")
        GOLD_ASSESSMENT = GOLD, _("Gold assessment")

    slug = models.SlugField(_("identifier"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.BENCHMARKING,
        help_text=_(
            "A benchmarking framework is compared with peers; a Gold assessment decides Gold "
            "readiness by its knock-out criteria and the share of quality indicators met."
        ),
    )
    name = models.JSONField(_("name"), help_text=_("Per language: en, es, gl, pt, fr."))
    areas = models.JSONField(_("areas"), help_text=_("Area code → name per language."))
    label_rules = models.JSONField(_("label rules"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version")
        ]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=20)
    area = models.CharField(_("area"), max_length=40)
    type = models.CharField(_("type"), max_length=12, choices=[(t, t) for t in TYPES])
    label = models.JSONField(_("label"))
    help = models.JSONField(_("help text"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    minimum = models.FloatField(_("minimum"), null=True, blank=True)
    maximum = models.FloatField(_("maximum"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), null=True, blank=True)
    threshold = models.JSONField(_("threshold"), null=True, blank=True)
    weight = models.FloatField(_("weight"), default=1)
    computed = models.CharField(_("computed from"), max_length=40, blank=True)
    knock_out = models.BooleanField(
        _("knock-out criterion"),
        default=False,
        help_text=_("A baseline minimum requirement: not met, the Gold assessment fails."),
    )

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.label.get('en', '')}"


class Round(models.Model):
    """A benchmarking round: an agency asks its clusters to report a framework's indicators
    for a year by a deadline."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="benchmarking_rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("benchmarking round")
        verbose_name_plural = _("benchmarking rounds")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Submission(models.Model):
    """One cluster's answers in a round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes", _("changes requested")
        VALIDATED = "validated", _("validated")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.PROTECT, related_name="benchmarking_submissions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    values = models.JSONField(_("answers"), default=dict)
    computed = models.JSONField(
        _("computed values"), default=dict, help_text=_("What the platform pre-filled.")
    )
    reasons = models.JSONField(
        _("reasons"), default=dict, help_text=_("Why an answer differs from the computed value.")
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    profile = models.JSONField(
        _("profile when validated"),
        default=dict,
        blank=True,
        help_text=_(
            "The cluster's country, region, sectors, ecosystems and label when its answers were "
            "validated: the peer groups are drawn from these, not from the profile as it is now."
        ),
    )
    reminders_sent = models.JSONField(
        default=list, blank=True, help_text="Days before the deadline already reminded."
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "cluster"], name="submission_one_per_cluster")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.round}"


class PeerSet(models.Model):
    """A hand-picked peer group of a cluster, kept under its name once made (a different
    choice is a new set). Like every group, it is checked against every group already shown
    for the framework and year before its statistics are shown (`PeerView`)."""

    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="peer_sets"
    )
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(
        ClusterOrganisation, related_name="+", verbose_name=_("clusters")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="peer_set_unique_name")
        ]
        verbose_name = _("hand-picked peer group")
        verbose_name_plural = _("hand-picked peer groups")

    def __str__(self) -> str:
        return self.name


class PeerPool(models.Model):
    """The answers compared with each other: every validated answer to a framework for one
    year, whichever agency's round it came from. Its row is locked while peer groups are
    released, so that two readers cannot both pass the differencing check against a state that
    no longer holds."""

    framework_slug = models.SlugField(_("framework"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework_slug", "year"], name="peer_pool_unique")
        ]
        verbose_name = _("peer pool")
        verbose_name_plural = _("peer pools")

    def __str__(self) -> str:
        return f"{self.framework_slug} {self.year}"


class PeerRelease(models.Model):
    """A peer group as released: its member submissions, frozen when it was first shown and
    never recomputed. `key` says what defines it (`all`, `country:ES`, `ecosystem:4,9`,
    `picked:12` …); a group that has grown since is a new release."""

    pool = models.ForeignKey(PeerPool, on_delete=models.CASCADE, related_name="releases")
    key = models.CharField(_("group"), max_length=300)
    members = models.ManyToManyField(Submission, related_name="+", verbose_name=_("answers"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pool", "key", "-created_at", "-pk"]
        verbose_name = _("released peer group")
        verbose_name_plural = _("released peer groups")

    def __str__(self) -> str:
        return f"{self.pool} {self.key}"


class PeerView(models.Model):
    """A released group as shown in one cluster's comparison, to whoever reads it: which
    indicators were shown and why the others were withheld. Kept for good: every group about to
    be shown is checked against every view of the pool."""

    release = models.ForeignKey(PeerRelease, on_delete=models.CASCADE, related_name="views")
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="peer_views"
    )
    group = models.CharField(_("peer group"), max_length=130)
    shown = models.JSONField(_("indicators shown"), default=list)
    withheld = models.JSONField(
        _("indicators withheld"), default=dict, help_text=_("Indicator → why it is withheld.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["cluster", "group", "-created_at", "-pk"]
        verbose_name = _("peer group shown")
        verbose_name_plural = _("peer groups shown")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.group}"


class ClusterPolicy(models.Model):
    """An agency's cluster policy in one year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="cluster_policies")
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True)
    clusters_recognised = models.PositiveIntegerField(_("clusters recognised"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="policy_one_per_year")
        ]
        verbose_name = _("cluster policy")
        verbose_name_plural = _("cluster policies")

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class PolicyProgramme(models.Model):
    """A programme or instrument of a cluster policy."""

    class Instrument(models.TextChoices):
        RECOGNITION = "recognition", _("cluster recognition")
        OPERATING = "operating", _("operating grants")
        PROJECTS = "projects", _("project grants")
        VOUCHERS = "vouchers", _("vouchers")
        INTERNATIONAL = "international", _("internationalisation")
        TRAINING = "training", _("training")
        OTHER = "other", _("other")

    class LegalBasis(models.TextChoices):
        DE_MINIMIS = "de_minimis", _("de minimis regulation")
        GBER_27 = "gber_27", _("GBER Article 27 (innovation clusters)")
        GBER_OTHER = "gber_other", _("GBER, other article")
        NOTIFIED = "notified", _("notified scheme")
        NOT_AID = "not_aid", _("not state aid")

    policy = models.ForeignKey(ClusterPolicy, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    clusters_supported = models.PositiveIntegerField(_("clusters supported"), default=0)
    eligibility = models.TextField(_("eligibility criteria"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=12, choices=LegalBasis.choices)
    aid_programme = models.CharField(
        _("programme in the state-aid register"),
        max_length=200,
        blank=True,
        help_text=_("Grants recorded with this programme are counted as the programme's aid."),
    )
    results = models.JSONField(
        _("results indicators"), default=dict, blank=True, help_text=_("Indicator → value.")
    )

    class Meta:
        ordering = ["policy", "name"]
        verbose_name = _("policy programme")
        verbose_name_plural = _("policy programmes")

    def __str__(self) -> str:
        return self.name
