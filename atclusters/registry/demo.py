"""Demo data: the six agencies of the ATCLUSTERS partnership, 81 real Atlantic Area clusters from
public facts (data/atlantic_clusters_facts.jsonl) and generated, clearly fictitious members."""

import csv
import json
import random
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from atclusters.core.audit import audited_bulk_create
from atclusters.core.models import Agency, NaceActivity, NutsRegion, Term
from atclusters.core.reference import DATA_DIR, reference_load
from atclusters.registry import services
from atclusters.registry.models import (
    DESCRIPTION_LANGUAGES,
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)

DEMO_PASSWORD = "atclusters-demo-2026"  # noqa: S105 - printed on purpose; demo installations only
MAX_GENERATED_MEMBERS = 40

AGENCIES: list[dict[str, Any]] = [
    {
        "slug": "igape",
        "acronym": "IGAPE",
        "name": "Instituto Galego de Promoción Económica",
        "country": "ES",
        "regions": ["ES11"],
        "website": "https://www.igape.es",
    },
    {
        "slug": "idepa",
        "acronym": "IDEPA",
        "name": "Instituto de Desarrollo Económico del Principado de Asturias",
        "country": "ES",
        "regions": ["ES12"],
        "website": "https://www.idepa.es",
    },
    {
        "slug": "sodercan",
        "acronym": "SODERCAN",
        "name": "Sociedad para el Desarrollo Regional de Cantabria",
        "country": "ES",
        "regions": ["ES13"],
        "website": "https://www.sodercan.es",
    },
    {
        # The project's Irish partner was the South West Regional Authority, dissolved in 2014;
        # the Southern Regional Assembly took over its role for the region.
        "slug": "southern-assembly",
        "acronym": "SRA",
        "name": "Southern Regional Assembly",
        "country": "IE",
        "regions": ["IE05"],
        "website": "https://www.southernassembly.ie",
    },
    {
        "slug": "bretagne-innovation",
        "acronym": "BDI",
        "name": "Bretagne Innovation",
        "country": "FR",
        "regions": ["FRH0"],
        "website": "",
    },
    {
        "slug": "adrave",
        "acronym": "ADRAVE",
        "name": "Agência de Desenvolvimento Regional do Vale do Ave",
        "country": "PT",
        "regions": ["PT119"],
        "website": "",
    },
]
# Clusters outside the six partner regions are attached, as benchmark entries, to the partner of
# their country (UK clusters to the Irish partner).
COUNTRY_PARTNER = {
    "ES": "igape",
    "IE": "southern-assembly",
    "FR": "bretagne-innovation",
    "PT": "adrave",
    "UK": "southern-assembly",
}
REGION_PARTNER = {
    "ES11": "igape",
    "ES12": "idepa",
    "ES13": "sodercan",
    "FRH0": "bretagne-innovation",
}

SECTOR_RULES: list[tuple[str, list[str], list[str]]] = [
    # (word in the sector tag, NACE Rev. 2.1 divisions, ecosystem slugs)
    ("agri-food", ["10", "11"], ["agri-food"]),
    ("seafood", ["03", "10"], ["agri-food"]),
    ("aquaculture", ["03"], ["agri-food"]),
    ("automotive", ["29"], ["mobility-transport-automotive"]),
    ("aerospace", ["30"], ["aerospace-defence"]),
    ("defence", ["30"], ["aerospace-defence"]),
    ("maritime", ["30", "50"], ["mobility-transport-automotive"]),
    ("marine", ["30", "35"], ["renewable-energy"]),
    ("creative", ["59", "90"], ["cultural-creative"]),
    ("audiovisual", ["59", "60"], ["cultural-creative"]),
    ("ict", ["62", "63"], ["digital"]),
    ("cyber", ["62"], ["digital"]),
    ("electronics", ["26"], ["electronics"]),
    ("photonics", ["26"], ["electronics"]),
    ("health", ["21", "86"], ["health"]),
    ("biotech", ["21", "72"], ["health"]),
    ("textile", ["13", "14"], ["textile"]),
    ("energy", ["35"], ["renewable-energy"]),
    ("wind", ["35"], ["renewable-energy"]),
    ("nuclear", ["35"], ["energy-intensive"]),
    ("metal", ["24", "25"], ["energy-intensive"]),
    ("steel", ["24"], ["energy-intensive"]),
    ("manufacturing", ["28"], ["energy-intensive"]),
    ("tooling", ["22", "28"], ["energy-intensive"]),
    ("wood", ["16", "31"], ["construction"]),
    ("construction", ["41", "43"], ["construction"]),
    ("habitat", ["41"], ["construction"]),
    ("mining", ["08"], ["energy-intensive"]),
    ("tourism", ["55", "79"], ["tourism"]),
    ("logistics", ["52"], ["mobility-transport-automotive"]),
    ("water", ["36"], ["proximity-social-economy"]),
    ("printing", ["18", "26"], ["electronics"]),
    ("knowledge", ["70", "72"], ["digital"]),
]

