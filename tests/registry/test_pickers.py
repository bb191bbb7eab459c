"""The organisation picker: found by name, PIC or VAT number among the organisations the user may
see; the funding forms that took a typed identifier take a picked (or typed) name, and say which
field holds a name that matches nothing."""

import pytest
from django.urls import reverse

from atclusters.core.pickers import pick_search, picker
from atclusters.funding import services
from tests.factories import OrganisationFactory, UserFactory
from tests.funding.factories import call_saved

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(world):
    proposal = services.proposal_create(
        actor=world.manager, call=call_saved(), cluster=world.cluster, title="Seafood pilot"
    )
    services.proposal_move(actor=world.manager, proposal=proposal, stage="consortium")
    return proposal


def test_the_public_finds_only_listed_members_and_managers_find_every_organisation(login, world):
    OrganisationFactory(
        slug="ualg", name="Universidade do Algarve", country_id="PT", pic="999111444"
    )
    anonymous = login(None).get("/es/pick/organisation/?q=member").text
    assert 'data-value="member"' in anonymous and "Member SME" in anonymous
    # unlisted (the Algarve university) or member of a draft cluster only (Outsider SAS)
    assert "Nada coincide" in login(None).get("/es/pick/organisation/?q=algarve").text
    assert "Outsider" not in login(None).get("/es/pick/organisation/?q=sas").text
    manager = login(world.manager)
    by_pic = manager.get("/pt/pick/organisation/?q=999111444").text
    assert 'data-value="ualg"' in by_pic and "Universidade do Algarve" in by_pic
    by_vat = manager.get("/fr/pick/organisation/?q=esb1234").text
    assert 'data-value="member"' in by_vat
    assert 'data-value="outsider"' in manager.get("/en/pick/organisation/?q=outsider").text
    # a form not bound to a request sees what the public sees, never everything
    assert [p.value for p in pick_search(picker("organisation").choices(None), "algarve")] == []


def test_an_organisation_invited_by_its_name_typed_without_javascript(login, world, proposal):
    university = OrganisationFactory(name="Universidade do Algarve", country_id="PT")
    university.representatives.add(UserFactory(username="algarve"))
    client = login(world.manager)
    page = client.get(reverse("funding_proposal", args=[proposal.pk])).text
    assert 'data-picker="/en/pick/organisation/"' in page
    assert "Registry organisation (identifier)" not in page
    client.post(
        reverse("funding_proposal_invite", args=[proposal.pk]),
        {"organisation": "universidade do algarve", "role": "beneficiary"},
    )
    assert proposal.invitations.get().organisation == university


def test_an_unknown_organisation_is_named_on_its_field(login, world, proposal):
    client = login(world.manager)
    with_language = reverse("funding_proposal_invite", args=[proposal.pk]).replace("/en/", "/es/")
    answer = client.post(
        with_language, {"organisation": "Narnia Labs", "role": "beneficiary"}, follow=True
    )
    assert "Organización del registro: Nada coincide con “Narnia Labs”." in answer.text
    assert not proposal.invitations.exists()


def test_a_partner_with_a_country_picked_by_name_and_a_listed_member(login, world, proposal):
    client = login(world.manager)
    url = reverse("funding_proposal_partner_add", args=[proposal.pk])
    client.post(url, {"name": "Pôle Mer", "country": "Francia", "role": "beneficiary"})
    client.post(url, {"organisation": "Member SME", "role": "beneficiary"})
    assert proposal.partners.get(name="Pôle Mer").country == "FR"
    assert proposal.partners.filter(organisation=world.member).exists()


def test_clusters_are_found_by_name_or_acronym_and_shown_with_their_country(login, world):
    world.cluster.acronym = "FOODCL"
    world.cluster.save()
    anonymous = login(None)
    spanish = anonymous.get("/es/pick/cluster/?q=foodcl").text
    assert 'data-value="food"' in spanish and '<span class="muted">España</span>' in spanish
    assert '<span class="muted">Espagne</span>' in anonymous.get("/fr/pick/cluster/?q=food").text
    # drafts only for those who may see them (registry.permissions.visible_clusters)
    assert 'data-value="draft"' not in anonymous.get("/en/pick/cluster/?q=draft").text
    assert 'data-value="draft"' in login(world.manager).get("/en/pick/cluster/?q=draft").text
    assert 'data-value="hidden"' not in login(world.manager).get("/en/pick/cluster/?q=hid").text


def test_a_member_is_added_from_a_picker_that_is_a_plain_select_without_javascript(login, world):
    OrganisationFactory(slug="ualg", name="Universidade do Algarve", country_id="PT")
    client = login(world.manager)
    page = client.get("/gl/clusters/food/").text
    field = page.split('name="organisation"')[1].split("</select>")[0]
    assert 'data-picker="/gl/pick/organisation/"' in field
    assert 'data-picker-remove="Quitar"' in field
    assert '<option value="ualg">Universidade do Algarve</option>' in field
    client.post(
        "/gl/clusters/food/members/",
        {"organisation": "ualg", "role": "member", "since": "2024-02-01"},
    )
    assert world.cluster.memberships.filter(organisation__slug="ualg").exists()
