"""`atclusters cooperation match|evaluate` on a small registry: profiles read from the
registry, the index rebuilt when the registry changes, reasons, exit codes."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.cooperation import selectors, services
from atclusters.cooperation.checks import matching_weights_check
from atclusters.core.models import NaceActivity, Term
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_clusters(world):
    food = NaceActivity.objects.get(code="10", version="2")
    packaging = NaceActivity.objects.get(code="17", version="2")
    agrifood, _ = Term.objects.get_or_create(
        kind=Term.Kind.ECOSYSTEM, slug="agri-food", defaults={"name": "Agri-food"}
    )
    world.cluster.sectors.set([food])
    world.cluster.ecosystems.set([agrifood])
    portugal = ClusterFactory(
        slug="portugalfoods", name="Portugal Foods", agency=world.agency, country_id="PT",
        nuts_region_id="PT11",
    )  # fmt: skip
    portugal.sectors.set([food])
    portugal.ecosystems.set([agrifood])
    paper = ClusterFactory(slug="paper", name="Paper Cluster", agency=world.agency)
    paper.sectors.set([packaging])
    ClusterFactory(slug="steel", name="Steel Cluster", agency=world.agency, country_id="FR",
                   nuts_region_id="FRH0")  # fmt: skip
    return world


def matches(capsys, *arguments):
    call_command("cooperation", "match", "--cluster", "food", "--json", *arguments)
    return json.loads(capsys.readouterr().out)


def test_match_ranks_and_explains(food_clusters, capsys):
    rows = matches(capsys, "--top", "3")
    assert [row["slug"] for row in rows] == ["portugalfoods", "paper", "sea"]
    assert rows[0]["reasons"][:2] == [
        "same NACE division 10 Manufacture of food products",
        "both in Agri-food ecosystem",
    ]
    assert "complementary: paper packaging → food processing" in rows[1]["reasons"]
    assert rows[0]["explanations"][1] == {"code": "ecosystem", "names": "Agri-food"}
    spanish = matches(capsys, "--top", "1", "--language", "es")[0]["reasons"]
    food_division_es = NaceActivity.objects.get(version="2", code="10").names["es"]
    assert spanish[:2] == [
        f"misma división NACE 10 {food_division_es}",  # the reader's names
        "ambos en el ecosistema Agroalimentario",
    ]
    abroad = matches(capsys, "--transnational")
    assert "paper" not in [row["slug"] for row in abroad]
    assert [row["slug"] for row in matches(capsys, "--countries", "FR")] == ["sea", "steel"]
    assert [row["slug"] for row in matches(capsys, "--regions", "pt1")] == ["portugalfoods"]
    mixed = matches(capsys, "--regions", "PT11", "--countries", "FR")
    assert [row["slug"] for row in mixed] == ["portugalfoods", "sea", "steel"]
    assert "draft" not in [row["slug"] for row in matches(capsys, "--top", "50")]  # unpublished


def test_the_index_follows_the_registry(food_clusters, capsys):
    first = selectors.matching_index(organisations=False)
    assert selectors.matching_index(organisations=False) is first
    steel = food_clusters.other_cluster
    steel.sectors.set([NaceActivity.objects.get(code="10", version="2")])
    rebuilt = selectors.matching_index(organisations=False)
    assert rebuilt is not first
    assert "cluster:sea" in [m.key for m in rebuilt.match(
        rebuilt.profiles[rebuilt.position["cluster:food"]], top=2
    )]  # fmt: skip


def test_evaluate_known_pairs_and_errors(food_clusters, tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("cluster_a,cluster_b\nfood,portugalfoods\nfood,draft\n")
    call_command("cooperation", "evaluate", str(pairs), "--k", "1", "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["queries"], result["recall_at_k"], result["mrr"]) == (2, 1.0, 1.0)
    assert result["skipped"] == ["row 3: food – draft (not published)"]
    pairs.write_text("food,atlantis\n")
    with pytest.raises(CommandError, match="row 1: no cluster atlantis") as error:
        call_command("cooperation", "evaluate", str(pairs))
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--cluster: no published cluster 'draft'"):
        call_command("cooperation", "match", "--cluster", "draft")
    with pytest.raises(CommandError, match="--regions: unknown NUTS regions: PT9, ZZ1") as error:
        call_command("cooperation", "match", "--cluster", "food", "--regions", "zz1,PT11,PT9")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="--countries: unknown countries: XX"):
        call_command("cooperation", "match", "--cluster", "food", "--countries", "PT,XX")


def test_weights_are_settings_checked_at_start_up(food_clusters, capsys, settings):
    settings.COOPERATION_WEIGHTS = {"value_chain": 5}
    assert [row["slug"] for row in matches(capsys, "--top", "1")] == ["paper"]
    settings.COOPERATION_WEIGHTS = {"colour": 1, "text": -1}
    errors = matching_weights_check(None)
    assert [error.id for error in errors] == ["cooperation.E001", "cooperation.E002"]
    assert "unknown signal 'colour'" in errors[0].msg


def test_match_from_an_organisation_or_a_posting(food_clusters, capsys, client):
    world = food_clusters
    world.member.nace = NaceActivity.objects.get(code="17.21", version="2")
    world.member.save()
    call_command("cooperation", "match", "--organisation", "member", "--top", "1", "--json")
    assert json.loads(capsys.readouterr().out)[0]["slug"] in {"food", "portugalfoods"}
    posting = services.posting_create(
        actor=None, author=world.cluster,
        data={"kind": "request", "title": "Packaging partners", "description": "Trays."},
        sectors=[NaceActivity.objects.get(code="17", version="2")],
    )  # fmt: skip
    # A packaging request: Portugal Foods is a customer abroad (value chain 0.10 + another
    # country 0.05), the paper cluster shares division 17 (0.4 × 0.25 = 0.10).
    call_command("cooperation", "match", "--posting", str(posting.pk), "--top", "2", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [row["slug"] for row in rows] == ["portugalfoods", "paper"]
    assert "complementary: paper packaging → food processing" in rows[0]["reasons"]
    assert rows[1]["reasons"][0] == "same NACE division 17 Manufacture of paper and paper products"
    api = client.get(f"/api/v1/cooperation/match?posting={posting.pk}&top=2").json()
    assert [row["slug"] for row in api] == ["portugalfoods", "paper"]
    assert client.get("/api/v1/cooperation/match?cluster=food&posting=1").status_code == 422
    with pytest.raises(CommandError, match="--posting: no published posting '999'"):
        call_command("cooperation", "match", "--posting", "999")