# Demonstration technology fields by a word of the sector tag, for clusters whose public profile
# names none (invented, like the members): matching across sectors needs them to find shared
# technologies, e.g. marine and health clusters both in biotechnology.
TECHNOLOGY_RULES: list[tuple[str, list[str]]] = [
    ("agri-food", ["food-processing"]),
    ("plant", ["biotechnology"]),
    ("seafood", ["food-processing", "marine-technology"]),
    ("aquaculture", ["marine-technology", "biotechnology"]),
    ("blue economy", ["marine-technology", "biotechnology"]),
    ("maritime", ["marine-technology"]),
    ("marine", ["marine-technology", "renewable-energy-tech"]),
    ("automotive", ["robotics", "sensors"]),
    ("mobility", ["internet-of-things"]),
    ("aerospace", ["advanced-materials", "additive-manufacturing"]),
    ("defence", ["cybersecurity"]),
    ("creative", ["audiovisual-media"]),
    ("audiovisual", ["audiovisual-media"]),
    ("ict", ["artificial-intelligence", "internet-of-things"]),
    ("cyber", ["cybersecurity"]),
    ("security", ["cybersecurity"]),
    ("electronics", ["microelectronics", "sensors"]),
    ("photonics", ["photonics"]),
    ("health", ["medical-devices"]),
    ("biotech", ["biotechnology"]),
    ("textile", ["advanced-materials"]),
    ("energy", ["renewable-energy-tech"]),
    ("wind", ["renewable-energy-tech"]),
    ("metal", ["advanced-materials"]),
    ("manufacturing", ["robotics", "machine-tools"]),
    ("tooling", ["additive-manufacturing"]),
    ("plastics", ["circular-economy"]),
    ("wood", ["circular-economy"]),
    ("bio-based", ["circular-economy"]),
    ("construction", ["circular-economy"]),
    ("habitat", ["circular-economy"]),
    ("logistics", ["logistics-technology"]),
    ("water", ["sensors"]),
    ("printing", ["microelectronics"]),
    ("knowledge", ["artificial-intelligence"]),
]

LEGAL_SUFFIX = {"ES": "S.L.", "PT": "Lda.", "FR": "SAS", "IE": "Ltd", "GB": "Ltd"}
NAME_PARTS = [
    "Atlántica",
    "Norte",
    "Ría",
    "Costa",
    "Océano",
    "Verde",
    "Faro",
    "Brisa",
    "Granito",
    "Marea",
    "Horizonte",
    "Cabo",
    "Roble",
    "Estuario",
    "Duna",
    "Cumbre",
    "Albatros",
    "Llanura",
]
TYPE_WORDS = {
    "sme": "Solutions",
    "startup": "Labs",
    "large": "Group",
    "research": "Research Centre",
    "university": "University",
    "public": "Agency",
    "other": "Association",
}


def _sector_profile(tag: str) -> tuple[list[str], list[str]]:
    tag = tag.lower()
    divisions: list[str] = []
    ecosystems: list[str] = []
    for word, nace, eco in SECTOR_RULES:
        if word in tag:
            divisions += [d for d in nace if d not in divisions]
            ecosystems += [e for e in eco if e not in ecosystems]
    return divisions, ecosystems


def _demo_technologies(tag: str) -> list[str]:
    tag = tag.lower()
    return list(
        dict.fromkeys(slug for word, slugs in TECHNOLOGY_RULES if word in tag for slug in slugs)
    )


