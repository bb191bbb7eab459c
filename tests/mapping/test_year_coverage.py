"""Incomplete years on the shipped data (Eurostat nama_10r_3empers as the demo loads it): in
2018 only 10 of the 28 countries that publish a total also publish their sectors, so the
comparison base of that year is incomplete; the pages, the command line and the API default to
the newest complete year and mark incomplete ones. Expected figures are read off the file
(atclusters/data/stats/atlantic_nuts_employment_by_sector.csv.gz) by hand."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from atclusters.mapping.demo import demo_statistics_load
from atclusters.mapping.models import RatingSet

pytestmark = pytest.mark.django_db

# Galicia (ES11), agriculture (A): 72,500 of 1,057,600 employees in 2017, against 10,430,070 of
# 214,421,350 in the 30 countries that publish agriculture: LQ 1.4093. In 2018 71,700 of
# 1,078,700 against 1,623,360 of 67,484,330 in the 10 countries that do: LQ 2.7632.
GALICIA_FARMING_2017 = (72_500 / 1_057_600) / (10_430_070 / 214_421_350)
GALICIA_FARMING_2018 = (71_700 / 1_078_700) / (1_623_360 / 67_484_330)
# 2018 against the median of 2008-2017: 28 countries, and 187,408,185 employees (the mean of
# the middle two of the ten years' totals, 187,254,880 in 2014 and 187,561,490 in 2009).
COVERAGE_2018 = min(10 / 28, 67_484_330 / 187_408_185)


@pytest.fixture
def demo():
    dataset = demo_statistics_load()
    return RatingSet.objects.get(dataset=dataset, scheme="a10", base="")


def test_the_stored_set_records_each_years_comparison_base_read_by_cli_and_api(
    demo, client, capsys
):
    coverage = {entry["year"]: entry for entry in demo.coverage}
    assert coverage[2018]["regions"] == 10 and coverage[2018]["base_regions"] == 28
    assert coverage[2018]["employment"] == 67_484_330
    assert coverage[2018]["reference_regions"] == 28
    assert coverage[2018]["reference_employment"] == 187_408_185
    assert coverage[2018]["coverage"] == pytest.approx(COVERAGE_2018)
    # 1995-1999: five countries (CZ, EE, IT, LU, PT) against 27 in the years after.
    assert coverage[1995]["regions"] == 5 and coverage[1995]["reference_regions"] == 27
    assert demo.incomplete_years == [1995, 1996, 1997, 1998, 1999, 2018]
    assert coverage[2017]["complete"] and coverage[2000]["complete"]
    # The command line and the API default to the newest complete year and mark the others.
    capsys.readouterr()
    call_command(
        "mapping", "portfolio", "--dataset", demo.dataset.slug, "--region", "ES11", "--json"
    )
    document = json.loads(capsys.readouterr().out)
    assert document["year"] == 2017 and document["complete"] is True
    assert document["newest_complete_year"] == 2017
    farming = next(row for row in document["rows"] if row["category"] == "A")
    assert farming["lq"] == pytest.approx(GALICIA_FARMING_2017)
    base = f"/api/v1/datasets/{demo.dataset.slug}"
    portfolio = client.get(f"{base}/portfolio/ES11").json()
    assert portfolio["year"] == 2017 and portfolio["coverage"] == 1.0
    answer = client.get(f"{base}/ratings", {"year": 2018, "level": 2}).json()
    assert answer["complete"] is False
    assert answer["coverage"] == pytest.approx(COVERAGE_2018)
    galicia = next(r for r in answer["rows"] if r["region"] == "ES11" and r["category"] == "A")
    assert galicia["lq"] == pytest.approx(GALICIA_FARMING_2018) and galicia["complete"] is False
    trends = client.get(f"{base}/trends", {"regions": "ES11,PT11", "category": "A"}).json()
    marks = {(row["region"], row["year"]): row["complete"] for row in trends["rows"]}
    assert marks["ES11", 2017] and not marks["ES11", 2018] and not marks["PT11", 1999]
    assert [y["year"] for y in trends["years"] if not y["complete"]] == [
        1995, 1996, 1997, 1998, 1999, 2018,
    ]  # fmt: skip
    call_command(
        "mapping", "ratings", "--dataset", demo.dataset.slug, "--year", "2018", "--level", "2"
    )
    out, err = capsys.readouterr()
    assert out.splitlines()[0].endswith(",complete")
    assert "2018 is an incomplete year (its comparison base covers 36%" in err


def test_pages_open_on_the_newest_complete_year_and_mark_incomplete_ones(demo, client):
    url = reverse("region_portfolio", args=["ES11"])
    body = client.get(url).text
    assert '<option value="2017" selected>2017</option>' in body
    assert '<option value="2018" >2018 (incomplete)</option>' in body
    assert "is an incomplete year" not in body
    farming = body.split("Agriculture, forestry and fishing</a>")[1].split("</tr>")[0]
    assert f"<td>{GALICIA_FARMING_2017:.2f}</td>" in farming
    body = client.get(url, {"year": 2018}).text
    assert "2018 is an incomplete year." in body
    assert "Its comparison base has figures for 10 regions, against 28 in the neighbouring" in body
    assert "(incomplete year: not comparable with other years)</title>" in body
    # The trends draw the incomplete years hollow, joined to no line, with a legend entry.
    trends = body.split('<svg class="line-chart"')[1].split("</svg>")[0]
    assert trends.count('class="apart"') >= 6 and "Incomplete year (not comparable)" in trends
    compare = client.get(reverse("statistics_compare"), {"regions": "ES11,PT11"}).text
    assert '<option value="2017" selected>2017</option>' in compare
    assert 'class="apart"' in compare.split('<svg class="line-chart"')[1]
    category = client.get(reverse("category_map", args=["A"]), {"year": 2018}).text
    assert "2018 is an incomplete year." in category
    assert "incomplete year: not comparable with other years</caption>" in category
