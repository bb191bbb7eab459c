from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atclusters.core.entities import PerLanguage
from atclusters.core.labels import localised


class Labelled(models.Model):
    """Reference data whose English `name` has translations in `names` ({"es": ..., ...})."""

    names = models.JSONField(_("names in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        """The name in the active language."""
        return localised(self.name, self.names)  # type: ignore[attr-defined]


class Country(Labelled):
    """ISO 3166-1 country; `code` is alpha-2 (the UK is GB here, UK in NUTS)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    nuts_code = models.CharField(_("NUTS country code"), max_length=2, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.label


class NutsRegion(Labelled):
    """A NUTS code with the classification versions (2016, 2021, 2024) that contain it."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"))
    country_code = models.CharField(_("country code"), max_length=2, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    in_2016 = models.BooleanField(default=False)
    in_2021 = models.BooleanField(default=False)
    in_2024 = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NUTS region")
        verbose_name_plural = _("NUTS regions")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def versions(self) -> list[int]:
        return [
            year
            for year, present in ((2016, self.in_2016), (2021, self.in_2021), (2024, self.in_2024))
            if present
        ]


class NutsChange(models.Model):
    """One row of Eurostat's NUTS 2021 → 2024 change table."""

    code_2021 = models.CharField(max_length=5, blank=True)
    code_2024 = models.CharField(max_length=5, blank=True)
    level = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    change = models.TextField(blank=True)

    class Meta:
        ordering = ["level", "code_2021", "code_2024"]

    def __str__(self) -> str:
        return f"{self.code_2021 or '—'} → {self.code_2024 or '—'}"


class NaceActivity(Labelled):
    class Level(models.IntegerChoices):
        SECTION = 1, _("section")
        DIVISION = 2, _("division")
        GROUP = 3, _("group")
        CLASS = 4, _("class")

    class Version(models.TextChoices):
        REV2 = "2", "NACE Rev. 2"
        REV2_1 = "2.1", "NACE Rev. 2.1"

    version = models.CharField(max_length=3, choices=Version.choices)
    code = models.CharField(_("code"), max_length=6)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    name = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="nace_unique_code"),
        ]
        verbose_name = _("NACE activity")
        verbose_name_plural = _("NACE activities")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Term(Labelled):
    """An entry of an editable taxonomy (technology fields, ecosystems, S3 areas, networks)."""

    class Kind(models.TextChoices):
        TECHNOLOGY_FIELD = "technology_field", _("technology field")
        ECOSYSTEM = "ecosystem", _("EU industrial ecosystem")
        S3_AREA = "s3_area", _("S3 priority area")
        NETWORK = "network", _("cluster network")

    kind = models.CharField(_("taxonomy"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("identifier"), max_length=80)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="term_unique_slug"),
        ]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.label


class Agency(models.Model):
    """A regional development agency: the tenant that owns clusters and their data."""

    slug = models.SlugField(_("identifier"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    website = models.URLField(_("website"), blank=True)
    regions = models.ManyToManyField(NutsRegion, blank=True, verbose_name=_("regions"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="agencies", verbose_name=_("staff")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.acronym or self.name


class ApiToken(models.Model):
    """A personal token for scripts; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OutgoingEmail(models.Model):
    """An email rendered while answering a request, kept until the background worker has sent
    it and then deleted: account emails carry password-reset links, which must not outlive their
    sending in the database (nor sit in the job's arguments)."""

    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.TextField()
    to = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class UserLanguage(models.Model):
    """The language a user last signed in with: what the platform writes to them later, with no
    request to read a language from (reminders, waiting-list seats, mentions), is in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="language", verbose_name=_("user"),
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class WorkerHeartbeat(models.Model):
    """A background worker (`atclusters db_worker`) that is alive: it refreshes its row every
    TASKS_HEARTBEAT_SECONDS and deletes it when it stops cleanly. A row that is no longer
    refreshed is a worker that died (killed, out of memory, machine lost) with, perhaps, a job
    in hand."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class PeriodicRun(models.Model):
    """A periodic job queued for one period (core.domains.PeriodicJob.slot): the unique pair is
    what lets several schedulers, or one restarted, queue each job once per period."""

    task = models.CharField(max_length=200)
    slot = models.CharField(max_length=32)
    queued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.slot}"


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=60)
    object_pk = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict)
    source = models.CharField(max_length=20, default="web")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_pk"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class SitePage(models.Model):
    """An administrator's own text for a legal page, replacing the default text in the
    languages it is written in (core/branding.py)."""

    class Slug(models.TextChoices):
        LEGAL_NOTICE = "legal-notice", _("Legal notice")
        PRIVACY = "privacy", _("Privacy notice")
        COOKIES = "cookies", _("Cookies")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    slug = models.SlugField(_("page"), choices=Slug.choices, unique=True)
    title_texts = PerLanguage("title", models.CharField, _("title"), max_length=200)
    # labelled "text (English, HTML)": not the "<label> (<language>)" of PerLanguage
    body_en = models.TextField(_("text (English, HTML)"), blank=True)
    body_es = models.TextField(_("text (Spanish, HTML)"), blank=True)
    body_gl = models.TextField(_("text (Galician, HTML)"), blank=True)
    body_pt = models.TextField(_("text (Portuguese, HTML)"), blank=True)
    body_fr = models.TextField(_("text (French, HTML)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")

    def __str__(self) -> str:
        return self.get_slug_display()

    def body_in(self, language: str) -> str:
        return getattr(self, f"body_{language}", "") or ""

    def title_in(self, language: str) -> str:
        return getattr(self, f"title_{language}", "") or self.get_slug_display()


class VersionedDocument(models.Model):
    """A document kept in versions (a proposal's, a working group's): its title; its file is
    each of its versions (`DocumentVersionBase`, uploaded by core.documents)."""

    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class DocumentVersionBase(models.Model):
    """One version of a `VersionedDocument`. A concrete model adds `document` (a foreign key
    with related_name "versions") and `file` (a FileField with its folder)."""

    number = models.PositiveIntegerField(_("version"))
    filename = models.CharField(_("file name"), max_length=200)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"  # type: ignore[attr-defined]