def _network_name(raw: str) -> str:
    return re.sub(r"\s*[(–-].*$", "", raw).strip() or raw


def _description(fact: dict[str, Any], region_name: str) -> dict[str, str]:
    texts = {}
    for code in DESCRIPTION_LANGUAGES:
        with translation.override(code):
            parts = [
                _("%(name)s is a cluster organisation (%(sector)s) in %(region)s.")
                % {"name": fact["name"], "sector": fact["sector_tag"], "region": region_name}
            ]
            if fact.get("year_established"):
                parts.append(
                    _("It was established in %(year)s.") % {"year": fact["year_established"]}
                )
            if fact["members"].get("total"):
                parts.append(
                    _(
                        "Its public profile reports %(count)s members; the members listed here "
                        "are fictitious demonstration data."
                    )
                    % {"count": fact["members"]["total"]}
                )
            texts[f"description_{code}"] = "<p>" + " ".join(parts) + "</p>"
    return texts


def _member_plan(members: dict[str, Any], rng: random.Random) -> list[str]:
    counts = {
        "sme": (members.get("smes") or 0),
        "startup": members.get("startups") or 0,
        "large": members.get("large") or 0,
        "research": members.get("research") or 0,
        "other": (members.get("other") or 0) + (members.get("civil_society") or 0),
    }
    if not any(counts.values()):
        total = members.get("total") or 10
        counts = {
            "sme": round(total * 0.65),
            "large": round(total * 0.12),
            "research": round(total * 0.1),
            "startup": round(total * 0.05),
        }
        counts["other"] = max(total - sum(counts.values()), 0)
    total = sum(counts.values())
    scale = min(1.0, MAX_GENERATED_MEMBERS / total) if total else 1.0
    plan = [
        kind
        for kind, count in counts.items()
        for _ in range(max(1 if count else 0, round(count * scale)))
    ]
    rng.shuffle(plan)
    return plan


def _agency_for(fact: dict[str, Any], agencies: dict[str, Agency]) -> Agency:
    nuts2 = fact.get("nuts2") or ""
    return agencies[REGION_PARTNER.get(nuts2) or COUNTRY_PARTNER[fact["country"]]]


@transaction.atomic
def demo_load() -> dict[str, Any]:
    """Loads the demo once; running it again adds nothing. Returns the demo accounts."""
    reference_load()
    agencies = {}
    for spec in AGENCIES:
        agency, _created = Agency.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "acronym": spec["acronym"],
                "country_id": spec["country"],
                "website": spec["website"],
            },
        )
        agency.regions.set(NutsRegion.objects.filter(code__in=spec["regions"]))
        agencies[spec["slug"]] = agency
    facts = [
        json.loads(line)
        for line in (DATA_DIR / "atlantic_clusters_facts.jsonl").open(encoding="utf-8")
    ]
    nace = {
        a.code: a for a in NaceActivity.objects.filter(version=NaceActivity.Version.REV2_1, level=2)
    }
    terms = {(t.kind, t.name.lower()): t for t in Term.objects.all()}
    ecosystems = {t.slug: t for t in Term.objects.filter(kind=Term.Kind.ECOSYSTEM)}
    technologies = {t.slug: t for t in Term.objects.filter(kind=Term.Kind.TECHNOLOGY_FIELD)}
    created = 0
    for fact in facts:
        slug = slugify(fact["acronym"] or fact["name"])[:80]
        if ClusterOrganisation.objects.filter(slug=slug).exists():
            continue
        country = "GB" if fact["country"] == "UK" else fact["country"]
        region = NutsRegion.objects.filter(code=fact.get("nuts2") or "").first()
        divisions, ecosystem_slugs = _sector_profile(fact["sector_tag"])
        networks = []
        for raw in fact.get("networks") or []:
            name = _network_name(raw)
            term = terms.get((Term.Kind.NETWORK, name.lower()))
            if term is None:
                term = Term.objects.create(
                    kind=Term.Kind.NETWORK, name=name, slug=slugify(name)[:80]
                )
                terms[(Term.Kind.NETWORK, name.lower())] = term
            networks.append(term)
        label = (fact.get("excellence_label") or "").lower()
        data = {
            "slug": slug,
            "name": fact["name"],
            "acronym": fact["acronym"] or "",
            "legal_name": fact.get("legal_name") or "",
            "country_id": country,
            "nuts_region": region,
            "city": fact.get("city") or "",
            **_city_coordinates(fact),
            "year_established": fact.get("year_established"),
            "website": f"https://{fact['website']}" if fact.get("website") else "",
            "label": label,
            "status": ClusterOrganisation.Status.PUBLISHED,
            "sectors": [nace[d] for d in divisions if d in nace],
            "ecosystems": [ecosystems[e] for e in ecosystem_slugs],
            "technology_fields": [
                t
                for n in fact.get("technology_fields") or []
                if (t := terms.get((Term.Kind.TECHNOLOGY_FIELD, n.lower())))
            ]
            or [technologies[slug] for slug in _demo_technologies(fact["sector_tag"])],
            "s3_areas": [
                t
                for n in fact.get("s3_priority_areas") or []
                if (t := terms.get((Term.Kind.S3_AREA, n.lower())))
            ],
            "networks": networks,
            **_description(fact, region.name if region else fact.get("nuts2_name") or country),
        }
        cluster = services.cluster_create(
            actor=None, agency=_agency_for(fact, agencies), data=data, source="demo"
        )
        _generate_members(cluster, fact, region)
        created += 1
    users = _demo_users(agencies)
    _demo_agreements(agencies)
    return {"clusters_created": created, "users": users}


