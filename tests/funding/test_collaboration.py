"""Working on a proposal together: an organisation invited to the consortium accepts (it becomes
a partner) or declines; tasks with a deadline for one of the proposal's people; documents in
versions, uploaded within bounds and downloaded only by those who see the proposal."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atclusters.core.errors import DomainError
from atclusters.core.models import AuditEntry, OutgoingEmail
from atclusters.core.permissions import PermissionDenied
from atclusters.core.services import api_token_create
from atclusters.funding import permissions, selectors, services
from atclusters.funding.models import ProposalInvitation
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


def test_an_invited_organisation_accepts_and_becomes_a_partner(world, proposal):
    french = OrganisationFactory(name="Pôle Mer Bretagne", country_id="FR")
    person = UserFactory(username="breton")
    french.representatives.add(person)
    invitation = services.invitation_send(
        actor=world.manager, proposal=proposal, organisation=french, role="beneficiary",
        message="Would you lead the pilot in Brittany?",
    )  # fmt: skip
    email = OutgoingEmail.objects.get(to=["breton@example.org"])
    assert (
        "Pôle Mer Bretagne" in email.subject and f"/funding/proposals/{proposal.pk}/" in email.body
    )
    # The invited see the proposal while the invitation awaits their answer.
    assert permissions.visible_proposals(person).filter(pk=proposal.pk).exists()
    assert list(selectors.invitations_awaiting(person)) == [invitation]
    with pytest.raises(DomainError) as twice:
        services.invitation_send(
            actor=world.manager, proposal=proposal, organisation=french, role="beneficiary"
        )
    assert twice.value.field == "organisation"
    with pytest.raises(PermissionDenied):  # the cluster's manager does not answer for them
        services.invitation_answer(actor=world.manager, invitation=invitation, accept=True)
    services.invitation_answer(actor=person, invitation=invitation, accept=True)
    partner = proposal.partners.get(organisation=french)
    assert (partner.role, partner.country) == ("beneficiary", "FR")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.answered_by) == ("accepted", person)
    with pytest.raises(DomainError):
        services.invitation_answer(actor=person, invitation=invitation, accept=False)
    assert AuditEntry.objects.filter(model="funding.proposalinvitation").count() == 2


def test_a_declined_invitation_adds_no_partner_and_hides_the_proposal(world, proposal):
    person = UserFactory(username="outsider-rep")
    world.outsider.representatives.add(person)
    invitation = services.invitation_send(
        actor=world.manager, proposal=proposal, organisation=world.outsider, role="beneficiary"
    )
    services.invitation_answer(actor=person, invitation=invitation, accept=False)
    assert invitation.status == ProposalInvitation.Status.DECLINED
    assert not proposal.partners.exists()
    assert not permissions.visible_proposals(person).filter(pk=proposal.pk).exists()
    nobody_there = OrganisationFactory(name="No one", country_id="PT")
    with pytest.raises(DomainError) as unanswerable:
        services.invitation_send(
            actor=world.manager, proposal=proposal, organisation=nobody_there, role="beneficiary"
        )
    assert "no representative" in unanswerable.value.message


def test_tasks_have_a_deadline_and_one_of_the_proposals_people(world, proposal):
    task = services.task_add(
        actor=world.manager, proposal=proposal, title="Budget table", due_on=date(2026, 9, 1),
        owner=world.manager,
    )  # fmt: skip
    with pytest.raises(DomainError) as stranger:
        services.task_add(actor=world.manager, proposal=proposal, title="X",
                          due_on=date(2026, 9, 1), owner=world.nobody)  # fmt: skip
    assert stranger.value.field == "owner"
    with pytest.raises(PermissionDenied):
        services.task_add(actor=world.rep, proposal=proposal, title="X", due_on=date(2026, 9, 1))
    assert list(selectors.tasks_due(world.manager, today=date(2026, 8, 20))) == [task]
    assert list(selectors.tasks_due(world.manager, today=date(2026, 8, 1))) == []
    with pytest.raises(PermissionDenied):
        services.task_done(actor=world.nobody, task=task)
    services.task_done(actor=world.manager, task=task, on=date(2026, 8, 30))
    assert task.done_on == date(2026, 8, 30)
    assert list(selectors.tasks_due(world.manager, today=date(2026, 8, 31))) == []
    assert world.manager in selectors.proposal_people(proposal)
    assert world.rep not in selectors.proposal_people(proposal)  # not a partner yet


def test_documents_are_versioned_and_downloaded_only_by_the_proposals_people(
    login, world, proposal, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    services.partner_add(
        actor=world.manager, proposal=proposal, organisation=world.member, role="coordinator"
    )
    url = reverse("funding_proposal_document_upload", args=[proposal.pk])
    first = SimpleUploadedFile("../part-B.pdf", b"%PDF-1 first")
    login(world.rep).post(url, {"document": "", "title": "Part B", "file": first})
    document = proposal.documents.get()
    second = SimpleUploadedFile("part-B-v2.pdf", b"%PDF-1 second")
    login(world.manager).post(url, {"document": str(document.pk), "file": second, "note": "WP3"})
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.filename) for v in versions] == [(1, "part-B.pdf"), (2, "part-B-v2.pdf")]
    assert ".." not in versions[0].file.name and "part-B" not in versions[0].file.name
    download_url = reverse("funding_proposal_document", args=[versions[0].pk])
    download = login(world.staff).get(download_url)
    assert b"".join(download.streaming_content) == b"%PDF-1 first"
    assert 'filename="part-B.pdf"' in download.headers["Content-Disposition"]
    assert login(world.other_staff).get(download_url).status_code == 404
    page = login(world.rep).get(reverse("funding_proposal", args=[proposal.pk])).text
    assert "Part B" in page and "v2 · part-B-v2.pdf" in page
    script = SimpleUploadedFile("run.html", b"<script>")
    answer = login(world.rep).post(url, {"document": "", "file": script}, follow=True)
    assert "Allowed file types" in answer.text and document.versions.count() == 2
    settings.DOCUMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF-1 more than ten bytes")
    answer = login(world.manager).post(url, {"document": "", "file": big}, follow=True)
    assert "larger than" in answer.text and proposal.documents.count() == 1
    assert login(world.other_staff).post(url, {"file": second}).status_code == 404


def test_the_invited_answer_on_the_proposals_page(login, world, proposal):
    person = UserFactory(username="algarve")
    university = OrganisationFactory(name="Universidade do Algarve", country_id="PT")
    university.representatives.add(person)
    login(world.manager).post(
        reverse("funding_proposal_invite", args=[proposal.pk]),
        {"organisation": university.slug, "role": "beneficiary"},
    )
    invitation = proposal.invitations.get()
    page = login(person).get(reverse("funding_proposal", args=[proposal.pk])).text
    assert "invites Universidade do Algarve to join the consortium" in page
    assert "Accept" in page
    home = login(person).get(reverse("dashboard")).text
    assert "Invitations to join a consortium" in home
    login(person).post(
        reverse("funding_proposal_invitation_answer", args=[invitation.pk]), {"decision": "accept"}
    )
    assert proposal.partners.filter(organisation=university).exists()
    listing = login(person).get(reverse("funding_proposals")).text
    assert "Seafood pilot" in listing and "proposals of fewer than 5 clusters" in listing


def test_the_api_invites_answers_and_adds_tasks(client, world, proposal, bearer):
    person = UserFactory(username="algarve-api")
    university = OrganisationFactory(name="Universidade do Algarve", country_id="PT")
    university.representatives.add(person)
    base = f"/api/v1/funding/proposals/{proposal.pk}"
    sent = client.post(
        f"{base}/invitations", {"organisation": university.slug, "role": "beneficiary"},
        content_type="application/json", headers=bearer("manager"),
    )  # fmt: skip
    assert sent.status_code == 201 and sent.json()["status"] == "pending"
    answer_url = f"/api/v1/funding/invitations/{sent.json()['id']}/answer"
    refused = client.post(
        answer_url, {"accept": True}, content_type="application/json", headers=bearer("manager")
    )
    assert refused.status_code == 403
    _token, raw = api_token_create(user=person, name="test")
    accepted = client.post(
        answer_url, {"accept": True}, content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )  # fmt: skip
    assert accepted.json()["status"] == "accepted"
    task = client.post(
        f"{base}/tasks", {"title": "Letters of support", "due_on": "2026-09-01",
                          "owner": "algarve-api"},
        content_type="application/json", headers=bearer("manager"),
    )  # fmt: skip
    assert task.status_code == 201 and task.json()["owner"] == "algarve-api"
    document = client.get(base, headers=bearer("manager")).json()
    assert [p["name"] for p in document["partners"]] == ["Universidade do Algarve"]
    assert [t["title"] for t in document["tasks"]] == ["Letters of support"]
    assert [i["status"] for i in document["invitations"]] == ["accepted"]


def test_the_api_lists_uploads_and_downloads_documents_in_versions(
    client, world, proposal, bearer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    base = f"/api/v1/funding/proposals/{proposal.pk}/documents"
    first = SimpleUploadedFile("../budget.xlsx", b"PK first")
    made = client.post(base, {"file": first, "title": "Budget"}, headers=bearer("manager"))
    assert made.status_code == 201, made.content
    document = made.json()
    assert document["title"] == "Budget" and document["versions"][0]["filename"] == "budget.xlsx"
    again = client.post(
        base, {"file": SimpleUploadedFile("budget-2.xlsx", b"PK second"),
               "document": str(document["id"]), "note": "WP2 costs"},
        headers=bearer("manager"),
    )  # fmt: skip
    assert again.status_code == 201
    newest, first_version = again.json()["versions"]  # newest first, as on the page
    assert [
        (v["number"], v["filename"], v["note"], v["uploaded_by"]) for v in (newest, first_version)
    ] == [
        (2, "budget-2.xlsx", "WP2 costs", world.manager.username),
        (1, "budget.xlsx", "", world.manager.username),
    ]
    listed = client.get(base, headers=bearer("staff")).json()
    assert [d["title"] for d in listed] == ["Budget"] and len(listed[0]["versions"]) == 2
    download = client.get(first_version["download"], headers=bearer("staff"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK first"
    assert 'filename="budget.xlsx"' in download.headers["Content-Disposition"]
    # who does not see the proposal: not found, for the list, the upload and the file
    assert client.get(base, headers=bearer("other_staff")).status_code == 404
    assert client.get(first_version["download"], headers=bearer("other_staff")).status_code == 404
    assert client.get(first_version["download"]).status_code == 404
    outsider = client.post(
        base, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}, headers=bearer("other_staff")
    )
    assert outsider.status_code == 404
    # an invited organisation's representative sees the proposal but does not upload
    services.invitation_send(actor=world.manager, proposal=proposal, organisation=world.member,
                             role="beneficiary")  # fmt: skip
    assert client.get(base, headers=bearer("rep")).status_code == 200
    refused = client.post(
        base, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}, headers=bearer("rep")
    )
    assert refused.status_code == 403
    # the type and the size, checked as on the page; a document of another proposal
    script = client.post(
        base, {"file": SimpleUploadedFile("run.html", b"<script>")}, headers=bearer("manager")
    )
    assert script.status_code == 422 and "Allowed file types" in str(script.json()["detail"])
    settings.DOCUMENT_MAX_BYTES = 4
    big = client.post(
        base, {"file": SimpleUploadedFile("big.pdf", b"%PDF-1 big")}, headers=bearer("manager")
    )
    assert big.status_code == 422 and "larger than" in str(big.json()["detail"])
    settings.REQUEST_MAX_BYTES = 100
    huge = client.post(
        base, {"file": SimpleUploadedFile("huge.pdf", b"%" * 200)}, headers=bearer("manager")
    )
    assert huge.status_code == 413
    settings.REQUEST_MAX_BYTES = 10**6
    settings.DOCUMENT_MAX_BYTES = 10**6
    foreign = client.post(
        base, {"file": SimpleUploadedFile("x.pdf", b"%PDF"), "document": "999999"},
        headers=bearer("manager"),
    )  # fmt: skip
    assert foreign.status_code == 422 and "document" in str(foreign.json()["detail"])
    assert (
        proposal.documents.count() == 1
        and AuditEntry.objects.filter(model="funding.proposaldocumentversion", source="api").count()
        == 2
    )
