"""EU funding: calls for proposals (topics of the Funding & Tenders portal, imported or entered
by hand), the feeds that import them every day, and the track record of EU projects from CORDIS
with their participants linked to registry organisations (docs/funding.md)."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Agency, DocumentVersionBase, Term, VersionedDocument
from atclusters.funding import calldates, pipeline
from atclusters.registry.models import ClusterOrganisation, Organisation


class Call(models.Model):
    class DeadlineModel(models.TextChoices):
        SINGLE = calldates.SINGLE, _("single-stage")
        TWO_STAGE = calldates.TWO_STAGE, _("two-stage")
        CUT_OFFS = calldates.CUT_OFFS, _("multiple cut-off dates")

    class Source(models.TextChoices):
        HAND = "hand", _("entered by hand")
        PORTAL = "portal", _("Funding & Tenders portal")

    identifier = models.CharField(
        _("identifier"), max_length=120, unique=True,
        help_text=_("The topic's identifier, e.g. HORIZON-CL6-2026-FARM2FORK-01-03."),
    )  # fmt: skip
    call_identifier = models.CharField(_("call"), max_length=120, blank=True)
    programme = models.CharField(_("programme"), max_length=100)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opening"), null=True, blank=True)
    deadline_model = models.CharField(
        _("deadline model"), max_length=20, choices=DeadlineModel.choices,
        default=DeadlineModel.SINGLE,
    )  # fmt: skip
    # Every deadline, ascending, as ISO 8601 instants (Brussels offset): one for a single-stage
    # call, two for a two-stage one, several cut-offs. `deadline_at` is the last of them.
    deadlines = models.JSONField(_("deadlines"), default=list)
    deadline_at = models.DateTimeField(_("final deadline"), db_index=True)
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_grant_eur = models.DecimalField(
        _("expected EU contribution per project (EUR)"), max_digits=14, decimal_places=2,
        null=True, blank=True,
    )  # fmt: skip
    expected_grants = models.PositiveIntegerField(_("expected grants"), null=True, blank=True)
    type_of_action = models.CharField(_("type of action"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    eligible_countries = models.JSONField(
        _("eligible countries"), default=list, blank=True,
        help_text=_("ISO codes; none means any country the programme admits."),
    )  # fmt: skip
    terms = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("technology fields, ecosystems, S3")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline_at", "identifier"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self) -> str:
        return self.identifier

    def deadline_moments(self) -> list[datetime]:
        return [datetime.fromisoformat(text) for text in self.deadlines]


class CallFeed(models.Model):
    """A search API address the platform reads every day (a saved search of the portal)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=2000)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    last_run_at = models.DateTimeField(_("last read"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("call feed")
        verbose_name_plural = _("call feeds")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A project funded by an EU framework programme, as CORDIS publishes it."""

    project_id = models.CharField(_("project ID"), max_length=20, unique=True)
    acronym = models.CharField(_("acronym"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=600)
    programme = models.CharField(_("framework programme"), max_length=40, db_index=True)
    # The work programme's topic it answered (e.g. HORIZON-CL6-2022-FARM2FORK-01-05): partners
    # are proposed from projects of the same part of the work programme as a call.
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    ec_max_contribution = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "acronym"]
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")

    def __str__(self) -> str:
        return self.acronym or self.project_id


class Participation(models.Model):
    class Role(models.TextChoices):
        # CORDIS's words (organization.csv, column `role`)
        COORDINATOR = "coordinator", _("coordinator")
        PARTICIPANT = "participant", _("beneficiary")
        THIRD_PARTY = "thirdParty", _("affiliated entity")
        ASSOCIATED = "associatedPartner", _("associated partner")
        INTERNATIONAL = "internationalPartner", _("international partner")

    class Method(models.TextChoices):
        NONE = "", _("not linked")
        PIC = "pic", _("by PIC")
        VAT = "vat", _("by VAT number")
        NAME = "name", _("by name and country")
        HAND = "hand", _("by hand")

    class Review(models.TextChoices):
        NONE = "", _("no review needed")
        PENDING = "pending", _("awaiting review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations",
        verbose_name=_("project"),
    )  # fmt: skip
    pic = models.CharField(_("PIC"), max_length=9, blank=True)
    name = models.CharField(_("name"), max_length=400)
    country = models.CharField(_("country"), max_length=2, blank=True)
    vat = models.CharField(_("VAT number"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=25, choices=Role.choices)
    ec_contribution = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="eu_participations", verbose_name=_("registry organisation"),
    )  # fmt: skip
    link_method = models.CharField(
        _("linked"), max_length=5, choices=Method.choices, default="", blank=True
    )
    link_score = models.FloatField(_("name similarity"), default=0)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default="", blank=True
    )

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "pic"], condition=~Q(pic=""), name="participation_pic_once"
            )
        ]
        indexes = [models.Index(fields=["review"], name="participation_review")]

    def __str__(self) -> str:
        return f"{self.name} in {self.project}"


class Proposal(models.Model):
    """A proposal a cluster prepares for a call, from the idea to the decision."""

    class Stage(models.TextChoices):
        IDEA = pipeline.IDEA, _("idea")
        CONSORTIUM = pipeline.CONSORTIUM, _("consortium building")
        DRAFTING = pipeline.DRAFTING, _("drafting")
        SUBMITTED = pipeline.SUBMITTED, _("submitted")
        EVALUATED = pipeline.EVALUATED, _("evaluated")
        FUNDED = pipeline.FUNDED, _("funded")
        REJECTED = pipeline.REJECTED, _("rejected")
        WITHDRAWN = pipeline.WITHDRAWN, _("withdrawn")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.PROTECT, related_name="eu_proposals",
        verbose_name=_("cluster"),
    )  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    eu_contribution_eur = models.DecimalField(
        _("EU contribution requested (EUR)"), max_digits=14, decimal_places=2, null=True,
        blank=True,
    )  # fmt: skip
    score = models.DecimalField(
        _("evaluation score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    feedback = models.TextField(_("evaluation feedback"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title


class ProposalPartner(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = pipeline.COORDINATOR, _("coordinator")
        BENEFICIARY = pipeline.BENEFICIARY, _("beneficiary")
        AFFILIATED = pipeline.AFFILIATED, _("affiliated entity")
        ASSOCIATED = pipeline.ASSOCIATED, _("associated partner")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="partners", verbose_name=_("proposal")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registry organisation"),
    )  # fmt: skip
    # An organisation outside the registry: its name, PIC, VAT number and country.
    name = models.CharField(_("name"), max_length=300)
    pic = models.CharField(_("PIC"), max_length=9, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_contribution_eur = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["proposal", "role", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], condition=Q(organisation__isnull=False),
                name="proposal_partner_once",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class ProposalDocument(VersionedDocument):
    """A document of a proposal (a draft, a budget table, a letter of support); its file is
    each of its versions."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="documents", verbose_name=_("proposal")
    )

    class Meta(VersionedDocument.Meta):
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")


class ProposalDocumentVersion(DocumentVersionBase):
    document = models.ForeignKey(
        ProposalDocument, on_delete=models.CASCADE, related_name="versions",
        verbose_name=_("document"),
    )  # fmt: skip
    # Stored under a random name; served only through the permission-checked download page.
    file = models.FileField(_("file"), upload_to="proposals/")

    class Meta(DocumentVersionBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="proposal_document_version_once"
            )
        ]


class ProposalTask(models.Model):
    """Something to do for the proposal, by someone, by a day."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("proposal")
    )
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("who"),
    )  # fmt: skip
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class ProposalInvitation(models.Model):
    """A registry organisation invited to join the consortium: its representatives accept
    (it becomes a partner with the role offered) or decline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("proposal")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=12, choices=ProposalPartner.Role.choices)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("invited by"),
    )  # fmt: skip
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("answered by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], condition=Q(status="pending"),
                name="proposal_invitation_pending_once",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation} to {self.proposal}"
