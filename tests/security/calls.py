"""How each endpoint of the table is called: the one place that fills URL parameters and query
strings from the world, and gives each write a minimal valid body (so that the permission
decision, not the validation, decides the answer) and a probe: a value that a refused write
leaves unchanged and an allowed one changes."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from atclusters.benchmarking import frameworks
from atclusters.benchmarking.models import Framework, PeerSet, Round, Submission
from atclusters.cooperation.models import Initiative, Interest, Posting
from atclusters.core.models import ApiToken
from atclusters.registry.models import (
    AgreementDocument,
    ClusterOrganisation,
    CooperationAgreement,
    Invitation,
    Membership,
    Organisation,
)
from atclusters.stateaid.models import Grant, Restructuring, Undertaking
from tests.security import domains
from tests.security.endpoints import Pattern
from tests.security.world import TableWorld

# A number indicator of the default framework that the platform does not compute (so a changed
# answer needs no reason).
ANSWERED = "G03"


@dataclass(frozen=True)
class Arguments:
    path: dict[str, object] = field(default_factory=dict)
    query: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Write:
    """A write's body and what it changes. `probe` is None for a POST that only reads (a
    check, a calculation); `written` are the statuses with which the endpoint says it wrote
    (default: a redirect for pages, 200/201 for the API)."""

    body: dict[str, object] = field(default_factory=dict)
    probe: Callable[[], object] | None = None
    written: frozenset[int] | None = None


def by_parameter(w: TableWorld) -> dict[str, object]:
    """The value of each URL parameter, for every endpoint that does not say otherwise: the
    shared ones here and each domain's (tests/security/domains), none given two values."""
    return domains.merged("by_parameter", w, base=shared_parameters(w))


def shared_parameters(w: TableWorld) -> dict[str, object]:
    return {
        "slug": w.cluster.slug,
        "code": "ES11",
        "identifier": w.undertaking.identifier,
        "grant_id": w.grant.pk,
        "restructuring_id": w.merger.pk,
        "submission_id": w.open_submission.pk,
        "round_id": w.open_submission.round_id,
        "membership_id": w.membership.pk,
        "token": w.invitation.token,
        "token_id": w.spare_token.pk,
        "posting_id": w.posting.pk,
        "document_id": w.document.pk,
        "agency_slug": w.agency.slug,
        "agency": w.agency.slug,
        "year": 2025,
        "region": "ES11",
        "key": "not-a-key",
        "uidb36": "1",
        "path": "missing.png",
        "url": "no-such-page/",
    }