@cache
def _city_table() -> dict[tuple[str, str], dict[str, str]]:
    with (DATA_DIR / "cluster_city_coordinates.csv").open(encoding="utf-8") as handle:
        return {(row["city"], row["country"]): row for row in csv.DictReader(handle)}


def _city_coordinates(fact: dict[str, Any]) -> dict[str, Decimal]:
    """The cluster's city position (GeoNames, see data/SOURCES.md), when the source names one."""
    if not fact.get("city"):
        return {}
    place = _city_table()[(fact["city"], fact["country"])]
    return {"latitude": Decimal(place["latitude"]), "longitude": Decimal(place["longitude"])}


def _generate_members(
    cluster: ClusterOrganisation, fact: dict[str, Any], region: NutsRegion | None
) -> None:
    rng = random.Random(fact["id"])
    subregions = list(region.children.all()) if region else []
    sector = cluster.sectors.first()
    suffix = LEGAL_SUFFIX.get(cluster.country_id, "Ltd")
    organisations = []
    for number, kind in enumerate(_member_plan(fact["members"], rng), start=1):
        words = f"{rng.choice(NAME_PARTS)} {cluster.acronym or cluster.name.split()[0]} {TYPE_WORDS[kind]}"
        size = {
            "sme": rng.choice(["micro", "small", "small", "medium"]),
            "startup": "micro",
            "large": "large",
        }.get(kind, "")
        organisations.append(
            Organisation(
                slug=f"demo-{cluster.slug}-{number}"[:100],
                name=f"{words} {number} {suffix}"
                if kind in {"sme", "startup", "large"}
                else f"{words} {number}",
                type=kind,
                country_id=cluster.country_id,
                size_class=size,
                employees={
                    "micro": rng.randint(2, 9),
                    "small": rng.randint(10, 49),
                    "medium": rng.randint(50, 249),
                    "large": rng.randint(250, 3000),
                }.get(size),
                nace=sector if kind in {"sme", "startup", "large"} else None,
                nuts_region=rng.choice(subregions) if subregions else region,
                is_fictitious=True,
            )
        )
    audited_bulk_create(Organisation, organisations, actor=None, source="demo")
    since = date(max(fact.get("year_established") or 2015, 2000), 1, 1)
    audited_bulk_create(
        Membership,
        (
            Membership(
                organisation=o,
                cluster=cluster,
                since=since,
                role=Membership.Role.FOUNDER if index < 3 else Membership.Role.MEMBER,
                # Most members agree to be listed; some do not, as in a real registry.
                listed_publicly=rng.random() < 0.85,
            )
            for index, o in enumerate(
                Organisation.objects.filter(slug__startswith=f"demo-{cluster.slug}-")
            )
        ),
        actor=None,
        source="demo",
    )


