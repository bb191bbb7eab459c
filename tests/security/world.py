"""The world the role × endpoint table is played in: the shared test world (two agencies in two
Member States, their published and draft clusters, a member organisation) and what the endpoints
need on top of it (agreements, an invitation, state aid in both Member States, benchmarking
rounds, partner-search postings, a policy, a statistics dataset), with one user per role."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from atclusters.benchmarking import documents, frameworks
from atclusters.benchmarking import services as benchmarking
from atclusters.benchmarking.models import ClusterPolicy, Submission
from atclusters.cooperation import services as cooperation
from atclusters.cooperation.models import Posting
from atclusters.core.models import ApiToken
from atclusters.core.services import api_token_create
from atclusters.mapping.models import Dataset
from atclusters.registry.models import (
    AgreementDocument,
    CooperationAgreement,
    Invitation,
    Membership,
    Organisation,
)
from atclusters.stateaid import services as stateaid
from atclusters.stateaid.models import Grant, Restructuring, Undertaking
from tests.benchmarking.conftest import all_answers
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    World,
    grant_recorded,
    undertaking_recorded,
    world_build,
)
from tests.mapping.test_statistics_pages import figures_import
from tests.security import domains

# The columns of the table, in its order. The issue names anonymous, member representative,
# cluster manager of another cluster, staff of another agency and another Member State and platform
# admin; the manager and the staff of the world's own cluster and agency make the positive cases.
ROLES = ("anonymous", "rep", "manager", "other_manager", "staff", "other_staff", "admin")

ROLE_DESCRIPTIONS = {
    "anonymous": "not signed in (the public, an outside attacker)",
    "rep": "representative of the member organisation of the Galician cluster",
    "manager": "manager of the Galician clusters (published `food`, draft `draft`)",
    "other_manager": "manager of the Breton clusters (published `sea`, draft `hidden`)",
    "staff": "staff of the Galician agency (Spain)",
    "other_staff": "staff of the Breton agency (another agency, another Member State: France)",
    "admin": "platform admin (superuser)",
}


@dataclass
class TableWorld:
    base: World
    other_manager: User
    membership: Membership  # `member` in `food`, listed publicly
    spare: Organisation  # listed member of `sea`: everyone sees it, nobody of Galicia edits it
    agreement: CooperationAgreement  # private: Galician agency and `food`
    public_agreement: CooperationAgreement  # public: Breton agency and `sea`
    document: AgreementDocument  # of `agreement`
    invitation: Invitation  # to manage `food`
    spare_token: ApiToken  # the manager's, for revocation
    undertaking: Undertaking  # Spanish, linked to `member` (so `rep` sees its aid)
    other_undertaking: Undertaking  # French
    absorbing: Undertaking  # Spanish, for mergers and splits
    absorbed: Undertaking  # Spanish
    merger: Restructuring  # `absorbing` took over another Spanish undertaking in 2024
    grant: Grant  # Spanish aid to `undertaking`
    other_grant: Grant  # French aid to `other_undertaking`
    validated: Submission  # `food`, 2024, validated
    submitted: Submission  # `food`, 2023, sent for review
    open_submission: Submission  # `food`, 2025, draft with every answer
    template: bytes  # the Excel template of `open_submission`, as downloaded
    draft_submission: Submission  # `draft` (unpublished), 2025, draft
    posting: Posting  # by `food`, published
    pending_posting: Posting  # by `food`, awaiting moderation
    policy: ClusterPolicy  # Galician agency, 2025
    dataset: Dataset
    tokens: dict[str, str]  # role → raw API token
    sessions: dict[str, str]  # role → session key
    extra: dict[str, object] = field(default_factory=dict)  # built by tests/security/domains

    def __getattr__(self, name: str):
        """The domains' and the shared world's objects read through: `w.cluster`, `w.staff` …"""
        if name in self.__dict__.get("extra", {}):
            return self.extra[name]
        return getattr(self.base, name)


def _session_of(user: User) -> str:
    """A signed-in session, as the login view would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    assert session.session_key is not None
    return session.session_key


