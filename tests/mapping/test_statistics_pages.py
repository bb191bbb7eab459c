"""The statistics pages, read from the stored ratings: portfolio, comparison, category map,
opportunities, downloads, the statistics index and the cluster profile's regional figures."""

import csv
import io

import openpyxl
import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from atclusters.mapping import services
from atclusters.mapping.models import RatingSet

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
    row = body.split("Agriculture, forestry and fishing</a>")[1].split("</tr>")[0]
    # Base: 400 / 2000 = 0.2; ES11's share 0.5 → LQ 2.5, the largest of the three regions.
    assert (
        "<td>50</td>" in row and "<td>2.50</td>" in row and "size · specialisation · focus" in row
    )
    # (50 / 40) ** (1/5) − 1 = 0.0456 per year, a share of 50 / 100 = 50 %.
    assert "<td>4.6\xa0%</td>" in row and "<td>50.0\xa0%</td>" in row and "<td>yes</td>" in row
    assert '<svg class="bubble-chart" role="img"' in body and '<svg class="line-chart"' in body
    assert "Small &lt;b&gt;test&lt;/b&gt; set" in body
    assert "Specialisation star: location quotient of at least 2.0." in body
    strongest = body.split("Strongest categories")[1].split("</ul>")[0]
    assert "Agriculture, forestry and fishing" in strongest


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


def test_a_region_group_has_a_portfolio_as_a_macro_region(client, statistics):
    services.region_group_save(
        actor=None, slug="galicia-norte", name="Galicia <i>&</i> Norte", regions=["ES11", "PT11"]
    )
    body = client.get(reverse("region_portfolio", args=["galicia-norte"])).text
    assert "Galicia &lt;i&gt;&amp;&lt;/i&gt; Norte" in body and "<i>&</i>" not in body
    row = body.split("Agriculture, forestry and fishing</a>")[1].split("</tr>")[0]
    # (50 + 40) of (100 + 200) = 0.3 against 0.2: LQ 1.5.
    assert "<td>90</td>" in row and "<td>1.50</td>" in row


def test_compare_up_to_ten_regions(client, statistics):
    url = reverse("statistics_compare")
    body = client.get(url, {"regions": "ES11, pt11,ES12"}).text
    header = body.split("<thead>")[1].split("</thead>")[0]
    assert header.index("ES11") < header.index("PT11") < header.index("ES12")
    row = body.split("Agriculture, forestry and fishing</th>")[1].split("</tr>")[0]
    assert "LQ 2.50" in row and "LQ 1.00" in row and "LQ 0.50" in row
    assert '<svg class="line-chart"' in body
    eleven = ",".join(["ES11", "ES12", "ES13", "PT11", "PT16", "PT17", "PT18", "PT15", "PT20", "PT30", "IE05"])  # fmt: skip
    refused = client.get(url, {"regions": eleven}).text
    assert "at most 10 regions can be compared" in refused and 'aria-invalid="true"' in refused
    assert "None of these regions has figures" in client.get(url, {"regions": "FRH0"}).text


def test_category_map_shades_regions_and_ranks_them(client, statistics):
    body = client.get(reverse("category_map", args=["A"]), {"level": 2}).text
    assert '<svg class="choropleth" role="group"' in body
    galicia = body.split('aria-label="Galicia (ES11): LQ 2.50')[1].split("</path>")[0]
    assert 'class="class-3"' in galicia  # LQ 2 or more
    ranking = body.split("Regions ranked by location quotient")[1]
    assert ranking.index("ES11") < ranking.index("PT11") < ranking.index("ES12")
    countries = client.get(reverse("category_map", args=["A"]), {"level": 0}).text
    # Countries shade every NUTS 2 region inside them: PT's 0.3 against 0.2.
    assert countries.count("Portugal (PT): LQ 1.50") > 1
    assert client.get(reverse("category_map", args=["NOPE"])).status_code == 404