def by_endpoint(w: TableWorld) -> dict[str, Arguments]:
    """Endpoints (and their variants) whose parameters differ from `by_parameter`, or that need
    a query string."""
    dataset = {"slug": w.dataset.slug}
    return domains.merged(
        "by_endpoint",
        w,
        base={
            "cluster_detail [draft]": Arguments({"slug": w.draft.slug}),
            "cluster_transition [submit]": Arguments({"slug": w.draft.slug, "action": "submit"}),
            "cluster_transition [publish]": Arguments({"slug": w.draft.slug, "action": "publish"}),
            "cluster_transition [draft]": Arguments({"slug": w.cluster.slug, "action": "draft"}),
            "organisation_detail": Arguments({"slug": w.member.slug}),
            "organisation_detail [outsider]": Arguments({"slug": w.outsider.slug}),
            "organisation_edit": Arguments({"slug": w.member.slug}),
            "agreement_detail": Arguments({"slug": w.agreement.slug}),
            "agreement_detail [public]": Arguments({"slug": w.public_agreement.slug}),
            "agreement_edit": Arguments({"slug": w.agreement.slug}),
            "agreement_document": Arguments({"slug": w.agreement.slug}),
            "import_template": Arguments({"kind": "clusters", "fmt": "csv"}),
            "export": Arguments({"kind": "organisations", "fmt": "csv"}),
            "category_map": Arguments({"code": "A"}),
            "stateaid_undertaking [ES]": Arguments(query={"member_state": "ES"}),
            "/api/v1/stateaid/undertakings/{identifier} [ES]": Arguments(
                query={"member_state": "ES"}
            ),
            "stateaid_export": Arguments({"kind": "register", "fmt": "csv"}),
            "benchmarking_submission [draft]": Arguments({"submission_id": w.draft_submission.pk}),
            "benchmarking_field": Arguments({"code": ANSWERED}),
            "benchmarking_review": Arguments({"submission_id": w.submitted.pk}),
            "benchmarking_comparison": Arguments({"submission_id": w.validated.pk}),
            "benchmarking_history [draft]": Arguments({"slug": w.draft.slug}),
            "benchmarking_labels": Arguments({"year": 2024}),
            "benchmarking_labels [draft]": Arguments({"slug": w.draft.slug, "year": 2024}),
            "benchmarking_report": Arguments({"year": 2024}),
            "benchmarking_report_pdf": Arguments({"year": 2024}),
            "posting_detail [pending]": Arguments({"posting_id": w.pending_posting.pk}),
            "posting_action [publish]": Arguments(
                {"posting_id": w.pending_posting.pk, "action": "publish"}
            ),
            "posting_action [interest]": Arguments({"action": "interest"}),
            "posting_action [close]": Arguments({"action": "close"}),
            "/api/v1/clusters/{slug} [draft]": Arguments({"slug": w.draft.slug}),
            "/api/v1/organisations/{slug}": Arguments({"slug": w.member.slug}),
            "/api/v1/organisations/{slug} [outsider]": Arguments({"slug": w.outsider.slug}),
            "/api/v1/agreements/{slug}": Arguments({"slug": w.agreement.slug}),
            "/api/v1/datasets/{slug}": Arguments(dataset),
            "/api/v1/datasets/{slug}/observations": Arguments(dataset),
            "/api/v1/datasets/{slug}/rating-sets": Arguments(dataset),
            "/api/v1/datasets/{slug}/ratings": Arguments(dataset, {"year": 2015}),
            "/api/v1/datasets/{slug}/portfolio/{region}": Arguments(dataset),
            "/api/v1/datasets/{slug}/categories/{category}": Arguments(
                {**dataset, "category": "A"}, {"year": 2015}
            ),
            "/api/v1/datasets/{slug}/trends": Arguments(dataset, {"regions": "ES11"}),
            "/api/v1/datasets/{slug}/opportunities/{region}": Arguments(dataset),
            "/api/v1/stateaid/imports/{kind}": Arguments({"kind": "undertakings"}),
            "/api/v1/benchmarking/frameworks/{slug}": Arguments(
                {"slug": w.validated.round.framework.slug}
            ),
            "/api/v1/benchmarking/submissions/{submission_id}/review": Arguments(
                {"submission_id": w.submitted.pk}
            ),
            "/api/v1/benchmarking/peers": Arguments(
                query={"cluster": w.cluster.slug, "year": 2024}
            ),
            "/api/v1/benchmarking/submissions/{submission_id} [draft]": Arguments(
                {"submission_id": w.draft_submission.pk}
            ),
            "/api/v1/benchmarking/peers [draft]": Arguments(
                query={"cluster": w.draft.slug, "year": 2024}
            ),
            "/api/v1/benchmarking/labels": Arguments(
                query={"cluster": w.cluster.slug, "year": 2024}
            ),
            "/api/v1/benchmarking/labels [draft]": Arguments(
                query={"cluster": w.draft.slug, "year": 2024}
            ),
            "/api/v1/benchmarking/report": Arguments(
                query={"cluster": w.cluster.slug, "year": 2024, "format": "html"}
            ),
            "/api/v1/benchmarking/policies": Arguments(query={"year": 2025}),
            "/api/v1/cooperation/match": Arguments(query={"cluster": w.cluster.slug}),
        },
    )


def _admin_model(pattern: Pattern):
    """The model of one of the admin's model pages, from its name (`admin:<app>_<model>_change`)
    or its route (`admin/<app>/<model>/…`)."""
    for model in admin.site._registry:
        meta = model._meta
        if pattern.key.startswith(f"admin:{meta.app_label}_{meta.model_name}_") or (
            pattern.route.startswith(f"admin/{meta.app_label}/{meta.model_name}/")
        ):
            return model
    return None


def admin_arguments(pattern: Pattern, w: TableWorld) -> dict[str, object]:
    """The admin's model pages take the first object of their model; the user pages the
    member's representative; "view on site" the published cluster."""
    model = _admin_model(pattern)
    first = model._default_manager.order_by("pk").first() if model is not None else None
    if model is not None:
        assert first is not None, f"the world has no {model._meta.model_name} for {pattern.key}"
    return {
        "app_label": ClusterOrganisation._meta.app_label,
        "id": w.rep.pk,
        "content_type_id": ContentType.objects.get_for_model(ClusterOrganisation).pk,
        "object_id": first.pk if first is not None else w.cluster.pk,
    }


