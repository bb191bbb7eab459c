"""Ratings computed in the background, stored, recomputed when their inputs change; read by
the command line, the API and the cluster profile."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from atclusters.mapping import services, tasks
from atclusters.mapping.models import Observation, Rating, RatingSet
from atclusters.registry.models import NaceActivity
from tests.factories import MembershipFactory, OrganisationFactory
from tests.mapping.test_ratings import (
    TRADED_BASE_CATEGORIES,
    TRADED_BASE_KIND_LQ,
    TRADED_BASE_LOCAL,
    TRADED_BASE_STRONG,
    traded_base_cells,
)
from tests.mapping.test_statistics_pages import FIGURES, figures_import

pytestmark = pytest.mark.django_db


def rating(region="ES11", category="A", year=2015, **filters):
    return Rating.objects.get(region=region, category=category, year=year, **filters)


def test_an_import_stores_every_scheme_and_base_and_a_new_revision_replaces_them():
    services.region_group_save(actor=None, slug="iberia", name="Iberia", regions=["ES", "PT"])
    dataset = figures_import()
    sets = {(s.scheme, s.base): s for s in dataset.rating_sets.all()}
    assert set(sets) == {("a10", ""), ("a10", "iberia")}
    assert all(s.status == "done" and s.dataset_revision == 1 for s in sets.values())
    assert rating(rating_set=sets["a10", ""]).lq == pytest.approx(2.5)
    # The group is also a macro-region: ES + PT farming 400 of 2000, as the base: LQ 1.
    macro = rating("iberia", rating_set=sets["a10", ""])
    assert macro.level == 9 and macro.employment == 400 and macro.lq == pytest.approx(1.0)
    services.dataset_import(
        actor=None,
        content=FIGURES.replace("ES,A,2015,100", "ES,A,2015,200").encode(),
        file_name="t.csv",
        fmt="tidy-csv",
        slug="small",
    )
    stored = RatingSet.objects.get(scheme="a10", base="")
    assert stored.dataset_revision == 2
    # 0.5 against (200 + 300) / 2000.
    assert rating(rating_set=stored).lq == pytest.approx(2.0)


def test_a_file_of_another_measure_keeps_the_employment():
    figures_import()
    services.dataset_import(
        actor=None,
        content=b"region,industry,year,wages\nES11,A,2015,1500000\nES12,A,2015,200000\n",
        file_name="wages.csv",
        fmt="tidy-csv",
        slug="small",
    )
    assert Observation.objects.filter(measure="employment").count() == 11
    es11 = rating(rating_set=RatingSet.objects.get(base=""))
    assert es11.wages == 1_500_000 and es11.wage_per_employee == 30_000


def test_a_new_scheme_is_rated_for_every_dataset(tmp_path):
    dataset = figures_import()
    scheme = tmp_path / "farm.csv"
    scheme.write_text("code,name,industries\nfarm,Farming,A\n", encoding="utf-8")
    call_command("mapping", "categories", str(scheme), "--scheme", "farm", "--name", "Farm")
    stored = dataset.rating_sets.get(scheme="farm")
    assert stored.status == "done" and rating(category="farm", rating_set=stored).stars == 3


def test_thresholds_are_settings_applied_by_recompute(settings, capsys):
    figures_import()
    assert not rating(region="PT11").specialisation_star  # LQ 1.0
    settings.MAPPING_RATING_THRESHOLDS = {"specialisation_lq": 1.0}
    call_command("mapping", "recompute")
    assert "small a10 -: " in capsys.readouterr().out
    assert rating(region="PT11").specialisation_star
    assert RatingSet.objects.get().thresholds["specialisation_lq"] == 1.0


def test_a_job_for_a_set_that_went_away_does_nothing():
    figures_import()
    gone = RatingSet.objects.get().pk
    RatingSet.objects.all().delete()
    tasks.ratings_recompute.enqueue(rating_set_id=gone)
    assert not Rating.objects.exists()


def test_portfolio_command(capsys):
    figures_import()
    capsys.readouterr()
    call_command("mapping", "portfolio", "--dataset", "small", "--region", "es11", "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["region"] == "ES11" and document["year"] == 2015
    assert document["strongest"] == ["A"] and document["thresholds"]["specialisation_lq"] == 2
    assert document["rows"][0]["growth"] == pytest.approx((50 / 40) ** 0.2 - 1)
    call_command("mapping", "portfolio", "--dataset", "small", "--region", "ES11")
    assert capsys.readouterr().out.startswith("year,level,region,category,")
    with pytest.raises(CommandError, match="--region: no figures for 'FRH0'"):
        call_command("mapping", "portfolio", "--dataset", "small", "--region", "FRH0")
    with pytest.raises(CommandError, match="--year: ES11 has figures for 2010–2015, not 2000"):
        call_command(
            "mapping", "portfolio", "--dataset", "small", "--region", "ES11", "--year", "2000"
        )


def test_api_reads_the_stored_results(client):
    figures_import()
    base = "/api/v1/datasets/small"
    sets = client.get(f"{base}/rating-sets").json()
    assert sets[0]["status"] == "done" and sets[0]["revision"] == 1
    portfolio = client.get(f"{base}/portfolio/es11").json()
    assert portfolio["region"] == "ES11" and portfolio["strongest"] == ["A"]
    category = client.get(f"{base}/categories/A", {"year": 2015, "level": 2}).json()
    assert [row["region"] for row in category["rows"]] == ["ES11", "PT11", "ES12"]
    trends = client.get(f"{base}/trends", {"regions": "ES11,PT11", "category": "A"}).json()
    assert [(r["region"], r["year"]) for r in trends["rows"]] == [
        ("ES11", 2010),
        ("ES11", 2015),
        ("PT11", 2015),
    ]
    opportunities = client.get(f"{base}/opportunities/es11").json()
    assert opportunities["relatedness"] == "co-location" and opportunities["year"] == 2015
    assert [row["category"] for row in opportunities["rows"]] == ["A"]
    problems = {
        f"{base}/opportunities/atlantic": "region",
        f"{base}/portfolio/ES11?categories=nope": "categories",
        f"{base}/portfolio/ES11?base=nowhere": "base",
        f"{base}/portfolio/FRH0": "region",
        f"{base}/portfolio/ES11?year=2000": "year",
        f"{base}/categories/ZZ?year=2015": "category",
        f"{base}/trends?regions="
        + ",".join(["ES11"] * 2 + [f"PT1{i}" for i in range(10)]): "regions",
    }
    for url, field in problems.items():
        response = client.get(url)
        assert response.status_code == 422, url
        assert field in json.dumps(response.json()), url


def test_the_cluster_profile_shows_its_region_and_the_members_coverage(client, world):
    figures_import()
    world.cluster.sectors.set(NaceActivity.objects.filter(version="2.1", code="01"))
    url = reverse("cluster_detail", args=[world.cluster.slug])
    body = client.get(url).text
    section = body.split('id="regional-statistics"')[1].split("</section>")[0]
    assert "Agriculture, forestry and fishing" in section and "<td>2.50</td>" in section
    assert "employment is known for 1 of 1 members" in section
    assert "It is shown from 3 members" in section and "(10)" not in section
    farm = NaceActivity.objects.get(version="2", code="01.11")
    for employees in (4, 3, 3):
        MembershipFactory(
            cluster=world.cluster,
            organisation=OrganisationFactory(employees=employees, nace=farm),
        )
    section = client.get(url).text.split('id="regional-statistics"')[1].split("</section>")[0]
    # 10 employees of the region's 50 in farming (the first member works in another sector).
    assert "0.2000 (10)" in section and "employment is known for 4 of 4 members" in section


def test_mistyped_thresholds_fail_the_startup_checks(settings):
    from django.core.checks import run_checks

    settings.MAPPING_RATING_THRESHOLDS = {"specialization_lq": 1.5, "size_top": "x"}
    messages = {error.id: error.msg for error in run_checks()}
    assert "unknown threshold 'specialization_lq'" in messages["mapping.E001"]
    assert messages["mapping.E002"] == "MAPPING_RATING_THRESHOLDS: size_top must be a number"


def test_the_star_method_is_chosen_when_reading(client, capsys):
    figures_import()
    capsys.readouterr()
    # ES11 farming has the size, specialisation and focus stars; no wages, so no productivity.
    call_command("mapping", "portfolio", "--dataset", "small", "--region", "ES11", "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["stars_method"] == "eco" and document["rows"][0]["stars"] == 3
    call_command(
        "mapping", "portfolio", "--dataset", "small", "--region", "ES11", "--json",
        "--stars", "eocic",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["rows"][0]["stars"] == 2
    base = "/api/v1/datasets/small"
    answer = client.get(f"{base}/ratings", {"year": 2015, "level": 2, "stars": "eocic"}).json()
    assert answer["stars_method"] == "eocic"
    assert {row["region"]: row["stars"] for row in answer["rows"]}["ES11"] == 2
    wrong = client.get(f"{base}/portfolio/ES11", {"stars": "four"})
    assert wrong.status_code == 422 and "stars" in json.dumps(wrong.json())
    page = client.get(reverse("region_portfolio", args=["ES11"]), {"stars": "eocic"}).text
    row = page.split("Agriculture, forestry and fishing</a>")[1].split("</tr>")[0]
    assert "2 · size · specialisation</td>" in row.replace("\n", "")


def traded_base_import():
    """The traded-base worked case (tests/mapping/test_ratings.py): its scheme, then its figures
    of 2020 (the import rates them in every scheme)."""
    services.category_scheme_save(
        actor=None,
        slug="kinds",
        name="Kinds",
        categories=[
            {
                "code": code,
                "name": code,
                "industries": industries,
                "kind": "local" if code in TRADED_BASE_LOCAL else "traded",
            }
            for code, industries in TRADED_BASE_CATEGORIES.items()
        ],
    )
    lines = [",".join(map(str, cell)) for cell in traded_base_cells()]
    return services.dataset_import(
        actor=None,
        content="\n".join(["region,industry,year,employment", *lines]).encode(),
        file_name="kinds.csv",
        fmt="tidy-csv",
        slug="kinds",
    )


def test_the_stored_set_rates_strong_clusters_on_the_traded_base():
    dataset = traded_base_import()
    stored = dataset.rating_sets.get(scheme="kinds", base="")
    assert stored.status == "done" and stored.strong_lq_base == "traded"
    rows = Rating.objects.filter(rating_set=stored, year=2020, level=2)
    assert {(r.region, r.category) for r in rows if r.strong} == TRADED_BASE_STRONG
    for category, expected in TRADED_BASE_KIND_LQ.items():
        found = {r.region: r.kind_lq for r in rows if r.category == category}
        assert found == pytest.approx(expected)
    # The A*10 sectors have no local category: their strong-cluster LQ is the total-based one.
    sectors = dataset.rating_sets.get(scheme="a10", base="")
    assert sectors.strong_lq_base == "total"
    assert all(r.kind_lq == r.lq for r in Rating.objects.filter(rating_set=sectors))


def test_the_command_line_and_the_api_name_the_base_of_the_strong_cluster_lq(client, capsys):
    traded_base_import()
    capsys.readouterr()
    options = ["--dataset", "kinds", "--year", "2020", "--level", "2", "--categories", "kinds"]
    call_command("mapping", "ratings", *options, "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["strong_lq_base"] == "traded"
    farm = {row["region"]: row for row in document["rows"] if row["category"] == "farm"}
    # ES12: kind_lq (40 / 80) / (100 / 400) = 2, strong; lq (40 / 400) / (100 / 1000) = 1.
    assert farm["ES12"]["kind_lq"] == pytest.approx(2.0) and farm["ES12"]["strong"] is True
    assert farm["ES12"]["lq"] == pytest.approx(1.0)
    # ES22: kind_lq (60 / 240) / 0.25 = 1, not strong, though its lq is 2.
    assert farm["ES22"]["kind_lq"] == pytest.approx(1.0) and farm["ES22"]["strong"] is False
    call_command("mapping", "ratings", *options)
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header[-2:] == ["kind_lq", "complete"] and "lq" in header
    base = "/api/v1/datasets/kinds"
    answer = client.get(f"{base}/ratings", {"year": 2020, "level": 2, "categories": "kinds"})
    answer = answer.json()
    assert answer["strong_lq_base"] == "traded"
    strong = {(row["region"], row["category"]) for row in answer["rows"] if row["strong"]}
    assert strong == TRADED_BASE_STRONG
    # ES12's farming is a strong cluster without stars, its shops have size and focus stars.
    portfolio = client.get(f"{base}/portfolio/ES12", {"categories": "kinds"}).json()
    assert portfolio["strongest"] == ["farm", "shops"] and portfolio["strong_lq_base"] == "traded"
    sets = {s["categories"]: s for s in client.get(f"{base}/rating-sets").json()}
    assert sets["kinds"]["strong_lq_base"] == "traded"
    assert sets["a10"]["strong_lq_base"] == "total"
