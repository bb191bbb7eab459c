"""A Spanish single undertaking with EUR 55,000 of headroom left, and the staff of a French and
a Portuguese agency: issue 16's attack, where foreign staff split the Spanish undertaking and
raised its headroom to EUR 205,000."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from atclusters.stateaid import selectors, services
from atclusters.stateaid.models import Undertaking
from tests.factories import AgencyFactory, UserFactory, grant_recorded, undertaking_recorded


@dataclass
class SpanishGroup:
    holding: Undertaking  # ES, EUR 95,000 of Spanish aid
    company: Undertaking  # ES, controlled by the holding, EUR 150,000 of Spanish aid
    french: Undertaking  # FR, EUR 10,000 of French aid
    today: date
    portuguese_staff: User

    def headroom(self, undertaking: Undertaking | None = None, member_state: str = "ES"):
        """General de minimis headroom today, as the operator reads it."""
        return selectors.de_minimis_check(
            user=None,
            undertaking=undertaking or self.company,
            grant_date=self.today,
            amount=Decimal(0),
            member_state=member_state,
        ).headroom


@pytest.fixture
def spanish_group(world) -> SpanishGroup:
    today = timezone.localdate()
    holding, company = undertaking_recorded("ES-HOLD", "Holding SL"), undertaking_recorded("ES-CO")
    services.link_save(actor=None, parent=holding, child=company, relation="voting-majority")
    grant_recorded(holding, "ES-1", today - timedelta(days=300), 95_000)
    grant_recorded(company, "ES-2", today - timedelta(days=200), 150_000)
    french = undertaking_recorded("FR-CO", "Société SAS", country="FR")
    grant_recorded(
        french,
        "FR-1",
        today - timedelta(days=150),
        10_000,
        member_state="FR",
        granting_authority="Région Bretagne",
    )
    portuguese_staff = UserFactory(username="pt-staff")
    AgencyFactory(slug="norte", country_id="PT").staff.add(portuguese_staff)
    group = SpanishGroup(holding, company, french, today, portuguese_staff)
    assert group.headroom() == 55_000  # 300,000 − 95,000 − 150,000
    return group
