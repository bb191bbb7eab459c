"""Demo portfolio: IGAPE's services (its own, its hub's and CLUSAGA's), requests of the demo
member representative's company (one delivered with de minimis aid, one accepted and ready to
deliver, one awaiting the provider), and IGAPE's trade-fair stand discount with an approved
claim. Prices are illustrative, not IGAPE's tariffs."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from atclusters.core.models import Agency
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.services import services
from atclusters.services.models import Service

CATEGORIES = {
    "training": ("Training", "Formación", "Formación", "Formação", "Formation"),
    "internationalisation": ("Internationalisation", "Internacionalización",
                             "Internacionalización", "Internacionalização", "Internationalisation"),
    "technology-watch": ("Technology watch", "Vigilancia tecnológica", "Vixilancia tecnolóxica",
                         "Vigilância tecnológica", "Veille technologique"),
    "eu-projects": ("EU project support", "Apoyo a proyectos europeos", "Apoio a proxectos europeos",
                    "Apoio a projetos europeus", "Appui aux projets européens"),
    "procurement": ("Procurement", "Compra pública", "Compra pública", "Contratação pública",
                    "Marchés publics"),
    "design": ("Design", "Diseño", "Deseño", "Design", "Design"),
    "financing": ("Financing advice", "Asesoramiento financiero", "Asesoramento financeiro",
                  "Aconselhamento financeiro", "Conseil en financement"),
    "facilities": ("Facilities", "Instalaciones", "Instalacións", "Instalações", "Équipements"),
}  # fmt: skip
CODES = ("en", "es", "gl", "pt", "fr")

# slug, provider kind, category, names (en, es, gl, pt, fr), list, member, unit, treatment,
# languages, capacity per month
SERVICES = [
    ("igape-export-readiness", "agency", "internationalisation",
     ("Export readiness consultancy", "Consultoría de preparación para exportar",
      "Consultoría de preparación para exportar", "Consultoria de preparação para exportar",
      "Conseil de préparation à l'export"), 90, 35, "hour", "de-minimis", ["es", "gl", "en"], 120),
    ("igape-eu-proposal", "agency", "eu-projects",
     ("EU proposal writing support", "Apoyo a la redacción de propuestas europeas",
      "Apoio á redacción de propostas europeas", "Apoio à redação de propostas europeias",
      "Appui à la rédaction de propositions européennes"), 600, 150, "day", "de-minimis",
     ["es", "gl", "en", "pt"], 20),
    ("igape-hub-meeting-room", "hub", "facilities",
     ("Hub meeting room, one day", "Sala de reuniones del hub, un día",
      "Sala de reunións do hub, un día", "Sala de reuniões do hub, um dia",
      "Salle de réunion du hub, une journée"), 400, 120, "day", "de-minimis", ["es", "gl"], 22),
    ("igape-lean-training", "agency", "training",
     ("Lean manufacturing course", "Curso de fabricación ajustada", "Curso de fabricación axustada",
      "Curso de produção magra", "Formation au lean manufacturing"), 250, 250, "participant",
     "none", ["es", "gl"], None),
    ("clusaga-market-watch", "cluster", "technology-watch",
     ("Food market watch report", "Informe de vigilancia de mercados alimentarios",
      "Informe de vixilancia de mercados alimentarios", "Relatório de vigilância de mercados alimentares",
      "Rapport de veille des marchés alimentaires"), 300, 180, "report", "gber-27",
     ["es", "gl", "en"], 10),
]  # fmt: skip

HOW_TO_CLAIM = (
    "Book your stand, then claim here within three months of the fair with the stand invoice "
    "and the fair's registration. IGAPE checks the claim and pays half of the stand cost, up to "
    "EUR 3,000.",
    "Reserve su stand y solicite aquí la ayuda en los tres meses siguientes a la feria con la "
    "factura del stand y la inscripción en la feria. El IGAPE revisa la solicitud y paga la mitad "
    "del coste del stand, hasta 3.000 euros.",
    "Reserve o seu stand e solicite aquí a axuda nos tres meses seguintes á feira coa factura do "
    "stand e a inscrición na feira. O IGAPE revisa a solicitude e paga a metade do custo do "
    "stand, ata 3.000 euros.",
    "Reserve o seu stand e peça aqui o apoio nos três meses seguintes à feira com a fatura do "
    "stand e a inscrição na feira. O IGAPE verifica o pedido e paga metade do custo do stand, até "
    "3.000 euros.",
    "Réservez votre stand puis déposez ici votre demande dans les trois mois suivant le salon "
    "avec la facture du stand et l'inscription au salon. L'IGAPE vérifie la demande et paie la "
    "moitié du coût du stand, jusqu'à 3 000 euros.",
)


@transaction.atomic
def demo_portfolio_load() -> int:
    """Loads the portfolio once, all or nothing; returns the number of services created now."""
    igape = Agency.objects.filter(slug="igape").first()
    clusaga = ClusterOrganisation.objects.filter(slug="clusaga").first()
    if igape is None or clusaga is None or Service.objects.filter(slug=SERVICES[0][0]).exists():
        return 0
    categories = {
        slug: services.category_save(
            actor=None, slug=slug, names=dict(zip(CODES, names, strict=True)), source="demo"
        )
        for slug, names in CATEGORIES.items()
    }
    offered = {}
    for (
        slug,
        kind,
        category,
        names,
        price,
        member_price,
        unit,
        treatment,
        languages,
        capacity,
    ) in SERVICES:
        offered[slug] = services.service_save(
            actor=None,
            slug=slug,
            agency=igape,
            category=categories[category],
            cluster=clusaga if kind == "cluster" else None,
            values={
                "provider_kind": kind,
                **{f"name_{code}": name for code, name in zip(CODES, names, strict=True)},
                "description_en": f"{names[0]}, offered to members of the Galician clusters.",
                "list_price": price,
                "member_price": member_price,
                "unit": unit,
                "aid_treatment": treatment,
                "languages": languages,
                "capacity_per_month": capacity,
            },
            source="demo",
        )
    member = (
        Organisation.objects.filter(memberships__cluster=clusaga, representatives__isnull=False)
        .order_by("slug")
        .first()
    )
    if member is not None:
        _requests_load(offered, member)
        _programme_load(igape, clusaga, member)
    return len(offered)


def _requests_load(offered: dict[str, Service], member: Organisation) -> None:
    plans = [
        ("igape-export-readiness", "12", "delivered"),
        ("igape-eu-proposal", "3", "accepted"),
        ("clusaga-market-watch", "1", "requested"),
    ]
    for slug, units, stage in plans:
        request = services.request_create(
            actor=None, service=offered[slug], organisation=member, units=units,
            message="Demo request", source="demo",
        )  # fmt: skip
        if stage == "requested":
            continue
        services.request_decide(actor=None, request=request, accept=True, source="demo")
        if stage == "delivered":
            services.request_deliver(
                actor=None, request=request, delivered_on=timezone.localdate() - timedelta(days=25), units=units,
                hours=units, outcome="Export plan for Portugal and France", source="demo",
            )  # fmt: skip
            services.request_rate(
                actor=None, request=request, rating=5, comment="Clear and practical", source="demo"
            )


def _programme_load(igape: Agency, clusaga: ClusterOrganisation, member: Organisation) -> None:
    programme = services.programme_save(
        actor=None,
        slug="igape-trade-fair-stands",
        agency=igape,
        eligible_clusters=list(ClusterOrganisation.objects.filter(agency=igape)),
        values={
            "department": "Internationalisation",
            "name_en": "Trade-fair stand discount",
            "name_es": "Descuento en stands de ferias",
            "name_gl": "Desconto en stands de feiras",
            "name_pt": "Desconto em stands de feiras",
            "name_fr": "Réduction sur les stands de salons",
            **{
                f"how_to_claim_{code}": text for code, text in zip(CODES, HOW_TO_CLAIM, strict=True)
            },
            "eligible_regions": ["ES11"],
            "documents_required": ["stand invoice", "fair registration"],
            "opens_on": date(timezone.localdate().year, 1, 1),
            "closes_on": date(timezone.localdate().year + 1, 12, 31),
            "budget_eur": 60000,
            "rate": "0.5",
            "max_aid_eur": 3000,
            "aid_treatment": "de-minimis",
        },
        source="demo",
    )
    claim = services.claim_submit(
        actor=None, programme=programme, organisation=member, costs_eur="4380.90",
        description="Stand at SIAL Paris", documents=["stand invoice", "fair registration"],
        source="demo",
    )  # fmt: skip
    claim = services.claim_check(actor=None, claim=claim, source="demo")
    if all(check["passed"] for check in claim.checks):
        services.claim_decide(actor=None, claim=claim, approve=True, source="demo")


def domain_demo_load() -> list[str]:
    created = demo_portfolio_load()
    return (
        [f"Services: {created} services of IGAPE, its hub and CLUSAGA added now."]
        if created
        else []
    )
