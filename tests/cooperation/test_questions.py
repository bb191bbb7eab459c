"""The two matching questions through the registry (issue 25): `--mode` on the command line and
the API, the partners and meta-cluster pages, evaluation per mode and pair type, the platform's
sector co-occurrence, the recorded cooperation, and learned weights stored, shown and switched
on in the admin."""

import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.cooperation import learning, selectors, services
from atclusters.cooperation.checks import region_weights_check
from atclusters.cooperation.models import Interest, LearnedWeights
from atclusters.core.models import AuditEntry, NaceActivity, Term
from atclusters.core.permissions import PermissionDenied
from atclusters.events.models import Event, WorkingGroup
from atclusters.funding.models import Proposal, ProposalPartner
from atclusters.registry.models import CooperationAgreement, Organisation
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.funding.factories import call_saved

pytestmark = pytest.mark.django_db


def term(slug, name):
    found, _ = Term.objects.get_or_create(
        kind=Term.Kind.TECHNOLOGY_FIELD, slug=slug, defaults={"name": name}
    )
    return found


def nace(code):
    return NaceActivity.objects.get(code=code, version="2")


@pytest.fixture
def region(world):
    """In Galicia (ES11): food (10), logistics (52), marine (30, marine technology and
    biotechnology); in Norte (PT11, adjacent): health (21, biotechnology); in Brittany: sea."""
    biotech = term("biotechnology", "Biotechnology")
    marine_tech = term("marine-technology", "Marine Technology")
    world.cluster.sectors.set([nace("10")])
    logistics = ClusterFactory(slug="logistics", name="Logistics Cluster", agency=world.agency)
    logistics.sectors.set([nace("52")])
    marine = ClusterFactory(slug="marine", name="Marine Cluster", agency=world.agency)
    marine.sectors.set([nace("30")])
    marine.technology_fields.set([biotech, marine_tech])
    health = ClusterFactory(
        slug="health", name="Health Cluster", agency=world.agency, country_id="PT",
        nuts_region_id="PT11",
    )  # fmt: skip
    health.sectors.set([nace("21")])
    health.technology_fields.set([biotech])
    world.other_cluster.sectors.set([nace("30")])
    world.other_cluster.technology_fields.set([marine_tech])
    return world


def matches(capsys, cluster, *arguments):
    call_command("cooperation", "match", "--cluster", cluster, "--json", *arguments)
    return json.loads(capsys.readouterr().out)


def test_region_mode_on_the_command_line_and_the_api(region, capsys, client):
    rows = matches(capsys, "food", "--mode", "region")
    # Nearby clusters of other sectors only: not sea (France), not food itself.
    assert [row["slug"] for row in rows] == ["logistics", "marine", "health"]
    assert rows[0]["mode"] == "region"
    assert rows[0]["reasons"] == [
        "complementary, they supply you: logistics → food processing",
        "in the same region (ES11)",
    ]
    assert rows[2]["reasons"][-1] == "in a neighbouring region (PT11)"
    spanish = matches(capsys, "food", "--mode", "region", "--language", "es")[0]["reasons"]
    assert spanish == [
        "complementarios, le abastecen: logística → industria alimentaria",
        "en la misma región (ES11)",
    ]
    api = client.get("/api/v1/cooperation/match?cluster=marine&mode=region").json()
    assert api[0]["slug"] == "health" and api[0]["mode"] == "region"
    assert api[0]["reasons"][0] == "shared technology fields: Biotechnology"
    # Any: the value-chain question's first (sea, same division abroad) and the regional one's.
    both = client.get("/api/v1/cooperation/match?cluster=marine&mode=any&top=2").json()
    assert {(row["slug"], row["mode"]) for row in both} == {("health", "region"), ("sea", "abroad")}
    assert client.get("/api/v1/cooperation/match?cluster=marine&mode=near").status_code == 422
    with pytest.raises(CommandError):
        call_command("cooperation", "match", "--cluster", "food", "--mode", "near")


def test_region_weights_are_settings_checked_at_start_up(region, capsys, settings):
    # Proximity alone: the clusters of the same region first (by key), the neighbour after.
    others = ("technology", "s3", "ecosystem", "related_variety", "related", "value_chain", "text")
    settings.COOPERATION_REGION_WEIGHTS = dict.fromkeys(others, 0)
    rows = matches(capsys, "food", "--mode", "region")
    assert [(row["slug"], row["score"]) for row in rows] == [
        ("logistics", 1.0), ("marine", 1.0), ("health", 0.5),
    ]  # fmt: skip
    settings.COOPERATION_REGION_WEIGHTS = {"colour": 1, "proximity": -1}
    errors = region_weights_check(None)
    assert [error.id for error in errors] == ["cooperation.E001", "cooperation.E002"]
    assert errors[0].msg == "COOPERATION_REGION_WEIGHTS: unknown signal 'colour'"


