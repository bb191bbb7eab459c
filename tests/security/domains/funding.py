"""EU funding in the role × endpoint table: a call (public), a feed of the Galician agency on an
address that is read without any network (.invalid never resolves: RFC 6761), CORDIS files with one
participant linked by a similar name only (awaiting review)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from atclusters.funding import services
from atclusters.funding.models import (
    Call,
    CallFeed,
    Participation,
    Project,
    Proposal,
    ProposalDocumentVersion,
    ProposalInvitation,
    ProposalPartner,
    ProposalTask,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.funding.factories import call_saved, cordis_imported, fixture
from tests.security.calls import Arguments, Write, _count, _value

ROWS = """
# EU funding (atclusters/funding)                          anon        rep   mgr   o-mgr staff o-staff admin
GET    funding_calls                                        200         200   200   200   200   200   200
GET    funding_call                                         200         200   200   200   200   200   200
GET    funding_call_create                                  login       403   403   403   200   200   200
POST   funding_call_create                                  login       403   403   403   302   302   302
GET    funding_call_edit                                    login       403   403   403   200   200   200
POST   funding_call_edit                                    login       403   403   403   302   302   302
GET    funding_call_import                                  login       403   403   403   200   200   200
POST   funding_call_import                                  login       403   403   403   200   200   200
GET    funding_calendar                                     200         200   200   200   200   200   200
GET    funding_cluster                                      200         200   200   200   200   200   200
GET    funding_region                                       200         200   200   200   200   200   200
GET    funding_feeds                                        login       403   403   403   200   200   200
POST   funding_feeds                                        login       403   403   403   302   form  302
GET    funding_feed_run                                     login       405   405   405   405   405   405
POST   funding_feed_run                                     login       404   404   404   302   404   302
GET    funding_cordis_import                                login       403   403   403   200   200   200
POST   funding_cordis_import                                login       403   403   403   200   200   200
GET    funding_review                                       login       403   403   403   200   200   200
GET    funding_review_decide                                login       405   405   405   405   405   405
POST   funding_review_decide                                login       403   403   403   302   302   302
GET    funding_proposals                                    login       200   200   200   200   200   200
GET    funding_proposal_create                              login       403   200   200   200   200   200
POST   funding_proposal_create                              login       403   302   form  302   form  302
GET    funding_proposal                                     login       200   200   404   200   404   200
GET    funding_proposal_partner_add                         login       405   405   405   405   405   405
POST   funding_proposal_partner_add                         login       403   302   404   302   404   302
GET    funding_proposal_partner_remove                      login       405   405   405   405   405   405
POST   funding_proposal_partner_remove                      login       403   302   404   302   404   302
GET    funding_proposal_move                                login       405   405   405   405   405   405
POST   funding_proposal_move                                login       403   302   404   302   404   302
GET    funding_proposal_document_upload                     login       405   405   405   405   405   405
POST   funding_proposal_document_upload                     login       302   302   404   302   404   302
GET    funding_proposal_document                            login       200   200   404   200   404   200
GET    funding_proposal_task_add                            login       405   405   405   405   405   405
POST   funding_proposal_task_add                            login       403   302   404   302   404   302
GET    funding_proposal_task_done                           login       405   405   405   405   405   405
POST   funding_proposal_task_done                           login       302   302   404   302   404   302
GET    funding_proposal_invite                              login       405   405   405   405   405   405
POST   funding_proposal_invite                              login       403   302   404   302   404   302
GET    funding_proposal_invitation_answer                   login       405   405   405   405   405   405
POST   funding_proposal_invitation_answer                   login       302   403   404   403   404   403
GET    /api/v1/funding/proposals                            200         200   200   200   200   200   200
POST   /api/v1/funding/proposals                            401         403   201   403   201   403   201
GET    /api/v1/funding/proposals/{proposal_id}              404         200   200   404   200   404   200
POST   /api/v1/funding/proposals/{proposal_id}/partners     401         403   201   404   201   404   201
POST   /api/v1/funding/proposals/{proposal_id}/stage        401         403   200   404   200   404   200
POST   /api/v1/funding/proposals/{proposal_id}/invitations  401         403   201   404   201   404   201
POST   /api/v1/funding/invitations/{invitation_id}/answer   401         200   403   404   403   404   403
POST   /api/v1/funding/proposals/{proposal_id}/tasks        401         403   201   404   201   404   201
GET    /api/v1/funding/proposals/{proposal_id}/partner-suggestions 404    403   200   404   200   404   200
GET    /api/v1/funding/proposals/{proposal_id}/documents    404         200   200   404   200   404   200
POST   /api/v1/funding/proposals/{proposal_id}/documents    401         201   201   404   201   404   201
GET    /api/v1/funding/documents/versions/{version_id}      404         200   200   404   200   404   200
GET    /api/v1/funding/organisations/{slug}/projects        200         200   200   200   200   200   200
GET    /api/v1/funding/statistics/clusters                  401         403   403   403   200   200   200
GET    /api/v1/funding/statistics                           200         200   200   200   200   200   200
GET    /api/v1/funding/calls                                200         200   200   200   200   200   200
POST   /api/v1/funding/calls                                401         403   403   403   201   201   201
GET    /api/v1/funding/calls/{call_id}                      200         200   200   200   200   200   200
GET    /api/v1/funding/clusters/{slug}/calls                200         200   200   200   200   200   200
GET    /api/v1/funding/clusters/{slug}/track-record         200         200   200   200   200   200   200
GET    /api/v1/funding/regions/{code}/track-record          200         200   200   200   200   200   200
"""


def build(w) -> dict:
    call = call_saved("HORIZON-TABLE-01")
    # A host under .invalid never resolves (RFC 6761): the read fails before any connection.
    feed = services.feed_save(
        actor=None, agency=w.agency, name="Feed", url="https://calls.example.invalid/"
    )
    OrganisationFactory(name="Atlantic Canning Cooperative", country_id="ES")
    cordis_imported()
    proposal = services.proposal_create(
        actor=w.manager, call=call, cluster=w.cluster, title="Table proposal"
    )
    partner = services.partner_add(
        actor=None, proposal=proposal, organisation=w.member, role="coordinator"
    )
    version = services.proposal_document_upload(
        actor=w.manager, proposal=proposal, upload=SimpleUploadedFile("b.pdf", b"%PDF-1 part B")
    )
    task = services.task_add(
        actor=w.manager, proposal=proposal, title="Budget", due_on=date(2030, 1, 1),
        owner=w.manager,
    )  # fmt: skip
    # An organisation the representative also speaks for, invited to the consortium; another,
    # with a person of its own, that may be invited.
    invited = OrganisationFactory(name="Invited SAS", country_id="FR")
    invited.representatives.add(w.rep)
    invitation = services.invitation_send(
        actor=w.manager, proposal=proposal, organisation=invited, role="beneficiary"
    )
    invitable = OrganisationFactory(name="Invitable Lda", country_id="PT")
    invitable.representatives.add(UserFactory(username="funding-invitable"))
    return {
        "funding_version": version,
        "funding_task": task,
        "funding_invitation": invitation,
        "funding_invitable": invitable,
        "funding_proposal_row": proposal,
        "funding_partner": partner,
        "funding_call_row": call,
        "funding_feed": feed,
        "funding_pending": Participation.objects.get(review="pending"),
    }


def by_parameter(w) -> dict:
    return {
        "call_id": w.funding_call_row.pk,
        "feed_id": w.funding_feed.pk,
        "participation_id": w.funding_pending.pk,
        "proposal_id": w.funding_proposal_row.pk,
        "partner_id": w.funding_partner.pk,
    }


def by_endpoint(w) -> dict:
    return {
        "funding_region": Arguments({"code": "ES11"}),
        "/api/v1/funding/organisations/{slug}/projects": Arguments({"slug": w.member.slug}),
        "funding_proposal_document": Arguments({"version_id": w.funding_version.pk}),
        "/api/v1/funding/documents/versions/{version_id}": Arguments(
            {"version_id": w.funding_version.pk}
        ),
        "funding_proposal_task_done": Arguments({"task_id": w.funding_task.pk}),
        "funding_proposal_invitation_answer": Arguments({"invitation_id": w.funding_invitation.pk}),
        "/api/v1/funding/invitations/{invitation_id}/answer": Arguments(
            {"invitation_id": w.funding_invitation.pk}
        ),
    }


def _call_form(identifier: str) -> dict:
    return {
        "identifier": identifier, "programme": "LIFE", "title": "Changed title",
        "deadline_model": "single-stage", "deadlines": "2030-09-17",
    }  # fmt: skip


def writes(w) -> dict:
    call = w.funding_call_row
    return {
        "POST funding_call_create": Write(_call_form("LIFE-TABLE-NEW"), _count(Call)),
        "POST funding_call_edit": Write(
            _call_form(call.identifier), _value(Call, call.pk, "title")
        ),
        "POST funding_call_import": Write(
            {"file": SimpleUploadedFile("search.json", fixture("sedia_search.json"))},
            _count(Call),
            frozenset({200}),
        ),
        "POST funding_feeds": Write(
            {"agency": w.agency.pk, "name": "New", "url": "https://api.example.org/search"},
            _count(CallFeed),
        ),
        "POST funding_feed_run": Write(probe=_value(CallFeed, w.funding_feed.pk, "last_run_at")),
        "POST funding_cordis_import": Write(
            {
                "projects": SimpleUploadedFile(
                    "project.csv", fixture("project.csv").replace(b'"101000002"', b'"101000009"')
                ),
                "participants": SimpleUploadedFile(
                    "organization.csv", b"projectID;name;country;role\n"
                ),
            },
            _count(Project),
            frozenset({200}),
        ),
        "POST funding_review_decide": Write(
            {"decision": "confirm"}, _value(Participation, w.funding_pending.pk, "review")
        ),
        "POST funding_proposal_create": Write(
            {"cluster": w.cluster.pk, "title": "New"}, _count(Proposal)
        ),
        "POST funding_proposal_partner_add": Write(
            {"name": "Uni", "country": "PT", "role": "beneficiary"}, _count(ProposalPartner)
        ),
        "POST funding_proposal_partner_remove": Write(probe=_count(ProposalPartner)),
        "POST funding_proposal_move": Write(
            {"stage": "consortium"}, _value(Proposal, w.funding_proposal_row.pk, "stage")
        ),
        "POST funding_proposal_document_upload": Write(
            {"document": "", "title": "Letter", "file": SimpleUploadedFile("l.pdf", b"%PDF-1")},
            _count(ProposalDocumentVersion),
        ),
        # multipart, as every write whose body holds a file (tests/security/client.py)
        "POST /api/v1/funding/proposals/{proposal_id}/documents": Write(
            {"title": "Letter", "file": SimpleUploadedFile("l.pdf", b"%PDF-1")},
            _count(ProposalDocumentVersion),
        ),
        "POST funding_proposal_task_add": Write(
            {"title": "Draft WP2", "due_on": "2030-02-01"}, _count(ProposalTask)
        ),
        "POST funding_proposal_task_done": Write(
            probe=_value(ProposalTask, w.funding_task.pk, "done_on")
        ),
        "POST funding_proposal_invite": Write(
            {"organisation": w.funding_invitable.slug, "role": "beneficiary"},
            _count(ProposalInvitation),
        ),
        "POST funding_proposal_invitation_answer": Write(
            {"decision": "accept"}, _value(ProposalInvitation, w.funding_invitation.pk, "status")
        ),
        "POST /api/v1/funding/proposals/{proposal_id}/invitations": Write(
            {"organisation": w.funding_invitable.slug, "role": "beneficiary"},
            _count(ProposalInvitation),
        ),
        "POST /api/v1/funding/invitations/{invitation_id}/answer": Write(
            {"accept": True}, _value(ProposalInvitation, w.funding_invitation.pk, "status")
        ),
        "POST /api/v1/funding/proposals/{proposal_id}/tasks": Write(
            {"title": "Draft WP2", "due_on": "2030-02-01"}, _count(ProposalTask)
        ),
        "POST /api/v1/funding/proposals": Write(
            {"call": w.funding_call_row.identifier, "cluster": w.cluster.slug, "title": "New"},
            _count(Proposal),
        ),
        "POST /api/v1/funding/proposals/{proposal_id}/partners": Write(
            {"name": "Uni", "country": "PT", "role": "beneficiary"}, _count(ProposalPartner)
        ),
        "POST /api/v1/funding/proposals/{proposal_id}/stage": Write(
            {"stage": "consortium"}, _value(Proposal, w.funding_proposal_row.pk, "stage")
        ),
        "POST /api/v1/funding/calls": Write(
            {
                "identifier": "LIFE-API-NEW",
                "programme": "LIFE",
                "title": "T",
                "deadlines": ["2030-09-17"],
            },
            _count(Call),
        ),
    }