def table_world_build() -> TableWorld:
    base = world_build()
    other_manager = UserFactory(username="other-manager")
    base.other_cluster.managers.add(other_manager)
    base.other_draft.managers.add(other_manager)
    # Five more published clusters: a hand-picked peer group needs five others.
    for number in range(5):
        ClusterFactory(slug=f"peer-{number}", agency=base.other_agency, country_id="FR")
    spare = OrganisationFactory(slug="spare", name="Spare SL")
    MembershipFactory(cluster=base.other_cluster, organisation=spare, listed_publicly=True)
    # A row for every model the admin lists, so that its change pages are requested too.
    EmailAddress.objects.create(user=base.rep, email=base.rep.email, verified=True, primary=True)
    Group.objects.create(name="editors")
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="atclusters.example", backend_name="default",
        run_after=timezone.now(),
    )  # fmt: skip

    agreement = CooperationAgreement.objects.create(
        slug="mou", title="MoU", type="mou", agency_a=base.agency, cluster_b=base.cluster,
        start=date(2024, 1, 1), owner=base.agency,
    )  # fmt: skip
    public_agreement = CooperationAgreement.objects.create(
        slug="public-mou", title="Public MoU", type="mou", agency_a=base.other_agency,
        cluster_b=base.other_cluster, start=date(2024, 1, 1), owner=base.other_agency,
        is_public=True,
    )  # fmt: skip
    document = AgreementDocument.objects.create(
        agreement=agreement, title="Signed", file=ContentFile(b"%PDF-1.4", name="signed.pdf")
    )
    invitation = Invitation.objects.create(
        email="new@example.org", agency=base.agency, cluster=base.cluster, token="invitation-token"
    )

    undertaking = undertaking_recorded("ESB12345674", "Member SME")
    Undertaking.objects.filter(pk=undertaking.pk).update(organisation=base.member)
    other_undertaking = undertaking_recorded("FR123456789", "Outsider SAS", country="FR")
    absorbing = undertaking_recorded("ESA15000001", "Absorbing SA")
    absorbed = undertaking_recorded("ESA15000002", "Absorbed SA")
    merged = undertaking_recorded("ESA15000003", "Merged SA")
    merger = stateaid.merger_record(
        actor=None, absorbing=absorbing, absorbed=merged, on=date(2024, 6, 1)
    )
    stateaid.link_save(
        actor=None, parent=absorbing, child=undertaking,
        relation="voting-majority", valid_from=date(2020, 1, 1),
    )  # fmt: skip
    grant = grant_recorded(undertaking, "IG-2025-1", date(2025, 3, 1), "10000")
    other_grant = grant_recorded(
        other_undertaking, "BPI-2025-1", date(2025, 3, 1), "20000",
        member_state="FR", granting_authority="Bpifrance",
    )  # fmt: skip
    grant_recorded(absorbing, "IG-2024-9", date(2024, 9, 1), "5000")

    framework = benchmarking.framework_import(actor=None, document=frameworks.default_framework())[
        1
    ]
    last_round = benchmarking.round_open(
        actor=None, agency=base.agency, framework=framework, year=2024, title="2024",
        deadline=timezone.localdate() + timedelta(days=30), clusters=[base.cluster],
    )  # fmt: skip
    validated = last_round.submissions.get()
    benchmarking.submission_save(actor=None, submission=validated, answers=all_answers(validated))
    benchmarking.submission_submit(actor=None, submission=validated)
    benchmarking.submission_review(actor=None, submission=validated, validate=True)
    earlier_round = benchmarking.round_open(
        actor=None, agency=base.agency, framework=framework, year=2023, title="2023",
        deadline=timezone.localdate() + timedelta(days=30), clusters=[base.cluster],
    )  # fmt: skip
    submitted = earlier_round.submissions.get()
    benchmarking.submission_save(actor=None, submission=submitted, answers=all_answers(submitted))
    benchmarking.submission_submit(actor=None, submission=submitted)
    this_round = benchmarking.round_open(
        actor=None, agency=base.agency, framework=framework, year=2025, title="2025",
        deadline=timezone.localdate() + timedelta(days=30), clusters=[base.cluster, base.draft],
    )  # fmt: skip
    open_submission = this_round.submissions.get(cluster=base.cluster)
    benchmarking.submission_save(
        actor=None, submission=open_submission, answers=all_answers(open_submission)
    )
    policy = benchmarking.policy_save(
        actor=None, agency=base.agency, year=2025, summary="Support", clusters_recognised=3,
        programmes=[],
    )  # fmt: skip

    posting_data = {"kind": "offer", "title": "Cold chain pilots", "description": "Partners."}
    posting = cooperation.posting_create(actor=None, author=base.cluster, data=posting_data)
    pending_posting = cooperation.posting_create(
        actor=base.manager, author=base.cluster, data=posting_data
    )

    signed_in = {
        "rep": base.rep,
        "manager": base.manager,
        "other_manager": other_manager,
        "staff": base.staff,
        "other_staff": base.other_staff,
        "admin": base.admin,
    }
    spare_token = api_token_create(user=base.manager, name="spare")[0]
    world = TableWorld(
        base=base,
        other_manager=other_manager,
        membership=Membership.objects.get(cluster=base.cluster, organisation=base.member),
        spare=spare,
        agreement=agreement,
        public_agreement=public_agreement,
        document=document,
        invitation=invitation,
        spare_token=spare_token,
        undertaking=undertaking,
        other_undertaking=other_undertaking,
        merger=merger,
        absorbing=absorbing,
        absorbed=absorbed,
        grant=grant,
        other_grant=other_grant,
        validated=validated,
        submitted=submitted,
        open_submission=open_submission,
        template=documents.submission_template(open_submission, "en"),
        draft_submission=this_round.submissions.get(cluster=base.draft),
        posting=posting,
        pending_posting=pending_posting,
        policy=policy,
        dataset=figures_import(),
        tokens={
            role: api_token_create(user=user, name="table")[1] for role, user in signed_in.items()
        },
        sessions={role: _session_of(user) for role, user in signed_in.items()},
    )
    for module in domains.modules():
        if hasattr(module, "build"):
            world.extra.update(module.build(world))
    return world
