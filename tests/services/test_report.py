"""The characterization report's services section: what the cluster's members received, per
year (deliveries, units, hours, members served, mean rating, de minimis aid), read through
services.selectors."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from atclusters.benchmarking import reports
from atclusters.services import selectors, services
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_uptake_per_year_counts_members_on_the_delivery_day(portfolio):
    w = portfolio.world
    services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=date(2025, 3, 2), units="7.5",
        hours="7.5",
    )  # fmt: skip
    services.request_rate(actor=w.rep, request=portfolio.request, rating=4)
    # A second member, who joined in 2025: served in 2024 (before joining: not counted) and 2025.
    late = OrganisationFactory(slug="late", name="Late Joiner", vat_number="ESB00000000")
    late.representatives.add(w.rep)
    MembershipFactory(cluster=w.cluster, organisation=late, since=date(2025, 1, 1))
    for day, rating in ((date(2024, 6, 1), None), (date(2025, 6, 1), 2)):
        request = services.request_create(
            actor=w.rep, service=portfolio.workshop, organisation=late, units="1"
        )
        services.request_deliver(actor=w.manager, request=request, delivered_on=day, units="1")
        if rating:
            services.request_rate(actor=w.rep, request=request, rating=rating)
    rows = selectors.cluster_uptake(cluster=w.cluster, first_year=2023, last_year=2025)
    assert [row["year"] for row in rows] == [2023, 2024, 2025]
    assert rows[0]["deliveries"] == 0 and rows[0]["mean_rating"] is None
    assert rows[1]["deliveries"] == 0  # the late joiner was not yet a member
    assert rows[2] == {
        "year": 2025, "deliveries": 2, "units": Decimal("8.50"), "hours": Decimal("7.50"),
        "members": 2, "ratings": 2, "mean_rating": 3.0,
        # (90 − 35) × 7.5 for the consultancy; the GBER Art. 27 workshop gives none.
        "aid_eur": Decimal("412.50"),
    }  # fmt: skip
    other = selectors.cluster_uptake(cluster=w.other_cluster, first_year=2025, last_year=2025)
    assert other[0]["deliveries"] == 0


def test_the_report_shows_the_section(portfolio, login):
    w = portfolio.world
    page = login(w.manager).get(reverse("benchmarking_report", args=[w.cluster.slug, 2025]))
    assert "Services used by the members" in page.text
    assert "No service recorded as delivered to the members since 2023." in page.text
    services.request_deliver(
        actor=w.staff, request=portfolio.request, delivered_on=date(2025, 3, 2), units="7.5"
    )
    context = reports.characterization(cluster=w.cluster, year=2025, user=w.manager, language="en")
    assert [row["deliveries"] for row in context["services_uptake"]] == [0, 0, 1]
    page = login(w.manager).get(reverse("benchmarking_report", args=[w.cluster.slug, 2025]))
    section = page.text.split('id="services"')[1].split("</section>")[0]
    assert "412.50" in section and "<td>2025</td>" in section
    spanish = login(w.manager).get(
        reverse("benchmarking_report", args=[w.cluster.slug, 2025]).replace("/en/", "/es/")
    )
    assert "Servicios utilizados por los miembros" in spanish.text