def _demo_users(agencies: dict[str, Agency]) -> list[dict[str, str]]:
    accounts = [
        ("admin", _("platform admin"), None),
        ("igape-staff", _("agency staff (IGAPE)"), "igape"),
        ("bretagne-staff", _("agency staff (Bretagne Innovation)"), "bretagne-innovation"),
        ("clusaga-manager", _("cluster manager (CLUSAGA)"), None),
        ("member-rep", _("member representative"), None),
    ]
    listed = []
    for username, role, agency in accounts:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.atclusters.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = username == "admin"
            user.save()
        if agency:
            agencies[agency].staff.add(user)
        listed.append({"username": username, "password": DEMO_PASSWORD, "role": str(role)})
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    clusaga.managers.add(User.objects.get(username="clusaga-manager"))
    clag = ClusterOrganisation.objects.get(slug="clag")
    if clag.status == ClusterOrganisation.Status.PUBLISHED and not clag.managers.exists():
        services.cluster_update(
            actor=None,
            cluster=clag,
            data={"status": ClusterOrganisation.Status.SUBMITTED},
            source="demo",
        )
    first_member = (
        Organisation.objects.filter(memberships__cluster=clusaga).order_by("slug").first()
    )
    if first_member:
        first_member.representatives.add(User.objects.get(username="member-rep"))
    return listed


def _demo_agreements(agencies: dict[str, Agency]) -> None:
    if CooperationAgreement.objects.exists():
        return
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    portugal_foods = ClusterOrganisation.objects.get(slug="portugalfoods")
    services.agreement_create(
        actor=None,
        owner=agencies["igape"],
        source="demo",
        data={
            "slug": "atclusters-partnership",
            "title": "ATCLUSTERS partnership agreement",
            "type": CooperationAgreement.Type.PARTNERSHIP,
            "agency_a": agencies["igape"],
            "agency_b": agencies["adrave"],
            "start": date(2011, 1, 1),
            "end": date(2014, 12, 31),
            "description": "<p>Cooperation of the six agencies in the ATCLUSTERS project (Atlantic Area).</p>",
            "is_public": True,
        },
    )
    for partner in ("idepa", "sodercan", "southern-assembly", "bretagne-innovation", "adrave"):
        services.agreement_create(
            actor=None,
            owner=agencies["igape"],
            source="demo",
            data={
                "slug": f"atlantic-cluster-cooperation-igape-{partner}",
                "title": f"Atlantic cluster cooperation: IGAPE – {agencies[partner].acronym or agencies[partner].name}",
                "type": CooperationAgreement.Type.MOU,
                "agency_a": agencies["igape"],
                "agency_b": agencies[partner],
                "start": date(2015, 1, 1),
                "description": "<p>Fictitious demonstration record: follow-up cooperation after the project.</p>",
                "is_public": True,
            },
        )
    services.agreement_create(
        actor=None,
        owner=agencies["igape"],
        source="demo",
        data={
            "slug": "clusaga-portugalfoods-agrifood",
            "title": "Galicia–Norte agri-food meta-cluster",
            "type": CooperationAgreement.Type.MOU,
            "cluster_a": clusaga,
            "cluster_b": portugal_foods,
            "sector": NaceActivity.objects.get(version=NaceActivity.Version.REV2_1, code="10"),
            "start": date(2013, 6, 1),
            "description": "<p>Fictitious example of a cross-border agreement between two real clusters.</p>",
            "is_public": True,
        },
    )


def domain_demo_load() -> list[str]:
    result = demo_load()
    statuses = Counter(ClusterOrganisation.objects.values_list("status", flat=True))
    status = ClusterOrganisation.Status
    return [
        f"Demo data ready: {sum(statuses.values())} clusters ({statuses[status.PUBLISHED]} "
        f"published, {statuses[status.SUBMITTED]} awaiting review, {statuses[status.DRAFT]} in "
        f"draft; {result['clusters_created']} added now).",
        f"Demo accounts (password for all: {DEMO_PASSWORD}):",
        *(f"  {user['username']:<16} {user['role']}" for user in result["users"]),
    ]
