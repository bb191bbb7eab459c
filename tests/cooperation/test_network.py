"""Cooperation-network metrics worked by hand, and the network page."""

from datetime import date

import pytest
from django.urls import reverse

from atclusters.cooperation.network import Link, Party, metrics
from atclusters.registry import services

PARTIES = {
    "igape": Party("igape", "IGAPE", "agency", "ES"),
    "adrave": Party("adrave", "ADRAVE", "agency", "PT"),
    "clusaga": Party("clusaga", "CLUSAGA", "cluster", "ES"),
    "pf": Party("pf", "Portugal Foods", "cluster", "PT"),
    "bfc": Party("bfc", "BFC", "cluster", "ES"),
}
LINKS = [
    Link("igape", "adrave", 2019),
    Link("clusaga", "pf", 2021),
    Link("clusaga", "bfc", 2021),
    Link("igape", "clusaga", 2022),
]


def test_metrics_by_hand():
    result = metrics(PARTIES, LINKS)
    by_key = {row.key: row for row in result.parties}
    assert (by_key["clusaga"].degree, by_key["clusaga"].cross_border_partners) == (3, 1)
    assert (by_key["adrave"].degree, by_key["adrave"].cross_border_partners) == (1, 1)
    assert result.parties[0].key == "clusaga"  # most partners first
    assert result.cross_border_share == 0.5  # igape–adrave, clusaga–pf of four
    assert result.new_links_per_year == [(2019, 1), (2021, 2), (2022, 1)]
    assert result.components == 1
    assert result.density == pytest.approx(4 / 10)  # 4 links of 5·4/2 possible
    assert metrics({}, []).cross_border_share is None


@pytest.mark.django_db
def test_network_page_counts_only_what_the_reader_may_see(client, world):
    services.agreement_create(
        actor=None, owner=world.agency, source="test",
        data={"slug": "public-one", "title": "Food and sea", "type": "mou",
              "cluster_a": world.cluster, "cluster_b": world.other_cluster,
              "start": date(2024, 1, 1), "is_public": True},
    )  # fmt: skip
    services.agreement_create(
        actor=None, owner=world.agency, source="test",
        data={"slug": "private-one", "title": "Secret", "type": "mou",
              "agency_a": world.agency, "agency_b": world.other_agency,
              "start": date(2025, 1, 1)},
    )  # fmt: skip
    public = client.get(reverse("cooperation_network"))
    assert public.status_code == 200 and "Food and sea" in public.text
    assert "Secret" not in public.text
    assert "100 %" in public.text  # the one public link is cross-border (ES–FR)
    client.force_login(world.staff)
    staff = client.get(reverse("cooperation_network"))
    assert "Secret" in staff.text