def test_diversification_opportunities_by_hand(client, statistics):
    services.dataset_import(
        actor=None,
        content=(
            b"region,industry,year,employment\n"
            b"ES,TOTAL,2020,1000\nES,A,2020,100\nES,F,2020,100\nES,J,2020,100\n"
            b"ES11,TOTAL,2020,100\nES11,A,2020,20\nES11,F,2020,5\nES11,J,2020,5\n"
            b"ES12,TOTAL,2020,100\nES12,A,2020,20\nES12,F,2020,20\nES12,J,2020,5\n"
            b"ES13,TOTAL,2020,100\nES13,A,2020,5\nES13,F,2020,5\nES13,J,2020,20\n"
        ),
        file_name="o.csv",
        fmt="tidy-csv",
        slug="opportunities",
    )
    body = client.get(
        reverse("region_opportunities", args=["ES11"]), {"dataset": "opportunities"}
    ).text
    table = body.split("most related first")[1].split("</table>")[0]
    # Specialised (LQ ≥ 1): ES11 {A}, ES12 {A, F}, ES13 {J}. Proximity A–F = 1 / max(2, 1) =
    # 0.5, A–J = 0, F–J = 0. Density of F for ES11 = φ(F,A) / (φ(F,A) + φ(F,J)) = 100;
    # of J = 0 / 0 → 0.
    assert table.index("Construction") < table.index("Information and communication")
    assert "<td>100.0</td>" in table and "<td>0.0</td>" in table
    assert '<svg class="network-chart"' in body


def test_every_table_and_chart_downloads(client, statistics):
    url = reverse("region_portfolio", args=["ES11"])
    response = client.get(url, {"download": "csv", "table": "portfolio"})
    assert response["Content-Disposition"] == 'attachment; filename="ES11-2015-a10-portfolio.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["category"] == "A" and float(rows[0]["lq"]) == pytest.approx(2.5)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"download": "xlsx", "table": "trends"}).content)
    )
    sheet = workbook.worksheets[0]
    # 2010 and 2015; in 2010 ES11 publishes no total, so there is employment but no LQ.
    assert sheet["A1"].value == "name" and sheet.max_row == 3 and sheet["J2"].value is None
    svg = client.get(url, {"download": "svg", "chart": "bubble"})
    text = svg.content.decode()
    assert svg["Content-Type"] == "image/svg+xml"
    # Valid SVG whose look is in its attributes: a <style> element would be blocked by our
    # Content-Security-Policy when the file is opened from the site.
    root = fromstring(text.encode())
    assert (root.tag, root.get("width"), root.get("height")) == (
        "{http://www.w3.org/2000/svg}svg", "640", "380",
    )  # fmt: skip
    assert "<style" not in text and "style=" not in text and ".bubble-chart" not in text
    assert root.get("font-size") == "11px" and root[1].get("fill") == "#fff"  # the background
    bubbles = root.findall(".//{*}g[@class='bubble']/{*}circle")
    assert bubbles and {bubble.get("fill") for bubble in bubbles} == {"#6baed6"}
    map_svg = client.get(reverse("category_map", args=["A"]), {"download": "svg"})
    assert map_svg["Content-Disposition"].endswith('-map.svg"')
    assert client.get(url, {"download": "pdf"}).status_code == 404
    assert client.get(url, {"download": "csv", "table": "secret"}).status_code == 404
    assert "data-png-from=" in client.get(url).text


def test_statistics_page_lists_datasets_categories_and_methodology(client, statistics):
    body = client.get(reverse("statistics")).text
    assert "Small &lt;b&gt;test&lt;/b&gt; set" in body and "a10: up to date" in body
    assert reverse("category_map", args=["M_N"]) in body
    assert "Productivity star (European Cluster Panorama, when wages are known)" in body


def test_pages_say_when_results_are_not_computed_yet(client, statistics):
    RatingSet.objects.all().delete()
    body = client.get(reverse("region_portfolio", args=["ES11"])).text
    assert "The results are being computed" in body


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("es", "Cartera de clústeres de Galicia"),
        ("gl", "Carteira de clústeres de Galicia"),
        ("pt", "Carteira de clusters de Galicia"),
        ("fr", "Portefeuille de clusters de Galicia"),
    ],
)
def test_pages_in_every_language(client, statistics, language, title):
    assert title in client.get(f"/{language}/regions/ES11/portfolio/").text
    for path in (
        "/statistics/",
        "/statistics/compare/?regions=ES11,PT11",
        "/statistics/categories/A/",
        "/regions/ES11/opportunities/",
    ):
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200 and f'lang="{language}"' in response.text
