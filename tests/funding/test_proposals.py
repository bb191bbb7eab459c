"""The proposal pipeline: a cluster manager starts a proposal for a call, the engine proposes
partners from the partnership's regions in other countries, the consortium is checked rule by
rule, the proposal is submitted only when eligible, the outcome is recorded; statistics."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from atclusters.core.errors import DomainError
from atclusters.core.permissions import PermissionDenied
from atclusters.funding import pipeline, selectors, services
from atclusters.funding.models import Proposal
from tests.factories import OrganisationFactory
from tests.funding.factories import call_saved

pytestmark = pytest.mark.django_db


def test_the_consortium_rules_count_independent_beneficiaries_in_different_countries():
    partners = [
        pipeline.Partner("a", "ES", "coordinator"),
        pipeline.Partner("b", "PT", "beneficiary"),
        pipeline.Partner("c", "FR", "affiliated"),
    ]
    rules = {rule.rule: rule for rule in pipeline.consortium_rules(partners)}
    assert rules["one-coordinator"].met and rules["member-state"].met
    assert not rules["independent-entities"].met and rules["independent-entities"].detail == {
        "count": 2, "minimum": 3,
    }  # fmt: skip
    partners.append(pipeline.Partner("d", "FR", "beneficiary"))
    assert pipeline.eligible(pipeline.consortium_rules(partners))
    assert not pipeline.eligible(pipeline.consortium_rules(partners, eligible=["ES", "PT"]))
    assert pipeline.can_move("idea", "consortium") and not pipeline.can_move("funded", "idea")


def test_statistics_give_the_success_rate_over_decided_proposals():
    day = date(2026, 1, 1)
    outcomes = [
        pipeline.Outcome("funded", "LIFE", day, date(2026, 1, 31), Decimal("100")),
        pipeline.Outcome("rejected", "LIFE", day, date(2026, 1, 11), None),
        pipeline.Outcome("rejected", "LIFE", day, date(2026, 1, 21), None),
        pipeline.Outcome("drafting", "LIFE", day, None, None),
    ]
    figures = pipeline.statistics(outcomes)
    assert (figures.proposals, figures.submitted, figures.funded) == (4, 3, 1)
    assert figures.success_rate == 0.3333 and figures.funding_secured == Decimal("100")
    assert figures.days_to_submission == 20.0


def test_a_manager_takes_a_proposal_from_the_idea_to_funding(world):
    call = call_saved()
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=world.rep, call=call, cluster=world.cluster, title="X")
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=world.manager, call=call, cluster=world.other_cluster, title="X"
        )
    proposal = services.proposal_create(
        actor=world.manager, call=call, cluster=world.cluster, title="Seafood pilot"
    )
    assert proposal.owner == world.manager and proposal.stage == "idea"
    services.proposal_move(actor=world.manager, proposal=proposal, stage="consortium")
    services.partner_add(
        actor=world.manager, proposal=proposal, organisation=world.member, role="coordinator"
    )
    french = OrganisationFactory(name="Pôle Mer", country_id="FR")
    services.partner_add(actor=world.manager, proposal=proposal, organisation=french,
                         role="beneficiary")  # fmt: skip
    with pytest.raises(DomainError) as bad_pic:
        services.partner_add(actor=world.manager, proposal=proposal, name="Uni", pic="12",
                             country="PT", role="beneficiary")  # fmt: skip
    assert bad_pic.value.field == "pic"
    with pytest.raises(DomainError) as bad_vat:  # a Portuguese NIF has 9 digits (VIES)
        services.partner_add(actor=world.manager, proposal=proposal, name="Uni",
                             vat_number="PT 50000000", country="PT", role="beneficiary")  # fmt: skip
    assert bad_vat.value.field == "vat_number" and "PT 50000000" in bad_vat.value.message
    services.proposal_move(actor=world.manager, proposal=proposal, stage="drafting")
    with pytest.raises(DomainError) as refused:
        services.proposal_move(actor=world.manager, proposal=proposal, stage="submitted")
    assert "at least 3 independent entities" in refused.value.message
    algarve = services.partner_add(
        actor=world.manager, proposal=proposal, name="Universidade do Algarve", pic="999111444",
        vat_number="pt 505 387 131", country="PT", role="beneficiary",
    )  # fmt: skip
    assert algarve.vat_number == "PT505387131"
    assert all(rule.met for rule in selectors.consortium_check(proposal))
    services.proposal_move(
        actor=world.manager, proposal=proposal, stage="submitted", on=date(2026, 9, 10)
    )
    with pytest.raises(DomainError):
        services.proposal_move(actor=world.manager, proposal=proposal, stage="drafting")
    services.proposal_move(
        actor=world.staff, proposal=proposal, stage="funded", on=date(2027, 1, 20),
        score=Decimal("13.5"), feedback="Excellent impact.",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.score, proposal.decided_on) == (
        "funded", Decimal("13.50"), date(2027, 1, 20),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.proposal_move(actor=world.other_staff, proposal=proposal, stage="rejected")
    by_cluster = selectors.statistics_by_cluster()[world.cluster.slug]
    assert (by_cluster["funded"], by_cluster["submitted"]) == (1, 1)
    # One cluster's outcome is not published: the public figures need five clusters.
    assert selectors.statistics_by_programme() == {
        "Horizon Europe": {"suppressed": "proposals of fewer than 5 clusters"}
    }
    with override_settings(FUNDING_MIN_CLUSTERS=1, CONFIDENTIALITY_MIN_GROUP=1):
        figures = selectors.statistics_by_programme()["Horizon Europe"]
    assert (figures["clusters"], figures["success_rate"]) == (1, 1.0)
    # Benchmarking's EU-project indicators read the year's figures.
    from atclusters.benchmarking.selectors import computed_indicators

    computed = computed_indicators(cluster=world.cluster, year=2026)
    assert computed["eu_proposals"].value == 1 and computed["eu_success_rate"].value is None
    computed = computed_indicators(cluster=world.cluster, year=2027)
    assert computed["eu_proposals"].value == 0
    assert computed["eu_success_rate"].value == 100.0
    assert computed["eu_funding_secured"].value == 0.0  # no EU contribution requested was set
    other = computed_indicators(cluster=world.other_cluster, year=2027)
    assert other["eu_proposals"].value is None  # it follows no proposal here: not a zero
    assert other["eu_funding_secured"].value is None
    section = selectors.report_section(cluster=world.cluster, user=world.staff)
    assert section.proposals is not None and section.proposals.funded == 1
    assert selectors.report_section(cluster=world.cluster, user=world.nobody).proposals is None


def test_a_proposal_is_seen_by_its_people_only(world):
    from atclusters.funding import permissions

    proposal = services.proposal_create(
        actor=None, call=call_saved(), cluster=world.cluster, title="T"
    )
    services.partner_add(actor=None, proposal=proposal, organisation=world.member,
                         role="coordinator")  # fmt: skip
    seen = lambda user: permissions.visible_proposals(user).filter(pk=proposal.pk).exists()  # noqa: E731
    assert seen(world.manager) and seen(world.staff) and seen(world.rep)
    assert not seen(world.other_staff) and not seen(world.nobody)
    assert seen(None)  # the command line
    assert Proposal.objects.count() == 1


def test_partners_are_proposed_from_the_partnerships_regions_abroad(world):
    from atclusters.core.models import NaceActivity

    fish = NaceActivity.objects.get(version="2", code="10.20")
    world.cluster.sectors.add(fish)
    world.other_agency.regions.add("FRH0")
    world.agency.regions.add("ES11")
    breton = OrganisationFactory(name="Conserverie Bretonne", country_id="FR",
                                 nuts_region_id="FRH04", nace=fish)  # fmt: skip
    OrganisationFactory(name="Far away", country_id="DE", nuts_region_id="DE11", nace=fish)
    OrganisationFactory(name="At home", country_id="ES", nuts_region_id="ES111", nace=fish)
    proposal = services.proposal_create(
        actor=None, call=call_saved(), cluster=world.cluster, title="T"
    )
    suggested = selectors.partner_suggestions(proposal)
    assert [s["organisation"] for s in suggested] == [breton]
    assert any(reason.startswith("same NACE class") for reason in suggested[0]["reasons"])
    services.partner_add(actor=None, proposal=proposal, organisation=breton, role="beneficiary")
    assert selectors.partner_suggestions(proposal) == []


def _track_record_proposal(world):
    """A proposal for a FARM2FORK call of Horizon Europe; abroad, in the partnership's regions:
    a cannery with the cluster's activity, and a CORDIS participant of SEAFOOD4ALL
    (HORIZON-CL6-2022-FARM2FORK-01-05, a beneficiary) linked by its PIC."""
    from atclusters.core.models import NaceActivity
    from tests.funding.factories import cordis_imported

    fish = NaceActivity.objects.get(version="2", code="10.20")
    world.cluster.sectors.add(fish)
    world.other_agency.regions.add("FRH0")
    world.agency.regions.add("ES11")
    breton = OrganisationFactory(name="Conserverie Bretonne", country_id="FR",
                                 nuts_region_id="FRH04", nace=fish)  # fmt: skip
    # CORDIS's participant of SEAFOOD4ALL (HORIZON-CL6-2022-FARM2FORK-01-05), linked by its PIC
    veteran = OrganisationFactory(name="Pôle Mer Bretagne", country_id="FR",
                                  nuts_region_id="FRH04", pic="999111333")  # fmt: skip
    assert cordis_imported().ok
    call = call_saved(identifier="HORIZON-CL6-2026-FARM2FORK-01-03")
    proposal = services.proposal_create(actor=None, call=call, cluster=world.cluster, title="T")
    return proposal, veteran, breton


def test_partners_are_proposed_from_their_cordis_track_record_with_the_engine(world):
    from django.utils import translation

    from atclusters.funding.partnering import Record, combined

    proposal, veteran, breton = _track_record_proposal(world)
    suggested = selectors.partner_suggestions(proposal)
    assert [s["organisation"] for s in suggested] == [veteran, breton]
    first = suggested[0]
    # one project as a beneficiary, of the call's part of the work programme and programme
    assert first["signals"]["similar_topics"] == 0.5 and first["signals"]["programme"] == 0.5
    assert first["score"] == round(
        combined(first["signals"]["engine"], Record(topics=0.5, programme=0.5)), 4
    )
    assert first["reasons"][-2:] == [
        "EU projects on similar topics: SEAFOOD4ALL",
        "1 EU project in HORIZON, 0 coordinated",
    ]
    assert {"code": "similar_projects", "projects": "SEAFOOD4ALL", "coordinated": ""} in first[
        "explanations"
    ]
    assert suggested[1]["signals"]["similar_topics"] == 0.0  # the engine's alone
    with translation.override("es"):
        spanish = selectors.partner_suggestions(proposal)[0]["reasons"]
    assert "Proyectos europeos sobre temas similares: SEAFOOD4ALL" in spanish
    # a call of another programme and part: the project counts for neither
    other = call_saved(identifier="LIFE-2026-SAP-ENV", title="Nature restoration",
                       description="Wetlands.", keywords=[])  # fmt: skip
    life = services.proposal_create(actor=None, call=other, cluster=world.cluster, title="L")
    assert [s["organisation"] for s in selectors.partner_suggestions(life)] == [breton]


def test_proposed_partners_in_the_api_for_editors_and_on_the_command_line(client, world, bearer):
    import json
    from io import StringIO

    from django.core.management import call_command

    proposal, veteran, breton = _track_record_proposal(world)
    url = f"/api/v1/funding/proposals/{proposal.pk}/partner-suggestions"
    answer = client.get(url, {"top": 1}, headers=bearer("manager") | {"Accept-Language": "fr"})
    assert answer.status_code == 200
    [first] = answer.json()
    assert (first["slug"], first["country"]) == (veteran.slug, "FR")
    assert "Projets européens sur des thèmes proches : SEAFOOD4ALL" in first["reasons"]
    assert set(first["signals"]) == {"engine", "similar_topics", "programme"}
    services.partner_add(actor=None, proposal=proposal, organisation=world.member,
                         role="coordinator")  # fmt: skip
    assert client.get(url, headers=bearer("rep")).status_code == 403  # a partner, not an editor
    assert client.get(url, headers=bearer("other_staff")).status_code == 404
    out = StringIO()
    call_command("eu", "partners", str(proposal.pk), "--json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [s["slug"] for s in listed] == [veteran.slug, breton.slug]
    assert listed[0]["score"] == first["score"]


def _eligible_proposal(world):
    proposal = services.proposal_create(
        actor=world.manager, call=call_saved(), cluster=world.cluster, title="Seafood pilot"
    )
    services.partner_add(actor=None, proposal=proposal, organisation=world.member,
                         role="coordinator")  # fmt: skip
    services.partner_add(actor=None, proposal=proposal, name="Pôle Mer", country="FR",
                         pic="999111333", role="beneficiary")  # fmt: skip
    return proposal


def test_the_proposal_page_shows_each_rule_and_moves_the_stage(client, world):
    from django.urls import reverse

    proposal = _eligible_proposal(world)
    url = reverse("funding_proposal", args=[proposal.pk])
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 404
    client.force_login(world.manager)
    page = client.get(url).content.decode()
    assert "The consortium does not meet the call's rules yet." in page
    assert "✗ not met: at least 3 independent entities as beneficiaries (2 now)" in page
    client.post(
        reverse("funding_proposal_partner_add", args=[proposal.pk]),
        {"name": "Universidade do Algarve", "country": "PT", "pic": "999111444",
         "role": "beneficiary"},
    )  # fmt: skip
    for stage in ("consortium", "drafting", "submitted"):
        client.post(reverse("funding_proposal_move", args=[proposal.pk]), {"stage": stage})
    assert Proposal.objects.get(pk=proposal.pk).stage == "submitted"
    client.force_login(world.rep)  # the coordinator's representative sees it, may not change it
    assert client.get(url).status_code == 200
    assert (
        client.post(
            reverse("funding_proposal_move", args=[proposal.pk]), {"stage": "funded"}
        ).status_code
        == 403
    )


def test_the_api_and_the_command_line_check_the_consortium(client, world, bearer):
    import json
    from io import StringIO

    from django.core.management import call_command

    proposal = _eligible_proposal(world)
    answer = client.get(f"/api/v1/funding/proposals/{proposal.pk}", headers=bearer("manager"))
    assert answer.json()["check"]["eligible"] is False
    assert client.get(f"/api/v1/funding/proposals/{proposal.pk}").status_code == 404
    added = client.post(
        f"/api/v1/funding/proposals/{proposal.pk}/partners",
        {"name": "Universidade do Algarve", "country": "PT", "role": "beneficiary"},
        content_type="application/json", headers=bearer("manager"),
    )  # fmt: skip
    assert added.status_code == 201 and added.json()["check"]["eligible"] is True
    refused = client.post(
        f"/api/v1/funding/proposals/{proposal.pk}/stage", {"stage": "submitted"},
        content_type="application/json", headers=bearer("manager"),
    )  # fmt: skip
    assert refused.status_code == 422 and "cannot move" in refused.json()["detail"]["stage"][0]
    out = StringIO()
    call_command("eu", "consortium-check", str(proposal.pk), "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["eligible"] is True
    assert [r["rule"] for r in document["rules"]] == [
        "one-coordinator", "independent-entities", "different-countries", "member-state",
        "eligible-countries",
    ]  # fmt: skip
    assert client.get("/api/v1/funding/statistics").json() == {
        "Horizon Europe": {"suppressed": "proposals of fewer than 5 clusters"}
    }
    with override_settings(FUNDING_MIN_CLUSTERS=1, CONFIDENTIALITY_MIN_GROUP=1):
        assert client.get("/api/v1/funding/statistics").json() == {
            "Horizon Europe": {
                "clusters": 1, "proposals": 1, "submitted": 0, "funded": 0, "rejected": 0,
                "success_rate": None, "funding_secured_eur": "0", "days_to_submission": None,
                "withheld": [],
            }
        }  # fmt: skip


def test_public_statistics_withhold_figures_resting_on_fewer_than_five_proposals(
    world, client, login
):
    """Five funded proposals of Horizon Europe are shown, with their sum; its one rejected
    proposal, and the success rate computed from it, are not; LIFE's two proposals show
    nothing but that figures are withheld (core/smallcells.py)."""
    horizon, life = call_saved(), call_saved("LIFE-2026-TEST", programme="LIFE")
    made = {
        stage: [
            services.proposal_create(actor=None, call=call, cluster=world.cluster, title=stage)
            for _ in range(count)
        ]
        for call, stage, count in ((horizon, "funded", 5), (horizon, "rejected", 1),
                                   (horizon, "idea", 1), (life, "submitted", 2))
    }  # fmt: skip
    for stage, rows in made.items():
        Proposal.objects.filter(pk__in=[row.pk for row in rows]).update(
            stage=stage, eu_contribution_eur=Decimal("100000"),
            submitted_on=None if stage == "idea" else date(2026, 9, 17),
        )  # fmt: skip
    with override_settings(FUNDING_MIN_CLUSTERS=1):  # one cluster's proposals, every figure
        answer = client.get("/api/v1/funding/statistics").json()
        page = login(world.rep).get("/en/funding/proposals/").content.decode()
    horizon_figures = answer["Horizon Europe"]
    days = horizon_figures.pop("days_to_submission")
    assert horizon_figures == {
        "clusters": 1, "proposals": 7, "submitted": 6, "funded": 5, "rejected": None, "success_rate": None,
        "funding_secured_eur": "500000.00", "withheld": ["rejected", "success_rate"],
    }  # fmt: skip
    assert days is not None
    assert answer["LIFE"] == {
        "clusters": 1, "proposals": None, "submitted": None, "funded": None, "rejected": None,
        "success_rate": None, "funding_secured_eur": None, "days_to_submission": None,
        "withheld": ["proposals", "submitted", "funded", "rejected", "success_rate",
                     "funding_secured_eur", "days_to_submission"],
    }  # fmt: skip
    assert "<td>LIFE</td><td>1</td><td>*</td><td>*</td>" in page
    assert (
        "<td>Horizon Europe</td><td>1</td><td>7</td><td>6</td><td>5</td><td>*</td><td>500000.00</td>"
        in page
    )
    assert "fewer than 5 proposals" in page
    # Agency staff read their clusters' own figures whole (they may see the proposals).
    assert selectors.statistics_by_cluster()[world.cluster.slug]["rejected"] == 1
