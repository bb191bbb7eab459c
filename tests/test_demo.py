from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from atclusters.benchmarking import reports
from atclusters.benchmarking import selectors as benchmarking_selectors
from atclusters.benchmarking import services as benchmarking_services
from atclusters.benchmarking.models import Framework
from atclusters.cooperation import selectors as cooperation_selectors
from atclusters.cooperation import semantic
from atclusters.cooperation.matching import Index, Preferences, evaluate
from atclusters.cooperation.models import Posting
from atclusters.core.models import Agency
from atclusters.mapping.models import CategoryScheme, Dataset, Observation
from atclusters.registry.demo import demo_load
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.stateaid import selectors
from atclusters.stateaid.models import Grant, Undertaking

pytestmark = pytest.mark.django_db


def test_demo_loads_partnership_and_real_clusters(capsys):
    call_command("demo", "--no-serve")
    output = capsys.readouterr().out
    assert "clusaga-manager" in output and "atclusters-demo-2026" in output
    assert (
        "Demo data ready: 81 clusters (80 published, 1 awaiting review, 0 in draft; "
        "81 added now)." in output
    )
    assert Agency.objects.count() == 6
    assert ClusterOrganisation.objects.count() == 81
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    assert clusaga.agency.slug == "igape" and clusaga.nuts_region_id == "ES11"
    assert clusaga.label == "bronze" and clusaga.year_established == 2010
    assert ClusterOrganisation.objects.get(slug="portugalfoods").agency.slug == "adrave"
    assert ClusterOrganisation.objects.get(slug="addict").city == "Porto"
    assert ClusterOrganisation.objects.get(slug="clag").status == "submitted"
    members = Organisation.objects.filter(memberships__cluster=clusaga)
    assert members.count() == 40 and all(o.is_fictitious for o in members)
    assert members.filter(type="research").exists()
    assert "Statistics: Employment by NUTS region and sector" in output
    galicia = Observation.objects.get(
        dataset__slug="eurostat-nama-10r-3empers", region="ES11", industry="TOTAL", year=2015
    )
    assert galicia.value == 1033800  # persons employed, Eurostat nama_10r_3empers
    call_command("demo", "--no-serve")
    assert ClusterOrganisation.objects.count() == 81
    assert Dataset.objects.get().revision == 1
    assert CategoryScheme.objects.get(slug="us-cmp-nace2").categories.count() == 67
    # the demo register's six, the services demo's subsidised delivery and approved claim, and
    # the hub's two confirmed meeting-room bookings at the member price (the member's and
    # CLUSAGA's; the training room awaits approval, the 3D printer is an Art. 27 facility and
    # IGAPE's own use is no aid), each loaded once
    assert Grant.objects.count() == 10
    assert Grant.objects.filter(reference__startswith="ATC-SRV-").count() == 1
    assert Grant.objects.filter(reference__startswith="ATC-CLM-").count() == 1
    assert Grant.objects.filter(reference__startswith="ATC-FAC-").count() == 2
    assert Framework.objects.get(kind="benchmarking").indicators.count() == 36
    assert Framework.objects.get(kind="gold_assessment").indicators.count() == 26
    holding = Undertaking.objects.get(identifier="demo-holding-galicia")
    group = selectors.de_minimis_check(
        user=None,
        undertaking=holding,
        grant_date=date(2026, 11, 1),
        amount=Decimal(0),
        member_state="ES",
    )
    assert group.counted == 245_000 and len(group.group) == 3  # 120,000 + 95,000 + 30,000
    demo_benchmarking_works()
    demo_cooperation_works()


