"""Partner search: postings (offers and requests) by clusters and organisations, moderated by
agency staff, followed by users who may express interest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import NaceActivity, Term
from atclusters.registry.models import ClusterOrganisation, Organisation


class Posting(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        REQUEST = "request", _("request")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("offer or request"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    cluster = models.ForeignKey(
        ClusterOrganisation, null=True, blank=True, on_delete=models.CASCADE,
        related_name="postings", verbose_name=_("posted by cluster"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE,
        related_name="postings", verbose_name=_("posted by organisation"),
    )  # fmt: skip
    sectors = models.ManyToManyField(NaceActivity, blank=True, verbose_name=_("sectors (NACE)"))
    terms = models.ManyToManyField(
        Term, blank=True, verbose_name=_("technology fields, ecosystems and S3 areas")
    )
    target_countries = models.JSONField(
        _("target countries"), default=list, blank=True, help_text=_("Empty: any country.")
    )
    target_regions = models.JSONField(
        _("target regions (NUTS)"),
        default=list,
        blank=True,
        help_text=_("With the target countries: a reader in any of them is targeted."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    call = models.CharField(_("linked call or project"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_postings"
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=False, organisation__isnull=True)
                | Q(cluster__isnull=True, organisation__isnull=False),
                name="posting_one_author",
            )
        ]
        verbose_name = _("partner-search posting")
        verbose_name_plural = _("partner-search postings")

    def __str__(self) -> str:
        return self.title

    @property
    def author(self) -> ClusterOrganisation | Organisation:
        return self.cluster or self.organisation  # type: ignore[return-value]


class Interest(models.Model):
    """Someone wants to cooperate on a posting; its author is told and sees who."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "user"], name="interest_once_per_user")
        ]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")

    def __str__(self) -> str:
        return f"{self.user} → {self.posting}"


class DigestState(models.Model):
    """When a user was last sent the digest of new postings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posting_digest"
    )
    sent_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user}: {self.sent_until:%Y-%m-%d %H:%M}"


class Initiative(models.Model):
    """A meta-cluster that agency staff took up under a name, with goals, actions and the
    cooperation agreements that serve it."""

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="initiatives",
        verbose_name=_("lead agency"),
    )  # fmt: skip
    members = models.ManyToManyField(
        ClusterOrganisation, related_name="initiatives", verbose_name=_("member clusters")
    )
    goals = models.TextField(_("goals"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    agreements = models.ManyToManyField(
        "registry.CooperationAgreement", blank=True, related_name="initiatives",
        verbose_name=_("cooperation agreements"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meta-cluster initiative")
        verbose_name_plural = _("meta-cluster initiatives")

    def __str__(self) -> str:
        return self.name


class LearnedWeights(models.Model):
    """Signal weights of one matching question fitted on the recorded cooperation, with their
    held-out evaluation; the matcher uses them only while an admin has them switched on."""

    class Question(models.TextChoices):
        ABROAD = "abroad", _("partners abroad in my value chain")
        REGION = "region", _("synergies in my region across sectors")

    question = models.CharField(_("question"), max_length=8, choices=Question.choices)
    weights = models.JSONField(_("weights"))
    positives = models.PositiveIntegerField(_("recorded cooperations learned from"))
    negatives = models.PositiveIntegerField(_("sampled negatives"))
    evaluation = models.JSONField(_("held-out evaluation"), default=dict, blank=True)
    active = models.BooleanField(_("in use"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(active=True), name="learned_weights_one_in_use"
            )
        ]
        verbose_name = _("learned matching weights")
        verbose_name_plural = _("learned matching weights")

    def __str__(self) -> str:
        return f"{self.get_question_display()} · {self.created_at:%Y-%m-%d %H:%M}"