@cache
def _default_framework() -> dict:
    return frameworks.default_framework()


def _upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def _count(model, **lookup) -> Callable[[], int]:
    return lambda: model.objects.filter(**lookup).count()


def _value(model, pk: int, *fields: str) -> Callable[[], tuple]:
    return lambda: tuple(model.objects.filter(pk=pk).values_list(*fields).get())


def writes(w: TableWorld) -> dict[str, Write]:
    """The body and probe of each write, by row (method, endpoint and variant)."""
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    submission = _value(Submission, w.open_submission.pk, "status", "values", "updated_at")
    submitted = _value(Submission, w.submitted.pk, "status")
    grants = _count(Grant)
    grant_body = {
        "undertaking": w.undertaking.identifier,
        "reference": "IG-2025-NEW",
        "member_state": "ES",
        "granting_authority": "IGAPE",
    }
    cluster_form = {"name": "Renamed Cluster", "country": "ES"}
    agreement_form = {
        "title": "Renamed MoU",
        "type": "mou",
        "owner": w.agency.pk,
        "agency_a": w.agency.pk,
        "cluster_b": w.cluster.pk,
        "start": "2024-01-01",
    }
    framework = {**_default_framework(), "version": _default_framework()["version"] + 1}
    page_saved = frozenset({200})
    return domains.merged(
        "writes",
        w,
        base={
            # pages
            "POST set_language": Write({"language": "es", "next": "/en/"}),
            "POST api_tokens": Write({"name": "new"}, _count(ApiToken), written=page_saved),
            "POST api_token_revoke": Write(probe=_count(ApiToken, pk=w.spare_token.pk)),
            "POST cluster_create": Write(
                {**cluster_form, "agency": w.agency.pk, "name": "New Cluster"},
                _count(ClusterOrganisation),
            ),
            "POST cluster_edit": Write(
                cluster_form, _value(ClusterOrganisation, w.cluster.pk, "name")
            ),
            "POST cluster_transition [submit]": Write(
                probe=_value(ClusterOrganisation, w.draft.pk, "status")
            ),
            "POST cluster_transition [publish]": Write(
                probe=_value(ClusterOrganisation, w.draft.pk, "status")
            ),
            "POST cluster_transition [draft]": Write(
                probe=_value(ClusterOrganisation, w.cluster.pk, "status")
            ),
            "POST cluster_members": Write(
                {"organisation": w.spare.slug, "role": "member", "since": "2024-01-01"},
                _count(Membership, cluster=w.cluster),
            ),
            "POST membership_end": Write(probe=_value(Membership, w.membership.pk, "until")),
            "POST membership_listing": Write(
                {"listed": "no"}, _value(Membership, w.membership.pk, "listed_publicly")
            ),
            "POST cluster_invite": Write({"email": "invited@example.org"}, _count(Invitation)),
            "POST invitation_accept": Write(
                probe=_value(Invitation, w.invitation.pk, "accepted_at")
            ),
            "POST organisation_create": Write(
                {"name": "New Org", "type": "sme", "country": "ES", "size_class": "small"},
                _count(Organisation),
            ),
            "POST organisation_edit": Write(
                {"name": "Renamed SME", "type": "sme", "country": "ES", "size_class": "small"},
                _value(Organisation, w.member.pk, "name"),
            ),
            "POST agreement_create": Write(
                {**agreement_form, "title": "New MoU"}, _count(CooperationAgreement)
            ),
            "POST agreement_edit": Write(
                agreement_form, _value(CooperationAgreement, w.agreement.pk, "title")
            ),
            "POST agreement_detail": Write(
                {"title": "Annex", "file": _upload("annex.pdf", b"%PDF-1.4")},
                _count(AgreementDocument),
            ),
            "POST agreement_detail [public]": Write(
                {"title": "Annex", "file": _upload("annex.pdf", b"%PDF-1.4")},
                _count(AgreementDocument),
            ),
            "POST import": Write(
                {
                    "kind": "organisations",
                    "file": _upload("o.csv", "slug,name,type,country\nnew-sl,New SL,sme,ES\n"),
                },
                _count(Organisation),
                written=page_saved,
            ),
            "POST stateaid_grant_create": Write(
                {
                    **grant_body,
                    "grant_date": "2025-06-01",
                    "amount": "1000",
                    "regulation": "general",
                },
                grants,
            ),
            "POST stateaid_grant_change": Write(
                {"action": "revoke", "revoke-reason": "error"}, grants
            ),
            "POST stateaid_restructuring_change": Write(
                {"action": "revoke", "revoke-reason": "error"}, _count(Restructuring)
            ),
            "POST stateaid_mark_reported": Write(
                {"grant": [w.grant.pk], "reported_on": "2025-04-01"}, grants
            ),
            "POST stateaid_import": Write(
                {
                    "kind": "undertakings",
                    "file": _upload("u.csv", "id,name,country,vat\nESB99,New SL,ES,\n"),
                },
                _count(Undertaking),
                written=page_saved,
            ),
            "POST benchmarking_round_open": Write(
                {
                    "agency": w.agency.pk,
                    "framework": w.open_submission.round.framework_id,
                    "year": 2022,
                    "title": "2022",
                    "deadline": deadline,
                    "clusters": [w.cluster.pk],
                },
                _count(Round),
            ),
            "POST benchmarking_submission": Write({f"value-{ANSWERED}": "7"}, submission),
            "POST benchmarking_field": Write(
                {f"value-{ANSWERED}": "7"}, submission, written=page_saved
            ),
            "POST benchmarking_submit": Write(probe=submission),
            "POST benchmarking_review": Write({"decision": "validate"}, submitted),
            "POST benchmarking_upload": Write({"file": _upload("t.xlsx", w.template)}, submission),
            "POST benchmarking_comparison": Write(
                {
                    "name": "Mine",
                    "members": list(
                        ClusterOrganisation.objects.filter(slug__startswith="peer-").values_list(
                            "slug", flat=True
                        )
                    ),
                },
                _count(PeerSet),
            ),
            "POST benchmarking_policy_edit": Write(
                {
                    "summary": "More support",
                    "clusters_recognised": "4",
                    "form-TOTAL_FORMS": "0",
                    "form-INITIAL_FORMS": "0",
                },
                _value(type(w.policy), w.policy.pk, "clusters_recognised"),
            ),
            "POST initiative_create": Write(
                {
                    "agency": w.agency.slug,
                    "name": "Atlantic food",
                    "members": [w.cluster.slug, w.other_cluster.slug],
                    "goals": "Trade",
                },
                _count(Initiative),
            ),
            "POST posting_create": Write(
                {
                    "author": f"cluster:{w.cluster.slug}",
                    "kind": "offer",
                    "title": "Pilots",
                    "description": "Partners wanted.",
                    "language": "en",
                },
                _count(Posting),
            ),
            "POST posting_action [publish]": Write(
                probe=_value(Posting, w.pending_posting.pk, "status")
            ),
            "POST posting_action [interest]": Write({"message": "Hello"}, _count(Interest)),
            "POST posting_action [close]": Write(probe=_value(Posting, w.posting.pk, "status")),
            # API
            "POST /api/v1/clusters": Write(
                {"name": "New Cluster", "country": "ES", "agency": w.agency.slug},
                _count(ClusterOrganisation),
            ),
            "PATCH /api/v1/clusters/{slug}": Write(
                {"city": "Vigo"}, _value(ClusterOrganisation, w.cluster.pk, "city")
            ),
            "PATCH /api/v1/clusters/{slug} [draft]": Write(
                {"city": "Vigo"}, _value(ClusterOrganisation, w.draft.pk, "city")
            ),
            "POST /api/v1/organisations": Write(
                {"name": "New Org", "type": "sme", "country": "ES"}, _count(Organisation)
            ),
            "PATCH /api/v1/organisations/{slug}": Write(
                {"name": "Renamed SME"}, _value(Organisation, w.member.pk, "name")
            ),
            "PATCH /api/v1/organisations/{slug} [outsider]": Write(
                {"name": "Renamed SAS"}, _value(Organisation, w.outsider.pk, "name")
            ),
            "POST /api/v1/memberships": Write(
                {"cluster": w.cluster.slug, "organisation": w.spare.slug}, _count(Membership)
            ),
            "PATCH /api/v1/memberships/{membership_id}": Write(
                {"listed_publicly": False}, _value(Membership, w.membership.pk, "listed_publicly")
            ),
            "POST /api/v1/agreements": Write(
                {
                    "title": "New MoU",
                    "type": "mou",
                    "owner": w.agency.slug,
                    "party_a_type": "agency",
                    "party_a": w.agency.slug,
                    "party_b_type": "cluster",
                    "party_b": w.cluster.slug,
                    "start": "2025-01-01",
                },
                _count(CooperationAgreement),
            ),
            "PATCH /api/v1/agreements/{slug}": Write(
                {"title": "Renamed MoU"}, _value(CooperationAgreement, w.agreement.pk, "title")
            ),
            "POST /api/v1/stateaid/check": Write(
                {
                    "undertaking": w.undertaking.identifier,
                    "date": "2025-06-01",
                    "amount": "1000",
                    "member_state": "ES",
                }
            ),
            "POST /api/v1/stateaid/gge": Write(
                {"instrument": "loan", "amount": "100000", "years": "3", "collateral_share": "0.6"}
            ),
            "POST /api/v1/stateaid/grants": Write(
                {**grant_body, "date": "2025-06-01", "amount": "1000"}, grants
            ),
            "POST /api/v1/stateaid/grants/{grant_id}/correction": Write(
                {"reason": "typo", "amount": "9000"}, grants
            ),
            "POST /api/v1/stateaid/grants/{grant_id}/revocation": Write(
                {"reason": "error"}, grants
            ),
            "POST /api/v1/stateaid/restructurings/{restructuring_id}/correction": Write(
                {"reason": "typo", "date": "2024-07-01"}, _count(Restructuring)
            ),
            "POST /api/v1/stateaid/restructurings/{restructuring_id}/revocation": Write(
                {"reason": "error"}, _count(Restructuring)
            ),
            "POST /api/v1/stateaid/mergers": Write(
                {
                    "absorbing": w.absorbing.identifier,
                    "absorbed": w.absorbed.identifier,
                    "date": "2025-01-01",
                },
                _count(Restructuring),
            ),
            "POST /api/v1/stateaid/splits": Write(
                {
                    "source": w.absorbing.identifier,
                    "date": "2025-06-01",
                    "successors": {w.absorbed.identifier: "1000"},
                },
                _count(Restructuring),
            ),
            "POST /api/v1/stateaid/imports/{kind}": Write(
                {"file": _upload("u.csv", "id,name,country,vat\nESB99,New SL,ES,\n")},
                _count(Undertaking),
            ),
            "POST /api/v1/benchmarking/frameworks": Write(
                {"file": _upload("framework.json", json.dumps(framework))}, _count(Framework)
            ),
            "POST /api/v1/benchmarking/rounds": Write(
                {
                    "agency": w.agency.slug,
                    "framework": w.open_submission.round.framework.slug,
                    "year": 2022,
                    "title": "2022",
                    "deadline": deadline,
                    "clusters": [w.cluster.slug],
                },
                _count(Round),
            ),
            "PATCH /api/v1/benchmarking/submissions/{submission_id}": Write(
                {"answers": {ANSWERED: 7}}, submission
            ),
            "POST /api/v1/benchmarking/submissions/{submission_id}/template": Write(
                {"file": _upload("t.xlsx", w.template)}, submission
            ),
            "POST /api/v1/benchmarking/submissions/{submission_id}/submission": Write(
                probe=submission
            ),
            "POST /api/v1/benchmarking/submissions/{submission_id}/review": Write(
                {"validate": True}, submitted
            ),
            "PUT /api/v1/benchmarking/policies/{agency}/{year}": Write(
                {"summary": "More support", "clusters_recognised": 4, "programmes": []},
                _value(type(w.policy), w.policy.pk, "clusters_recognised"),
            ),
            "POST /api/v1/cooperation/evaluation": Write(
                {
                    "file": _upload(
                        "pairs.csv",
                        f"cluster_a,cluster_b\n{w.cluster.slug},{w.other_cluster.slug}\n",
                    )
                }
            ),
            "POST /api/v1/cooperation/postings": Write(
                {
                    "author": f"cluster:{w.cluster.slug}",
                    "kind": "offer",
                    "title": "Pilots",
                    "description": "Partners wanted.",
                },
                _count(Posting),
            ),
            "POST /api/v1/cooperation/postings [draft]": Write(
                {
                    "author": f"cluster:{w.draft.slug}",
                    "kind": "offer",
                    "title": "Pilots",
                    "description": "Partners wanted.",
                },
                _count(Posting),
            ),
            "POST /api/v1/cooperation/postings/{posting_id}/interest": Write(
                {"message": "Hello"}, _count(Interest)
            ),
        },
    )
