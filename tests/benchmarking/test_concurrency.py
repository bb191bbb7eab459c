"""Two clusters' hand-picked groups, one cluster apart, shown at the same moment: each passes
the differencing check alone, not both; exactly one is shown. Real concurrent transactions,
one connection per thread, on whichever database the tests run (PostgreSQL: the pool's row
lock; SQLite: the write lock taken when the transaction begins)."""

import threading
from datetime import date

import pytest
from django.db import connection

from atclusters.benchmarking import frameworks, selectors, services
from atclusters.benchmarking.models import PeerView
from atclusters.core.reference import reference_load
from tests.benchmarking.test_peer_comparison import validate
from tests.factories import AgencyFactory, ClusterFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_releases_cannot_both_pass_the_differencing_check():
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    reference_load()
    agency = AgencyFactory()
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    first, second = ClusterFactory(agency=agency), ClusterFactory(agency=agency)
    chosen = [
        ClusterFactory(agency=agency, country_id="PT", nuts_region_id="PT11") for _ in range(6)
    ]
    others = [
        ClusterFactory(agency=agency, country_id="FR", nuts_region_id="FRH0") for _ in range(10)
    ]
    clusters = [first, second, *chosen, *others]
    round_ = services.round_open(
        actor=None, agency=agency, framework=framework, year=2025, title="2025",
        deadline=date(2026, 3, 31), clusters=clusters,
    )  # fmt: skip
    for number, cluster in enumerate(clusters, start=1):
        validate(round_, cluster, {"S01": number})
    # Five Portuguese clusters for the first, the same five and a sixth for the second: shown
    # to the readers of both (their agency's staff), the two would give the sixth's answer.
    services.peer_set_save(actor=None, cluster=first, name="Five", members=chosen[:5])
    services.peer_set_save(actor=None, cluster=second, name="Six", members=chosen)
    answers = {
        cluster: selectors.latest_validated(cluster=cluster, year=2025)
        for cluster in (first, second)
    }
    for submission in answers.values():  # each cluster's standard groups, one after the other
        services.peer_comparison_show(actor=None, submission=submission)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def show(cluster, group):
        from django.db import connections

        try:
            start.wait()
            document = services.peer_comparison_show(
                actor=None, submission=answers[cluster], group=group
            )
            row = next(item for item in document["indicators"] if item["code"] == "S01")
            outcomes.append("withheld" if row["median"] is None else "shown")
        except Exception as error:  # reported in the assertion below, not lost in the thread
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=show, args=(first, "picked:Five")),
        threading.Thread(target=show, args=(second, "picked:Six")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["shown", "withheld"]
    views = PeerView.objects.filter(group__startswith="picked:")
    assert sorted("S01" in view.shown for view in views) == [False, True]
