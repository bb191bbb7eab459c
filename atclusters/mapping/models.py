from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atclusters.core.models import Labelled
from atclusters.mapping.statfiles import MEASURES


class Geography(models.TextChoices):
    NUTS = "nuts", _("NUTS regions")
    US_FIPS = "us-fips", _("U.S. states and counties (FIPS)")


class Industries(models.TextChoices):
    NACE = "nace", "NACE"
    NAICS = "naics", "NAICS"


class Dataset(Labelled):
    """A statistics import: where it comes from, under which terms and classifications. A new
    import of the same dataset replaces its observations and raises the revision. Its `name`
    is English; `names` the other languages' (`label` the reader's)."""

    class NutsVersion(models.IntegerChoices):
        NUTS_2016 = 2016, "NUTS 2016"
        NUTS_2021 = 2021, "NUTS 2021"
        NUTS_2024 = 2024, "NUTS 2024"

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    nuts_version = models.PositiveSmallIntegerField(
        _("NUTS version"), choices=NutsVersion.choices, default=NutsVersion.NUTS_2021
    )
    nace_version = models.CharField(_("NACE version"), max_length=3, default="2")
    geography = models.CharField(
        _("regions"), max_length=8, choices=Geography.choices, default=Geography.NUTS
    )
    industries = models.CharField(
        _("industries"), max_length=8, choices=Industries.choices, default=Industries.NACE
    )
    retrieved = models.DateField(_("retrieved on"), null=True, blank=True)
    file_format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    observation_count = models.PositiveIntegerField(_("observations"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("statistics dataset")
        verbose_name_plural = _("statistics datasets")

    def __str__(self) -> str:
        return self.label


class Observation(models.Model):
    """One published value: region × industry × year × measure, with the publisher's flags."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations")
    region = models.CharField(_("region"), max_length=12)
    industry = models.CharField(_("industry"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=16, choices=[(m, m) for m in MEASURES])
    value = models.FloatField(_("value"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=8, blank=True)
    imputed = models.BooleanField(_("imputed"), default=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "measure", "year", "industry", "region"],
                name="observation_unique_cell",
            )
        ]
        indexes = [models.Index(fields=["dataset", "measure", "year", "region"])]

    def __str__(self) -> str:
        return f"{self.region} {self.industry} {self.year} {self.measure}={self.value}"


class AgencyList(Labelled):
    """A named list that the platform (no owner) or one agency keeps, named in English and in
    `names` in other languages."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "core.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency"),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label


class CategoryScheme(AgencyList):
    """A set of cluster categories, each a set of industries: the U.S. benchmark definitions
    or one an agency defines (e.g. "Atlantic blue economy")."""

    industries = models.CharField(
        _("industries"), max_length=8, choices=Industries.choices, default=Industries.NACE
    )

    class Meta(AgencyList.Meta):
        verbose_name = _("category scheme")
        verbose_name_plural = _("category schemes")


class Category(models.Model):
    class Kind(models.TextChoices):
        # The U.S. Cluster Mapping Project's two kinds (Delgado, Porter & Stern 2016): traded
        # industries sell across regions and concentrate in some; local ones serve their own
        # region. Only traded categories can be strong clusters.
        TRADED = "traded", _("traded")
        LOCAL = "local", _("local")

    scheme = models.ForeignKey(CategoryScheme, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    industries = models.JSONField(
        _("industries"), default=list, help_text=_("NACE codes, none inside another.")
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.TRADED)

    class Meta:
        ordering = ["scheme", "code"]
        verbose_name = _("cluster category")
        verbose_name_plural = _("cluster categories")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RegionGroup(AgencyList):
    """Regions taken together: a comparison base for location quotients or a macro-region
    (e.g. the Atlantic Area)."""

    regions = models.JSONField(_("regions"), default=list, help_text=_("NUTS codes."))

    class Meta(AgencyList.Meta):
        verbose_name = _("region group")
        verbose_name_plural = _("region groups")


class StrongLqBase(models.TextChoices):
    TRADED = "traded", _("traded employment")
    TOTAL = "total", _("all employment")


class RatingSet(models.Model):
    """The stored ratings of one dataset in one category scheme against one comparison base
    (blank: the dataset's countries), every year and level; recomputed in the background
    whenever the dataset, the scheme or a region group changes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being computed")
        DONE = "done", _("up to date")
        FAILED = "failed", _("failed")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="rating_sets")
    scheme = models.CharField(_("category scheme"), max_length=80)
    base = models.CharField(_("comparison base"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    dataset_revision = models.PositiveIntegerField(_("dataset revision"), default=0)
    thresholds = models.JSONField(_("thresholds"), default=dict)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    years = models.JSONField(_("years"), default=list)
    # Each year's comparison base and whether it is complete (ratings.COVERAGE_COLUMNS).
    coverage = models.JSONField(_("coverage of the comparison base"), default=list)
    # What the strong-cluster rule's location quotient (Rating.kind_lq) divided by when the set
    # was computed (ratings.strong_lq_base); sets computed before it existed used all employment.
    strong_lq_base = models.CharField(
        _("base of the strong-cluster location quotient"),
        max_length=6,
        choices=StrongLqBase.choices,
        default=StrongLqBase.TOTAL,
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("stored ratings")
        verbose_name_plural = _("stored ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "scheme", "base"], name="rating_set_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} {self.scheme} {self.base or '-'}"

    @property
    def incomplete_years(self) -> list[int]:
        """The years whose comparison base is incomplete (none for a set computed before
        coverage was recorded)."""
        return sorted(int(entry["year"]) for entry in self.coverage if not entry["complete"])


class Rating(models.Model):
    """One region (or region group, level 9) × category × year of a rating set."""

    # No database constraint: checking it a million times per computation (one deferred
    # trigger per row) took most of PostgreSQL's load time. Rows are written only by
    # services.ratings_compute, for a set it holds; deleting a set deletes its rows (Django).
    rating_set = models.ForeignKey(
        RatingSet, on_delete=models.CASCADE, related_name="ratings", db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("level"))
    region = models.CharField(_("region"), max_length=80)
    category = models.CharField(_("category"), max_length=80)
    employment = models.FloatField(_("employment"))
    establishments = models.FloatField(_("establishments"), null=True)
    wages = models.FloatField(_("wages"), null=True)
    share = models.FloatField(_("share"), null=True)
    lq = models.FloatField(_("location quotient"), null=True)
    # Against the employment of the category's kind (ratings.kind_totals); the strong-cluster
    # rule's location quotient. Null in sets computed before it existed.
    kind_lq = models.FloatField(_("location quotient within the kind"), null=True)
    growth = models.FloatField(_("growth"), null=True)
    wage_per_employee = models.FloatField(_("wages per employee"), null=True)
    size_star = models.BooleanField(_("size star"))
    specialisation_star = models.BooleanField(_("specialisation star"))
    focus_star = models.BooleanField(_("focus star"))
    productivity_star = models.BooleanField(_("productivity star"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    strong = models.BooleanField(_("strong cluster"))
    imputed = models.BooleanField(_("imputed"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            # Both lead with the year: a computation writes year after year, so each index
            # grows in one small region of its tree at a time (random inserts all over a
            # million-row index made PostgreSQL's load three times slower). Reads without a year
            # name the set's years (RatingSet.years) to seek instead of scanning.
            models.Index(fields=["rating_set", "year", "region"]),
            models.Index(fields=["rating_set", "year", "level", "category"]),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.category} {self.year}"
