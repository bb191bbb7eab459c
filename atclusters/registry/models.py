from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atclusters.core import languages
from atclusters.core.entities import Attribute, Entity, PerLanguage, per_language
from atclusters.core.models import Agency, Country, NaceActivity, NutsRegion, Term
from atclusters.registry import identifiers

DESCRIPTION_LANGUAGES = languages.CODES
IDENTIFIER_FIELDS = ("vat_number", "national_id", "pic", "lei")


class ClusterOrganisation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for review")
        PUBLISHED = "published", _("published")

    class Label(models.TextChoices):
        NONE = "", _("none")
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    class ValueChainPosition(models.TextChoices):
        UNSPECIFIED = "", _("not specified")
        UPSTREAM = "upstream", _("upstream (raw materials, components)")
        MIDSTREAM = "midstream", _("midstream (processing, manufacturing)")
        DOWNSTREAM = "downstream", _("downstream (distribution, services, end users)")
        CROSS = "cross", _("across the value chain")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=250, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    year_established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(
        _("contact person"),
        max_length=150,
        blank=True,
        help_text=_("The contact details are shown on the public profile."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    description_texts = PerLanguage("description", models.TextField, _("description"))
    description_en: str  # the fallback, read by name (the fields are made at run time)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("agency")
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    nuts_region = models.ForeignKey(
        NutsRegion, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("NUTS region")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS 84 decimal degrees; places the cluster on the map."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    sectors = models.ManyToManyField(NaceActivity, blank=True, verbose_name=_("sectors (NACE)"))
    technology_fields = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Term.Kind.TECHNOLOGY_FIELD},
        verbose_name=_("technology fields"),
    )
    ecosystems = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Term.Kind.ECOSYSTEM},
        verbose_name=_("EU industrial ecosystems"),
    )
    s3_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Term.Kind.S3_AREA},
        verbose_name=_("S3 priority areas"),
    )
    networks = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Term.Kind.NETWORK},
        verbose_name=_("networks"),
    )
    value_chain_position = models.CharField(
        _("value-chain position"), max_length=20, choices=ValueChainPosition.choices, blank=True
    )
    management_team_fte = models.DecimalField(
        _("management team (FTE)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    label = models.CharField(
        _("excellence label"), max_length=10, choices=Label.choices, blank=True
    )
    label_date = models.DateField(_("label awarded on"), null=True, blank=True)
    label_expiry = models.DateField(_("label expires on"), null=True, blank=True)
    programme_recognition = models.CharField(
        _("regional/national programme recognition"), max_length=250, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_clusters",
        verbose_name=_("cluster managers"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster organisation")
        verbose_name_plural = _("cluster organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(label_expiry__isnull=True)
                | Q(label_date__isnull=True)
                | Q(label_expiry__gt=models.F("label_date")),
                name="cluster_label_expiry_after_award",
                violation_error_message=_("The label must expire after it was awarded."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if not self.label and (self.label_date or self.label_expiry):
            errors["label"] = _("Choose the label these dates belong to.")
        if self.label_date and self.label_expiry and self.label_expiry <= self.label_date:
            errors["label_expiry"] = _("The label must expire after it was awarded.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def description(self, language: str) -> str:
        """The description in `language`, falling back to English, then to any language."""
        texts = [getattr(self, f"description_{code}") for code in DESCRIPTION_LANGUAGES]
        own = (
            getattr(self, f"description_{language}", "")
            if language in DESCRIPTION_LANGUAGES
            else ""
        )
        return own or self.description_en or next((text for text in texts if text), "")


class Organisation(models.Model):
    class Type(models.TextChoices):
        SME = "sme", _("SME")
        STARTUP = "startup", _("start-up")
        LARGE = "large", _("large company")
        UNIVERSITY = "university", _("university")
        RESEARCH = "research", _("research/technology centre")
        PUBLIC = "public", _("public body")
        OTHER = "other", _("other")

    class SizeClass(models.TextChoices):
        UNKNOWN = "", _("unknown")
        MICRO = "micro", _("micro (<10)")
        SMALL = "small", _("small (10-49)")
        MEDIUM = "medium", _("medium (50-249)")
        LARGE = "large", _("large (250+)")

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=250)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    national_id = models.CharField(_("national company ID"), max_length=20, blank=True)
    pic = models.CharField(_("EU PIC"), max_length=9, blank=True)
    lei = models.CharField(_("LEI"), max_length=20, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    turnover_eur = models.DecimalField(
        _("turnover (EUR)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    nace = models.ForeignKey(
        NaceActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("main activity (NACE)"),
    )
    nuts_region = models.ForeignKey(
        NutsRegion, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("NUTS region")
    )
    website = models.URLField(_("website"), blank=True)
    is_fictitious = models.BooleanField(
        _("fictitious (demo data)"),
        default=False,
        help_text=_("Generated for demonstration; not a real organisation."),
    )
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="represented_organisations",
        verbose_name=_("representatives"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "vat_number"],
                condition=~Q(vat_number=""),
                name="org_unique_vat",
                violation_error_message=_(
                    "Another organisation in this country has this VAT number."
                ),
            ),
            models.UniqueConstraint(
                fields=["country", "national_id"],
                condition=~Q(national_id=""),
                name="org_unique_national_id",
                violation_error_message=_(
                    "Another organisation in this country has this company ID."
                ),
            ),
            models.UniqueConstraint(
                fields=["pic"],
                condition=~Q(pic=""),
                name="org_unique_pic",
                violation_error_message=_("Another organisation has this PIC."),
            ),
            models.UniqueConstraint(
                fields=["lei"],
                condition=~Q(lei=""),
                name="org_unique_lei",
                violation_error_message=_("Another organisation has this LEI."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None):
        # An empty identifier is outside its conditional unique constraint: skip the query.
        empty = {name for name in IDENTIFIER_FIELDS if not getattr(self, name)}
        super().validate_constraints(exclude=set(exclude or ()) | empty)

    def clean(self) -> None:
        """Normalises identifiers and checks their format for the organisation's country."""
        errors = {}
        checks = {
            "vat_number": lambda v: identifiers.normalise_vat(v, self.country_id or ""),
            "national_id": lambda v: identifiers.normalise_national_id(v, self.country_id or ""),
            "pic": identifiers.normalise_pic,
            "lei": identifiers.normalise_lei,
        }
        for field, normalise in checks.items():
            value = getattr(self, field)
            if not value:
                continue
            try:
                setattr(self, field, normalise(value))
            except identifiers.IdentifierError as error:
                country = Country.objects.filter(code=self.country_id or "").first()
                errors[field] = identifier_message(error, country)
        if errors:
            raise ValidationError(errors)


# What identifiers.py's error codes say, in the user's language.
IDENTIFIER_MESSAGES = {
    "vat_prefix": _("A VAT number of %(country)s starts with %(prefix)s."),
    "vat_format": _(
        "This is not the format of a VAT number of %(country)s (the format the EU's VIES checks)."
    ),
    "es_nif": _(
        "A Spanish NIF or CIF is a letter, 7 digits and a check character, or 8 digits and a "
        "letter."
    ),
    "pt_nipc": _("A Portuguese NIPC is 9 digits with a valid check digit."),
    "fr_siren": _("A French SIREN is 9 digits with a valid Luhn check digit."),
    "ie_cro": _("An Irish CRO number is 1 to 6 digits."),
    "gb_company": _("A UK company number is 8 digits, or 2 letters and 6 digits."),
    "company_id": _("A company ID is 2 to 20 letters or digits."),
    "pic": _("An EU PIC is 9 digits."),
    "lei_format": _("An LEI is 18 letters or digits followed by 2 check digits."),
    "lei_check": _("The LEI's check digits do not match."),
}


def identifier_message(error: identifiers.IdentifierError, country: Country | None = None) -> str:
    """The refusal of an identifier in the active language, naming the country by its name in
    that language when it is known (else by its code)."""
    params = {**error.params}
    if country is not None and "country" in params:
        params["country"] = country.label
    return str(IDENTIFIER_MESSAGES[error.code] % params)


# What a user gives for a cluster, once: the edit form, the import file's columns and the API's
# input schema derive from it (core/entities.py). The order is the file's and the form's.
CLUSTER = Entity(
    ClusterOrganisation,
    (
        Attribute("slug", form=False, api=False),
        Attribute("name"),
        Attribute("acronym"),
        Attribute("legal_name"),
        Attribute("legal_form"),
        Attribute("agency", form=False, api=False),  # chosen apart, among the user's agencies
        Attribute("country"),
        Attribute("nuts_region", key="nuts_code"),
        Attribute("city"),
        Attribute("latitude"),
        Attribute("longitude"),
        Attribute("year_established"),
        Attribute("website"),
        Attribute("contact_name"),
        Attribute("contact_email"),
        Attribute("contact_phone"),
        Attribute("sectors"),
        Attribute("technology_fields"),
        Attribute("ecosystems"),
        Attribute("s3_areas"),
        Attribute("networks"),
        Attribute("value_chain_position"),
        Attribute("management_team_fte"),
        Attribute("label"),
        Attribute("label_date"),
        Attribute("label_expiry"),
        Attribute("programme_recognition"),
        Attribute("status", form=False, api=False),  # moved by its own actions
        Attribute("logo", column=False, api=False),  # an upload, on the page only
        *per_language("description"),
    ),
)


@cache
def cluster_term_kinds() -> dict[str, str]:
    """The cluster's taxonomy fields and the kind of term each takes (from the model: read once
    the models are loaded)."""
    return {
        attribute.field: CLUSTER.model_field(attribute).remote_field.limit_choices_to["kind"]  # type: ignore[index, union-attr]
        for attribute in CLUSTER.references()
        if CLUSTER.model_field(attribute).related_model is Term
    }


class Membership(models.Model):
    """An organisation's membership of a cluster over a period; ended rows stay as history."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        BOARD = "board", _("board member")
        FOUNDER = "founder", _("founder")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    cluster = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("cluster"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    listed_publicly = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("The member agreed to appear on the cluster's public profile."),
    )

    class Meta:
        ordering = ["cluster", "organisation", "-since"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster"],
                condition=Q(until__isnull=True),
                name="membership_one_current",
                violation_error_message=_("This organisation is already a current member."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "cluster", "since"],
                name="membership_unique_start",
                violation_error_message=_(
                    "A membership of this organisation starting that day exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.cluster}"

    @property
    def is_current(self) -> bool:
        return self.until is None


ORGANISATION = Entity(
    Organisation,
    (
        Attribute("slug", form=False, api=False),
        Attribute("name"),
        Attribute("type"),
        Attribute("country"),
        Attribute("vat_number"),
        Attribute("national_id"),
        Attribute("pic"),
        Attribute("lei"),
        Attribute("size_class"),
        Attribute("employees"),
        Attribute("turnover_eur"),
        Attribute("nace"),
        Attribute("nuts_region", key="nuts_code"),
        Attribute("website"),
        Attribute("is_fictitious", form=False, api=False),  # set by the demo and imports
    ),
)


class CooperationAgreement(models.Model):
    """An agreement between two parties, each an agency or a cluster."""

    class Type(models.TextChoices):
        MOU = "mou", _("memorandum of understanding")
        JOINT_PROJECT = "joint_project", _("joint project")
        PARTNERSHIP = "partnership", _("partnership")

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=250)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    agency_a = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first party (agency)"),
    )
    cluster_a = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first party (cluster)"),
    )
    agency_b = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party (agency)"),
    )
    cluster_b = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party (cluster)"),
    )
    sector = models.ForeignKey(
        NaceActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("sector (NACE)"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    is_public = models.BooleanField(
        _("shown publicly"),
        default=False,
        help_text=_(
            "Shown on the parties' public profiles and in the agencies' network; "
            "documents stay private to the parties."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("recorded by agency"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_a__isnull=True, cluster_a__isnull=False)
                | Q(agency_a__isnull=False, cluster_a__isnull=True),
                name="agreement_first_party_exactly_one",
                violation_error_message=_("The first party is either an agency or a cluster."),
            ),
            models.CheckConstraint(
                condition=Q(agency_b__isnull=True, cluster_b__isnull=False)
                | Q(agency_b__isnull=False, cluster_b__isnull=True),
                name="agreement_second_party_exactly_one",
                violation_error_message=_("The second party is either an agency or a cluster."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="agreement_end_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def party_a(self) -> Agency | ClusterOrganisation:
        return self.agency_a or self.cluster_a  # type: ignore[return-value]

    @property
    def party_b(self) -> Agency | ClusterOrganisation:
        return self.agency_b or self.cluster_b  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        def side(agency: Agency | None) -> str:
            return "agency" if agency else "cluster"

        return f"{side(self.agency_a)}-{side(self.agency_b)}"


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(
        CooperationAgreement, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="agreements/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An agency invites a person by email to manage one cluster."""

    email = models.EmailField(_("email"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, verbose_name=_("cluster")
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
