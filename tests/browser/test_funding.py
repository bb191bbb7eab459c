"""EU funding in the browser, issue 24's flow: a cluster manager finds a call matched to the
cluster with its reasons, starts a proposal, builds the consortium with partners from two other
countries proposed by the engine (one added, one invited, who accepts), sees every eligibility
rule met, submits and records the outcome. The flow from the call to the invited partner's
answer in each of the five languages, elements found by their addresses and names and the words
checked in the language, with a partner proposed from its CORDIS track record. The pages pass
axe."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from atclusters.core.models import NaceActivity, Term
from atclusters.core.reference import reference_load
from atclusters.funding import services
from atclusters.funding.models import Proposal
from atclusters.registry.models import Organisation
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_facilities import log_in
from tests.factories import OrganisationFactory, UserFactory, world_build
from tests.funding.factories import cordis_imported

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reference_load()
    world = world_build()
    world.manager.set_password("pass-word-123")
    world.manager.save()
    fish = NaceActivity.objects.get(version="2", code="10.20")
    world.cluster.sectors.add(fish)
    world.cluster.ecosystems.add(Term.objects.get(kind="ecosystem", slug="agri-food"))
    world.cluster.description_en = "Food processing: seafood canning and dairy."
    world.cluster.save()
    world.agency.regions.add("ES11")
    world.other_agency.regions.add("FRH0", "PT15")
    OrganisationFactory(
        name="Conserverie Bretonne", country_id="FR", nuts_region_id="FRH04", nace=fish
    )
    algarve = OrganisationFactory(
        name="Universidade do Algarve", country_id="PT", nuts_region_id="PT150", nace=fish
    )
    person = UserFactory(username="algarve")
    person.set_password("pass-word-123")
    person.save()
    algarve.representatives.add(person)
    deadline = (timezone.localdate() + timedelta(days=60)).isoformat()
    call = services.call_save(
        actor=None,
        data=services.CallData(
            identifier="HORIZON-CL6-2027-FOOD-01", programme="Horizon Europe",
            title="Seafood processing pilot lines", deadlines=services.deadlines_read(deadline),
            description="Canned seafood and food processing innovation.",
            keywords=["Food processing"], terms=["agri-food"],
        ),
    )[1]  # fmt: skip
    return world, call


def test_a_manager_takes_a_matched_call_to_a_funded_proposal(live_server, browser, partnership):
    world, _call = partnership
    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(f"{live_server.url}/en/funding/clusters/{world.cluster.slug}/")
    best = manager.locator("ol.ranked > li").first
    expect(best).to_contain_text("Seafood processing pilot lines")
    expect(best).to_contain_text("Agri-food")
    assert serious_violations(manager) == []
    best.get_by_role("link", name="Seafood processing pilot lines").click()
    manager.get_by_role("link", name="Start a proposal").click()
    manager.get_by_label("Cluster").select_option(label=world.cluster.name)
    manager.get_by_role("button", name="Start").click()
    expect(manager.locator("h1")).to_have_text("Seafood processing pilot lines")
    manager.get_by_label("Move to").select_option(label="consortium building")
    manager.get_by_role("button", name="Change stage").click()
    manager.get_by_label("Registry organisation").first.fill(world.member.slug)
    manager.locator("form.stacked select[name=role]").first.select_option("coordinator")
    manager.get_by_role("button", name="Add", exact=True).click()
    expect(manager.get_by_role("table").first).to_contain_text("Member SME")

    # The engine proposes the French and the Portuguese organisations, with reasons.
    breton = manager.locator("li", has_text="Conserverie Bretonne")
    expect(breton).to_contain_text("same NACE class")
    breton.get_by_role("button", name="Add as beneficiary").click()
    manager.locator("li", has_text="Universidade do Algarve").get_by_role(
        "button", name="Invite as beneficiary"
    ).click()
    expect(manager.locator(".messages")).to_contain_text("Invitation sent.")
    expect(manager.locator("main")).to_contain_text("The consortium does not meet the call's")

    invited = browser.new_context().new_page()
    log_in(invited, live_server.url, "algarve")
    invited.goto(f"{live_server.url}/en/dashboard/")
    invited.get_by_role("link", name="Seafood processing pilot lines").click()
    expect(invited.locator("main")).to_contain_text(
        "invites Universidade do Algarve to join the consortium as beneficiary"
    )
    assert serious_violations(invited) == []
    invited.get_by_role("button", name="Accept").click()
    expect(invited.locator(".messages")).to_contain_text("Invitation accepted")

    manager.reload()
    expect(manager.locator("main")).to_contain_text("The consortium meets the call's rules.")
    task_form = manager.get_by_role("form", name="Add a task")
    task_form.get_by_label("Task").fill("Budget table")
    task_form.get_by_label("Due on").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    manager.get_by_role("button", name="Add the task").click()
    expect(manager.locator(".messages")).to_contain_text("Task added.")
    expect(manager.locator("main")).to_contain_text("Budget table")
    manager.locator("input[type=file]").set_input_files(
        files=[{"name": "part-B.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1 B"}]
    )
    manager.get_by_role("button", name="Upload").click()
    expect(manager.get_by_role("link", name="v1 · part-B.pdf")).to_be_visible()
    assert serious_violations(manager) == []
    for stage in ("drafting", "submitted", "evaluated"):
        manager.get_by_label("Move to").select_option(label=stage)
        manager.get_by_role("button", name="Change stage").click()
        expect(manager.locator("main p strong").first).to_have_text(stage)
    manager.get_by_label("Move to").select_option(label="funded")
    manager.get_by_label("Evaluation score").fill("13.5")
    manager.get_by_role("button", name="Change stage").click()
    expect(manager.locator("main p strong").first).to_have_text("funded")
    expect(manager.locator("main")).to_contain_text("13.50")


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ("Consortium", "Tasks")), ("es", ("Consorcio", "Tareas")),
     ("gl", ("Consorcio", "Tarefas")), ("pt", ("Consórcio", "Tarefas")),
     ("fr", ("Consortium", "Tâches"))],
)  # fmt: skip
def test_the_proposals_page_in_five_languages(live_server, page, partnership, language, words):
    world, call = partnership
    proposal = services.proposal_create(
        actor=world.manager, call=call, cluster=world.cluster, title="Seafood pilot"
    )
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/{language}/funding/proposals/{proposal.pk}/")
    for word in words:
        expect(page.get_by_role("heading", name=word, exact=True)).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["en", "es", "gl", "pt", "fr"])
def test_call_proposal_invitation_and_answer_in_each_language(
    live_server,
    browser,
    partnership,
    language,
):
    world, call = partnership
    # The Portuguese university took part in SEAFOOD4ALL (Horizon Europe), by its PIC.
    Organisation.objects.filter(name="Universidade do Algarve").update(pic="999111444")
    assert cordis_imported().ok
    algarve = Organisation.objects.get(name="Universidade do Algarve")
    with translation.override(language):
        words = {
            "programme": ngettext(
                "%(count)s EU project in %(programme)s, %(coordinated)s coordinated",
                "%(count)s EU projects in %(programme)s, %(coordinated)s coordinated",
                1,
            ) % {"count": 1, "programme": "HORIZON", "coordinated": 0},
            "sent": gettext("Invitation sent."),
            "accepted": gettext("Invitation accepted: you are a partner."),
            "consortium": gettext("Consortium"),
        }  # fmt: skip
    base = f"{live_server.url}/{language}"
    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "manager")
    manager.goto(f"{base}/funding/calls/{call.pk}/")
    expect(manager.locator("html")).to_have_attribute("lang", language)
    assert serious_violations(manager) == []
    manager.locator("main a[href$='/propose/']").click()
    manager.locator("select[name=cluster]").select_option(label=world.cluster.name)
    assert serious_violations(manager) == []
    manager.locator("main form.stacked button[type=submit]").click()
    expect(manager.get_by_role("heading", name=words["consortium"], exact=True)).to_be_visible()
    proposed = manager.locator(f"#proposed-{algarve.slug}")
    expect(proposed).to_contain_text(words["programme"])
    assert serious_violations(manager) == []
    proposed.locator("form[action$='/invitations/'] button").click()
    expect(manager.locator(".messages")).to_contain_text(words["sent"])
    proposal = Proposal.objects.get(call=call)
    assert proposal.invitations.get().organisation == algarve

    invited = browser.new_context().new_page()
    log_in(invited, live_server.url, "algarve")
    invited.goto(f"{base}/funding/proposals/{proposal.pk}/")
    notice = invited.locator(".notice")
    expect(notice).to_contain_text(algarve.name)
    assert serious_violations(invited) == []
    notice.locator("button[name=decision][value=accept]").click()
    expect(invited.locator(".messages")).to_contain_text(words["accepted"])
    expect(invited.get_by_role("table").first).to_contain_text(algarve.name)
    assert proposal.partners.filter(organisation=algarve).exists()
