"""Two grants for one single undertaking submitted at the same moment, each within the ceiling
alone but not together: exactly one is recorded. Real concurrent transactions, one connection
per thread, on whichever database the tests run (PostgreSQL: the row lock; SQLite: the write
lock taken when the transaction begins)."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from atclusters.stateaid import services
from atclusters.stateaid.models import Grant

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_grants_cannot_both_pass_the_ceiling():
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    holding = services.undertaking_save(actor=None, identifier="H", name="H", country="ES")[1]
    daughter = services.undertaking_save(actor=None, identifier="D", name="D", country="ES")[1]
    services.link_save(actor=None, parent=holding, child=daughter, relation="voting-majority")
    services.grant_record(
        actor=None,
        undertaking=holding,
        reference="OLD",
        grant_date=date(2025, 1, 1),
        money=services.Money(D(100_000)),
        member_state="ES",
        granting_authority="IGAPE",
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(who, reference):
        from django.db import connections

        try:
            start.wait()
            services.grant_record(
                actor=None,
                undertaking=who,
                reference=reference,
                grant_date=date(2026, 1, 1),
                money=services.Money(D(150_000)),
                member_state="ES",
                granting_authority="IGAPE",
            )
            outcomes.append("recorded")
        except services.CeilingExceeded:
            outcomes.append("refused")
        except Exception as error:  # reported in the assertion below, not lost in the thread
            outcomes.append(f"error: {error!r}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(holding, "NEW-1")),
        threading.Thread(target=submit, args=(daughter, "NEW-2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["recorded", "refused"]
    assert Grant.objects.filter(reference__startswith="NEW").count() == 1
