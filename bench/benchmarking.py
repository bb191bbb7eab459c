"""Benchmarking at the scale of a national cluster programme (issue 7): the website bench's
2,000 clusters and 50,000 organisations, every cluster with validated answers to the default
framework for 2025 (profiles frozen as at validation), and ten hand-picked peer groups.
Measures a cluster's first comparison (its seven standard groups released, each checked against
every group shown before for the year: issue 16), the same comparison read again, a
hand-picked group first shown (once the cluster's standard groups are), the comparison page
and the characterization report as PDF. Run by bench/run.py once per database; on its own:
`DATABASE_URL=… python bench/benchmarking.py OUT.json`.
"""

import json
import random
import sys
import time
from datetime import date
from pathlib import Path

import bootstrap  # noqa: F401  (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

import website
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from stateaid import percentiles, timed_each

from atclusters.benchmarking import frameworks, reports, selectors, services
from atclusters.benchmarking.demo import RANGES
from atclusters.benchmarking.models import PeerSet, PeerView, Submission
from atclusters.core.models import Agency
from atclusters.core.reference import reference_load
from atclusters.registry.models import ClusterOrganisation

REQUESTS = 100


def answers(rng: random.Random) -> dict:
    values: dict = {code: round(rng.uniform(low, high), 1) for code, (low, high) in RANGES.items()}
    values.update(S01=rng.randint(5, 300), S02=round(rng.uniform(30, 100), 1))
    values.update(S03=rng.randint(1, 6), S04=rng.randint(0, 10), S06=rng.randint(-5, 20))
    values.update(G04=rng.random() < 0.7, G05=rng.random() < 0.6, G07=rng.random() < 0.5)
    values.update(V05=rng.random() < 0.5, I04=rng.randint(0, 6), A06=rng.randint(0, 400_000))
    values.update(A04=rng.choice(["none", "bronze", "silver", "gold"]))
    return values


def generate(rng: random.Random) -> Submission:
    website.generate(rng)
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    submissions = []
    for agency in Agency.objects.filter(slug__startswith="bench-"):
        clusters = list(agency.clusters.all())
        round_ = services.round_open(
            actor=None, agency=agency, framework=framework, year=2025, title="Bench",
            deadline=date(2026, 3, 31), clusters=[],
        )  # fmt: skip
        for cluster in clusters:
            submission = Submission(
                round=round_,
                cluster=cluster,
                status=Submission.Status.VALIDATED,
                values=answers(rng),
            )
            submission.profile = selectors.profile_snapshot(submission)
            submissions.append(submission)
    Submission.objects.bulk_create(submissions, batch_size=500)
    clusters = list(ClusterOrganisation.objects.filter(slug__startswith="bench-"))
    for owner in clusters[:10]:
        services.peer_set_save(
            actor=None, cluster=owner, name="Chosen", members=rng.sample(clusters, 40)
        )
    return Submission.objects.select_related("round__framework", "cluster").get(cluster=clusters[0])


def main(out: Path) -> None:
    call_command("migrate", verbosity=0)
    reference_load()
    rng = random.Random(7)
    start = time.perf_counter()
    generate(rng)
    generated = time.perf_counter() - start
    sample = list(
        Submission.objects.select_related("round__framework", "cluster").order_by("?")[:REQUESTS]
    )
    picked = list(PeerSet.objects.values_list("cluster_id", flat=True))
    chosen = list(
        Submission.objects.select_related("round__framework", "cluster").filter(
            cluster_id__in=picked
        )
    )
    first = timed_each(
        lambda s=submission: services.peer_comparison_show(
            actor=None, submission=s, group="country"
        )
        for submission in sample
    )
    again = timed_each(
        lambda s=submission: services.peer_comparison_show(
            actor=None, submission=s, group="country"
        )
        for submission in sample
    )
    for submission in chosen:  # their standard groups first: the next measures one release
        services.peer_comparison_show(actor=None, submission=submission)
    hand_picked = timed_each(
        lambda s=submission: services.peer_comparison_show(
            actor=None, submission=s, group="picked:Chosen"
        )
        for submission in chosen
    )
    admin = User.objects.create_superuser("bench", "bench@example.invalid", "x")
    client = Client()
    client.force_login(admin)
    pages = timed_each(
        lambda s=submission: client.get(f"/en/benchmarking/answers/{s.pk}/peers/")
        for submission in sample[:30]
    )
    pdfs = timed_each(
        lambda s=submission: reports.render_pdf(
            "benchmarking/report.html",
            reports.characterization(cluster=s.cluster, year=2025, user=None, language="en"),
        )
        for submission in sample[:10]
    )
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "generated_seconds": generated,
                "submissions": Submission.objects.count(),
                "comparison": percentiles(first),
                "again": percentiles(again),
                "groups_shown": PeerView.objects.count(),
                "picked": percentiles(hand_picked),
                "page": percentiles(pages),
                "pdf": percentiles(pdfs),
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarking-bench.json"))
