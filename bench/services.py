"""Services portfolio at the scale of a national programme (issue 21): 2,000 services of 20
agencies, 10,000 member organisations; measures the public catalogue page (unfiltered and with
two filters), the API catalogue, and the delivery of a subsidised request (the grant checked
and recorded in the de minimis register in the same transaction). Run by bench/run.py once
per database; on its own: `DATABASE_URL=… python bench/services.py OUT.json`."""

import json
import random
import sys
import time
from datetime import date
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from django.core.management import call_command
from django.db import connection
from django.test import Client
from stateaid import percentiles, timed_each

from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation
from atclusters.services import services
from atclusters.services.models import Service, ServiceRequest

SERVICES, AGENCIES, MEMBERS, REQUESTS = 2_000, 20, 10_000, 100
LANGUAGES = ["en", "es", "gl", "pt", "fr"]


def generate(rng: random.Random) -> list[ServiceRequest]:
    agencies = Agency.objects.bulk_create(
        Agency(slug=f"agency-{i}", name=f"Agency {i}", country_id="ES") for i in range(AGENCIES)
    )
    clusters = ClusterOrganisation.objects.bulk_create(
        ClusterOrganisation(slug=f"cluster-{i}", name=f"Cluster {i}", agency=agencies[i % AGENCIES],
                            country_id="ES", status="published")
        for i in range(AGENCIES * 5)
    )  # fmt: skip
    organisations = Organisation.objects.bulk_create(
        Organisation(slug=f"member-{i}", name=f"Member {i}", type="sme", country_id="ES",
                     size_class="small", vat_number=f"ESB{i:08d}")
        for i in range(MEMBERS)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(organisation=o, cluster=clusters[i % len(clusters)], since=date(2020, 1, 1))
        for i, o in enumerate(organisations)
    )
    categories = [
        services.category_save(actor=None, slug=f"category-{i}", names={"en": f"Category {i}"})
        for i in range(8)
    ]
    offered = []
    for i in range(SERVICES):
        cluster = clusters[i % len(clusters)] if i % 3 == 0 else None
        treatment = rng.choice(["none", "de-minimis", "gber-27"]) if cluster else "de-minimis"
        price = rng.randint(50, 900)
        offered.append(
            services.service_save(
                actor=None, slug=f"service-{i}",
                agency=cluster.agency if cluster else agencies[i % AGENCIES],
                category=categories[i % len(categories)], cluster=cluster,
                values={"name_en": f"Service {i:04d}", "description_en": "A service. " * 20,
                        "list_price": price, "member_price": price // 3,
                        "aid_treatment": treatment, "languages": rng.sample(LANGUAGES, 2)},
            )
        )  # fmt: skip
    subsidised = [service for service in offered if service.aid_treatment == "de-minimis"]
    requests = []
    for _ in range(REQUESTS):
        service = rng.choice(subsidised)
        member = Organisation.objects.filter(memberships__cluster__agency=service.agency).order_by(
            "?"
        )[0]
        request = services.request_create(actor=None, service=service, organisation=member)
        requests.append(services.request_decide(actor=None, request=request, accept=True))
    return requests


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    rng = random.Random(21)
    start = time.perf_counter()
    requests = generate(rng)
    generated = time.perf_counter() - start
    client = Client()
    client.get("/en/services/")  # warm
    pages = timed_each(lambda: client.get("/en/services/") for _ in range(100))
    filtered = timed_each(
        lambda c=f"category-{i % 8}", lang=LANGUAGES[i % 5]: client.get(
            f"/en/services/?category={c}&language={lang}"
        )
        for i in range(100)
    )
    api = timed_each(lambda: client.get("/api/v1/services/catalogue") for _ in range(20))
    deliveries = timed_each(
        lambda r=request: services.request_deliver(
            actor=None, request=r, delivered_on=date(2026, 11, 2), units=rng.randint(1, 8)
        )
        for request in requests
    )
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "services": Service.objects.count(),
                "page": percentiles(pages),
                "filtered": percentiles(filtered),
                "api": percentiles(api),
                "deliver": percentiles(deliveries),
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "services-bench.json"))