def demo_cooperation_works():
    """Portugal Foods is CLUSAGA's partner: left out of the matches, ranked high when partners
    are kept; the agri-food meta-cluster spans countries and holds their agreement."""
    index = cooperation_selectors.matching_index(organisations=False)
    clusaga = index.profiles[index.position["cluster:clusaga"]]
    assert "cluster:portugalfoods" in clusaga.partners
    kept = index.match(clusaga, top=10, preferences=Preferences(exclude_partners=False))
    assert "cluster:portugalfoods" in [m.key for m in kept]
    assert all(m.reasons for m in kept)
    pair = [("cluster:clusaga", "cluster:portugalfoods")]
    assert [r["rank"] for r in evaluate(index, pair, k=10)["ranks"]] == [1, 4]
    # The semantic signal (the model in the `semantic` extra) brings CLUSAGA up for Portugal Foods.
    with_meaning = Index(index.profiles, index.vocabulary, semantic.load("wordllama"))
    assert [r["rank"] for r in evaluate(with_meaning, pair, k=10)["ranks"]] == [1, 3]
    # The partnership's second pair counts once the agency publishes CLAG (kept for review in
    # the demo): every known cross-border partner is then in the other's top 10.
    clag = ClusterOrganisation.objects.get(slug="clag")
    clag.status = ClusterOrganisation.Status.PUBLISHED
    clag.save()
    known = (Path(__file__).parent / "cooperation" / "known_pairs.csv").read_text()
    index = cooperation_selectors.matching_index(organisations=False)
    pairs, skipped = cooperation_selectors.known_pairs(known, index)
    result = evaluate(index, pairs, k=10)
    assert (result["queries"], result["recall_at_k"], skipped) == (4, 1.0, [])
    # Cross-sector pairs of the regional networks the clusters' profiles name: the regional
    # question finds most in its top 10, the value-chain question few (docs/cooperation.md).
    regional = (Path(__file__).parent / "cooperation" / "known_regional_pairs.csv").read_text()
    pairs, skipped = cooperation_selectors.known_pairs(regional, index)
    figures = cooperation_selectors.evaluation(index, pairs, k=10)["modes"]
    assert (len(pairs), skipped) == (44, [])
    assert round(figures["region"]["by_type"]["cross_sector"]["recall_at_k"], 3) == 0.852
    assert round(figures["abroad"]["by_type"]["cross_sector"]["recall_at_k"], 3) == 0.091
    # Asturias: the ICT cluster's first regional synergy shares its technology field.
    synergies = cooperation_selectors.synergy_index(index)
    ict = index.profiles[index.position["cluster:cluster-tic-asturias"]]
    first = synergies.match(ict, mode="region", top=10)[0]
    assert first.key == "cluster:innovative-knowledge-cluster-asturias"
    assert str(first.reasons[0]) == "shared technology fields: Artificial Intelligence"
    clag.status = ClusterOrganisation.Status.SUBMITTED
    clag.save()
    groups = cooperation_selectors.meta_clusters()
    food = next(g for g in groups if "cluster:clusaga" in g.members)
    assert {"ES", "PT"} <= set(food.countries)
    assert ("cluster:clusaga", "cluster:portugalfoods") in food.agreements
    assert Posting.objects.filter(status="published").count() == 2


def demo_benchmarking_works():
    """Validated rounds give every demo cluster peer statistics; the policies of the six
    partner agencies compare, with IGAPE's programme linked to the register and the regions'
    statistics from the demo dataset."""
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    submission = benchmarking_selectors.latest_validated(cluster=clusaga, year=2025)
    committed = benchmarking_services.peer_comparison_show(actor=None, submission=submission)[
        "indicators"
    ][0]
    assert committed["code"] == "S01" and committed["n"] == 79 and committed["median"] is not None
    assert committed["change"] is not None  # IGAPE's clusters also answered for 2024
    comparison = benchmarking_selectors.policy_comparison(year=2025)
    rows = {row["agency"].slug: row for row in comparison["rows"]}
    assert sorted(rows) == [
        "adrave", "bretagne-innovation", "idepa", "igape", "sodercan", "southern-assembly",
    ]  # fmt: skip
    assert rows["igape"]["aid_recorded"] == 180_000  # the GBER Art. 27 grant to CLUSAGA
    assert [summary["region"] for summary in rows["igape"]["regions"]] == ["ES11"]
    assert rows["southern-assembly"]["regions"][0]["region"] == "IE05"
    assert rows["bretagne-innovation"]["regions"] == []  # no sector figures for FRH0
    context = reports.characterization(cluster=clusaga, year=2025, user=None, language="gl")
    assert context["statistics"]["region"] == "ES11" and context["comparison"]["peers"] == 79
    # The labels: CLUSAGA repeats its 2023 benchmarking 20 months later, better in every area
    # with invented answers; CEAGA's Gold assessment meets 85 % but has no written strategy.
    clusaga_labels = benchmarking_selectors.label_readiness(cluster=clusaga, year=2025)
    silver = clusaga_labels["silver_readiness"]
    assert clusaga_labels["silver"] is True and silver["months"] == 20
    assert silver["earlier"]["validated_on"] == "2024-07-10" and len(silver["improved_areas"]) >= 3
    ceaga = ClusterOrganisation.objects.get(slug="ceaga")
    ceaga_gold = benchmarking_selectors.label_readiness(cluster=ceaga, year=2025)
    assert ceaga_gold["gold"] is False and ceaga_gold["gold_assessment"]["share_met"] == 0.85
    assert ceaga_gold["gold_assessment"]["knock_outs_failed"][0]["code"] == "K05"


PUBLIC_PAGES = ["", "clusters/", "clusters/clusaga/", "map/", "agencies/", "regions/ES11/"]


@pytest.mark.parametrize("language", ["en", "es", "gl", "pt", "fr"])
def test_public_pages_of_the_demo_in_every_language(client, language):
    demo_load()
    for page in PUBLIC_PAGES:
        response = client.get(f"/{language}/{page}")
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.text
    profile = client.get(f"/{language}/clusters/clusaga/").text
    assert "Galicia–Norte agri-food meta-cluster" in profile  # a public agreement
    assert 'class="bar-chart"' in profile and 'id="map"' in profile
    network = client.get(f"/{language}/agencies/").text
    # IGAPE's five MoUs and the two clusters' MoU; the 2011-2014 project agreement has ended.
    assert network.count('class="edge"') == 6
    clusaga = ClusterOrganisation.objects.get(slug="clusaga")
    listed = clusaga.memberships.filter(listed_publicly=True).count()
    assert 0 < listed < 40 and profile.count('<li><a href="/') >= listed
