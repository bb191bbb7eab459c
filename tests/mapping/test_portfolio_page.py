"""A region's cluster portfolio page, from stored statistics."""

import pytest
from django.urls import reverse

from atclusters.mapping import services

pytestmark = pytest.mark.django_db

FIGURES = (
    "region,industry,year,employment\n"
    "ES,TOTAL,2015,1000\nES,A,2015,100\nPT,TOTAL,2015,1000\nPT,A,2015,300\n"
    "ES11,TOTAL,2015,100\nES11,A,2015,50\nES12,TOTAL,2015,100\nES12,A,2015,10\n"
    "PT11,TOTAL,2015,200\nPT11,A,2015,40\nES11,A,2010,40\n"
)


def figures_import(name: str = "Small <b>test</b> set"):
    return services.dataset_import(
        actor=None,
        content=FIGURES.encode(),
        file_name="t.csv",
        fmt="tidy-csv",
        slug="small",
        name=name,
    )


@pytest.fixture
def statistics():
    return figures_import()


def test_portfolio_shows_stars_growth_and_the_rules(client, statistics):
    body = client.get(reverse("region_portfolio", args=["es11"])).text
    assert "Cluster portfolio of Galicia" in body
    row = body.split("Agriculture, forestry and fishing")[1].split("</tr>")[0]
    assert (
        "<td>50</td>" in row and "<td>2.50</td>" in row and "size · specialisation · focus" in row
    )
    # (50 / 40) ** (1/5) − 1 = 0.0456 per year.
    assert "<td>0.046</td>" in row and "<td>yes</td>" in row
    assert (
        '<svg class="bubble-chart" role="img"' in body
        and "Small &lt;b&gt;test&lt;/b&gt; set" in body
    )
    assert "Specialisation star: location quotient of at least 2.0." in body


def test_region_page_links_the_portfolio_only_with_figures(client, statistics):
    assert (
        "Cluster portfolio from the statistics"
        in client.get(reverse("region_detail", args=["ES11"])).text
    )
    assert (
        "Cluster portfolio from the statistics"
        not in client.get(reverse("region_detail", args=["ES13"])).text
    )
    assert client.get(reverse("region_portfolio", args=["ES13"])).status_code == 404
    assert client.get(reverse("region_portfolio", args=["ES11"]), {"year": "x"}).status_code == 200


def test_portfolio_in_spanish(client, statistics):
    body = client.get("/es/regions/ES11/portfolio/").text
    assert "Cartera de clústeres de Galicia" in body
