"""Two grants for one single undertaking submitted at the same moment, each within the ceiling
alone but not together: exactly one is recorded. Real concurrent transactions, one connection
per thread, on whichever database the tests run (PostgreSQL: the row lock; SQLite: the write
lock taken when the transaction begins)."""

import threading
from datetime import date

import pytest
from django.db import connection

from atclusters.stateaid import services
from atclusters.stateaid.models import Grant
from tests.factories import grant_recorded, undertaking_recorded

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_grants_cannot_both_pass_the_ceiling():
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    holding, daughter = undertaking_recorded("H"), undertaking_recorded("D")
    services.link_save(actor=None, parent=holding, child=daughter, relation="voting-majority")
    grant_recorded(holding, "OLD", date(2025, 1, 1), 100_000)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(who, reference):
        from django.db import connections

        try:
            start.wait()
            grant_recorded(who, reference, date(2026, 1, 1), 150_000)
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
