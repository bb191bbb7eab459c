"""The uptake page's charts: deliveries and mean rating per year, aid of the latest year, per
service, provider or cluster; drawn on the server as SVG, with legend, units and source, and
"no data" said in words."""

from datetime import date

import pytest

from atclusters.services import selectors, services
from tests.services.conftest import service_offered

pytestmark = pytest.mark.django_db


def delivered(portfolio, service, day: date, units: str, rating: int | None = None):
    w = portfolio.world
    request = services.request_create(
        actor=w.rep, service=service, organisation=w.member, units=units
    )
    services.request_deliver(actor=w.staff, request=request, delivered_on=day, units=units)
    if rating:
        services.request_rate(actor=w.rep, request=request, rating=rating)


def test_chart_data_per_year_from_the_uptake_rows(portfolio):
    w = portfolio.world
    delivered(portfolio, portfolio.consultancy, date(2025, 5, 1), "2", rating=5)
    delivered(portfolio, portfolio.consultancy, date(2026, 2, 1), "1", rating=3)
    delivered(portfolio, portfolio.workshop, date(2026, 2, 2), "1")
    rows = selectors.uptake(user=w.staff, by="service")
    data = selectors.uptake_charts_data(rows, "service")
    # The fixture's accepted request (2026, not delivered) counts as a request, not a delivery.
    assert data["deliveries"] == [
        ("consultancy", [(2025, 1), (2026, 1)]),
        ("workshop", [(2026, 1)]),
    ]
    assert data["ratings"] == [("consultancy", [(2025, 5.0), (2026, 3.0)]), ("workshop", [])]
    # (90 − 35) × 1 of de minimis aid in 2026; the workshop (GBER Art. 27) gives none.
    assert data["aid"] == [("consultancy", 55)] and data["latest"] == 2026
    assert not data["truncated"]


def test_only_the_six_with_most_deliveries_are_drawn(portfolio):
    for number in range(7):
        service = service_offered(portfolio.world, f"s{number}", list_price="10", member_price="10")
        for _time in range(number + 1):
            delivered(portfolio, service, date(2026, 1, 5), "1")
    rows = selectors.uptake(user=portfolio.world.staff, by="service")
    data = selectors.uptake_charts_data(rows, "service")
    assert [key for key, _points in data["deliveries"]] == ["s6", "s5", "s4", "s3", "s2", "s1"]
    assert data["truncated"] and data["shown"] == 6


def test_the_page_draws_svg_with_legend_units_and_source(login, portfolio):
    w = portfolio.world
    delivered(portfolio, portfolio.consultancy, date(2025, 5, 1), "2", rating=4)
    page = login(w.staff).get("/en/services/uptake/?by=provider").content.decode()
    charts = page.split('id="charts"')[1].split("</section>")[0]
    assert charts.count('<svg class="line-chart"') == 2 and '<svg class="bar-chart"' in charts
    assert "Services delivered per year, by provider" in charts
    assert ">deliveries</text>" in charts and ">mean rating (1–5)</text>" in charts
    assert "De minimis aid in 2025 (EUR), by provider" in charts
    assert ">galicia</text>" in charts  # the legend names the provider
    assert charts.count('class="source"') == 3
    spanish = login(w.staff).get("/es/services/uptake/").content.decode()
    assert "Servicios prestados por año, por servicio" in spanish


def test_no_data_is_said_in_words(login, portfolio):
    page = login(portfolio.world.staff).get("/en/services/uptake/").content.decode()
    assert "No service delivered yet: nothing to draw." in page and "<svg" not in page
    assert login(portfolio.world.rep).get("/en/services/uptake/").status_code == 200
    assert login(None).get("/en/services/uptake/").status_code == 302