def test_pages_choose_the_question(region, client):
    page = client.get("/en/clusters/marine/partners/?mode=region").content.decode()
    assert "shared technology fields: Biotechnology" in page
    assert 'value="region" checked' in page
    french = client.get("/fr/clusters/marine/partners/?mode=region").content.decode()
    assert "dans une région voisine (PT11)" in french
    groups = client.get("/en/cooperation/meta-clusters/?view=region&threshold=0.1")
    assert groups.status_code == 200
    api = client.get("/api/v1/cooperation/meta-clusters?view=region&threshold=0.1").json()
    assert ["cluster:health", "cluster:marine"] in [group["members"] for group in api]


def test_evaluate_per_mode_and_pair_type(region, tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("cluster_a,cluster_b\nmarine,health\nmarine,sea\n")
    call_command("cooperation", "evaluate", str(pairs), "--json")
    result = json.loads(capsys.readouterr().out)
    assert list(result["modes"]) == ["abroad", "region", "any"]
    region_mode = result["modes"]["region"]
    # marine ↔ health: first both ways in the region; marine ↔ sea: abroad, never regional.
    assert [r["rank"] for r in region_mode["ranks"]] == [1, 1, None, None]
    assert region_mode["by_type"]["cross_sector"] == {"queries": 2, "recall_at_k": 1.0, "mrr": 1.0}
    assert region_mode["by_type"]["same_sector"] == {"queries": 2, "recall_at_k": 0.0, "mrr": 0.0}
    assert result["modes"]["abroad"]["by_type"]["cross_border"]["queries"] == 4
    assert (result["mode"], result["queries"]) == ("abroad", 4)
    call_command("cooperation", "evaluate", str(pairs), "--mode", "region")
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "region: 4 queries from 2 pairs: recall@10 0.500, MRR 0.500"
    assert "    cross sector: 2 queries, recall@10 1.000, MRR 1.000" in text


def test_sector_events_and_recorded_cooperation(region):
    world = region
    world.member.nace = nace("17.21")
    world.member.save()
    # An organisation in two published clusters joins their sectors.
    both = OrganisationFactory(slug="both", nace=nace("49.10"))
    MembershipFactory(cluster=world.cluster, organisation=both, listed_publicly=True)
    MembershipFactory(cluster=world.other_cluster, organisation=both, listed_publicly=True)
    hidden = OrganisationFactory(slug="unlisted", nace=nace("62.01"))
    MembershipFactory(cluster=world.cluster, organisation=hidden, listed_publicly=False)
    events = sorted(sorted(event) for event in selectors.sector_events())
    # food with its listed members (17, 49), sea with 49, the organisation in both, marine,
    # health, logistics; the unlisted member (62) stays out.
    assert events == [
        ["10", "17", "30", "49"], ["10", "17", "49"], ["21"], ["30"], ["30", "49"], ["52"],
    ]  # fmt: skip
    CooperationAgreement.objects.create(
        slug="food-logistics", title="Food and logistics", type="mou", cluster_a=world.cluster,
        cluster_b=ClusterFactory._meta.model.objects.get(slug="logistics"),
        start=date(2022, 3, 1), owner=world.agency, is_public=False,
    )  # fmt: skip
    posting = services.posting_create(
        actor=None, author=world.other_cluster,
        data={"kind": "offer", "title": "Sea data", "description": "Buoys."},
    )  # fmt: skip
    Interest.objects.create(posting=posting, user=world.manager)  # manager of food (and draft)
    index = selectors.matching_index(organisations=False)
    recorded = selectors.recorded_cooperation(index)
    assert [(r.first, r.second, r.kind) for r in recorded] == [
        ("cluster:food", "cluster:logistics", "agreement"),
        ("cluster:sea", "cluster:food", "interest"),
    ]
    assert recorded[0].when == date(2022, 3, 1)


def test_joint_events_and_proposals_are_recorded_cooperation(region, capsys):
    world = region
    marine, health, logistics, sea = (
        ClusterFactory._meta.model.objects.get(slug=slug)
        for slug in ("marine", "health", "logistics", "sea")
    )
    marine_manager = UserFactory(username="marine-manager")
    marine.managers.add(marine_manager)
    # Organised by the managers of food (and of the draft, unpublished) and marine: one pair.
    joint = Event.objects.create(
        agency=world.agency, kind="conference", title="Blue food", capacity=50,
        starts_at=datetime(2025, 6, 2, 9, tzinfo=UTC), ends_at=datetime(2025, 6, 2, 18, tzinfo=UTC),
    )  # fmt: skip
    joint.organisers.set([world.manager, marine_manager])
    alone = Event.objects.create(
        agency=world.agency, kind="training", title="Food only", capacity=5,
        starts_at=datetime(2025, 7, 1, 9, tzinfo=UTC), ends_at=datetime(2025, 7, 1, 12, tzinfo=UTC),
    )  # fmt: skip
    alone.organisers.set([world.manager])
    # Food's proposal with a current member of health: food and health, once, dated when
    # submitted. A member of food and logistics too, a former member of sea, and a partner of
    # a proposal still at the idea stage join no one.
    call = call_saved()
    proposal = Proposal.objects.create(
        call=call, cluster=world.cluster, title="Marine health foods", stage="submitted",
        submitted_on=date(2025, 9, 1),
    )  # fmt: skip
    idea = Proposal.objects.create(call=call, cluster=world.cluster, title="Idea", stage="idea")
    lab, lab2, shared, former = (
        OrganisationFactory(slug=slug) for slug in ("lab", "lab-2", "shared", "former")
    )
    for organisation in (lab, lab2):
        MembershipFactory(cluster=health, organisation=organisation, listed_publicly=False)
    MembershipFactory(cluster=world.cluster, organisation=shared)
    MembershipFactory(cluster=logistics, organisation=shared)
    MembershipFactory(cluster=sea, organisation=former, until=date(2024, 1, 1))
    for organisation in (lab, lab2, shared, former):
        ProposalPartner.objects.create(
            proposal=proposal, organisation=organisation, name=organisation.name,
            country="ES", role="beneficiary",
        )  # fmt: skip
    MembershipFactory(cluster=sea, organisation=OrganisationFactory(slug="seafarer"))
    ProposalPartner.objects.create(
        proposal=idea, organisation=Organisation.objects.get(slug="seafarer"), name="Seafarer",
        country="FR", role="beneficiary",
    )  # fmt: skip
    # A working group food and health take part in: the same pair once more.
    group = WorkingGroup.objects.create(agency=world.agency, name="Blue health", lead=world.staff)
    group.clusters.set([world.cluster, health])
    index = selectors.matching_index(organisations=False)
    recorded = selectors.recorded_cooperation(index)
    assert [(r.first, r.second, r.kind, r.when) for r in recorded] == [
        ("cluster:food", "cluster:marine", "event", date(2025, 6, 2)),
        ("cluster:food", "cluster:health", "working group", group.created_at.date()),
        ("cluster:food", "cluster:health", "proposal", date(2025, 9, 1)),
    ]
    # Evaluated on the records, each pair once: figures by mode and pair type, no pair listed.
    call_command("cooperation", "evaluate", "--recorded", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["records"] == {"event": 1, "proposal": 1, "working group": 1}
    assert "ranks" not in json.dumps(result) and "food" not in json.dumps(result)
    region_mode = result["modes"]["region"]
    assert (region_mode["pairs"], region_mode["queries"]) == (2, 4)
    assert region_mode["by_type"]["cross_sector"]["queries"] == 4
    call_command("cooperation", "evaluate", "--recorded", "--mode", "region")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "recorded: event 1, proposal 1, working group 1"
    assert lines[1].startswith("region: 4 queries from 2 pairs: recall@10 1.000")
    with pytest.raises(CommandError):
        call_command("cooperation", "evaluate")


def test_learn_store_and_switch_in_the_admin(region, capsys, client):
    world = region
    with pytest.raises(CommandError, match="at least 4 are needed: record more first") as error:
        call_command("cooperation", "learn")
    assert error.value.returncode == 2
    # Ten agreements, each between two clusters sharing a technology field, one in Spain and
    # one in Portugal.
    biotech = Term.objects.get(slug="biotechnology")
    clusters = []
    for number in range(12):
        cluster = ClusterFactory(
            slug=f"bio-{number}", agency=world.agency, country_id="PT" if number % 2 else "ES",
            nuts_region_id="PT11" if number % 2 else "ES11",
        )  # fmt: skip
        cluster.sectors.set([nace(["21", "72", "86"][number % 3])])
        if number < 10:
            cluster.technology_fields.set([biotech])
        clusters.append(cluster)
    for number in range(0, 10, 2):
        for offset, other in enumerate((number + 1, (number + 3) % 10)):
            CooperationAgreement.objects.create(
                slug=f"bio-{number}-{other}", title="Biotech", type="mou",
                cluster_a=clusters[number], cluster_b=clusters[other],
                start=date(2015 + number, 1 + offset, 1), owner=world.agency,
            )  # fmt: skip
    call_command("cooperation", "learn", "--use", "--json")
    result = json.loads(capsys.readouterr().out)
    assert (result["train"], result["test"]) == (7, 3)
    weights = result["learned"]["weights"]
    assert sum(weights.values()) == pytest.approx(1, abs=1e-3)
    assert {name for name, value in weights.items() if value > 0.2} == {
        "technology",
        "transnational",
    }
    row = LearnedWeights.objects.get()
    assert row.active and row.question == "abroad" and row.pk == result["saved"]
    assert selectors.question_weights()[0] == learning.as_weights("abroad", weights)
    assert AuditEntry.objects.filter(model="cooperation.learnedweights").count() == 2
    listed = client.get("/api/v1/cooperation/learned-weights").json()
    assert listed[0]["active"] and listed[0]["weights"] == weights
    assert "pairs" not in json.dumps(listed)  # global figures only, no recorded pair
    with pytest.raises(PermissionDenied):
        services.learned_weights_use(actor=world.staff, row=row, use=False)
    client.force_login(world.admin)
    response = client.post(
        "/admin/cooperation/learnedweights/",
        {"action": "stop_using", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert not row.active
    assert selectors.question_weights()[0] == selectors.weights()
