"""Indicator frameworks, stored. A framework version never changes once stored (survey rounds
refer to it); a changed framework is imported as a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atclusters.benchmarking.frameworks import TYPES
from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation


class Framework(models.Model):
    slug = models.SlugField(_("identifier"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
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
