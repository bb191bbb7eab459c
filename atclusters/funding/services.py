"""Every write of EU funding: calls (by hand, from a file or the portal's answer, from a feed
read every day), feeds, the CORDIS track record with its links to registry organisations and
their review, and proposals (their partners and stages). Each write is audited. `actor=None` is
the trusted command line."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atclusters.core import documents, fetching, tables
from atclusters.core.audit import (
    acting_user,
    audited,
    audited_bulk_insert,
    audited_bulk_update,
    audited_create,
    snapshot,
)
from atclusters.core.errors import DomainError
from atclusters.core.importing import ImportReport
from atclusters.core.models import Agency, Country, Term
from atclusters.core.permissions import AnyUser, PermissionDenied
from atclusters.core.services import email_queue
from atclusters.funding import calldates, linking, permissions, pipeline, sedia
from atclusters.funding.models import (
    Call,
    CallFeed,
    Participation,
    Project,
    Proposal,
    ProposalDocument,
    ProposalDocumentVersion,
    ProposalInvitation,
    ProposalPartner,
    ProposalTask,
)
from atclusters.registry import selectors as registry_selectors
from atclusters.registry.models import ClusterOrganisation, Organisation


def date_message(error: calldates.DateError) -> str:
    """The words of a refusal by the call-date rules."""
    messages = {
        "empty": _("is required"),
        "unreadable": _("%(value)r is not a date (use YYYY-MM-DD, optionally with HH:MM)"),
        "unknown": _("unknown deadline model %(value)r; allowed: single-stage, two-stage, "
                     "multiple-cut-off"),
        "missing": _("give at least one deadline"),
        "single-needs-one": _("a single-stage call has exactly one deadline"),
        "two-stage-needs-two": _("a two-stage call has two deadlines, one per stage"),
        "not-ascending": _("the deadlines must follow one another"),
        "after-deadline": _("the call must open before its first deadline"),
    }  # fmt: skip
    return messages[error.code] % {"value": error.value}


def deadlines_read(text: str) -> list[datetime]:
    """Deadlines separated by semicolons, each an ISO 8601 day (17:00 Brussels) or moment."""
    try:
        return [
            calldates.moment(part, field="deadlines", closing=True)
            for part in text.split(";")
            if part.strip()
        ]
    except calldates.DateError as error:
        raise DomainError(error.field, date_message(error)) from error


def opening_read(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        return calldates.moment(text, field="opening_date", closing=False)
    except calldates.DateError as error:
        raise DomainError(error.field, date_message(error)) from error


@dataclass
class CallData:
    """A call as entered or imported, checked by `call_save`."""

    identifier: str
    programme: str
    title: str
    deadlines: list[datetime]
    deadline_model: str = ""
    opens_at: datetime | None = None
    call_identifier: str = ""
    description: str = ""
    budget_eur: Decimal | None = None
    expected_grant_eur: Decimal | None = None
    expected_grants: int | None = None
    type_of_action: str = ""
    keywords: list[str] = field(default_factory=list)
    eligible_countries: list[str] = field(default_factory=list)
    url: str = ""
    terms: list[str] | None = None  # slugs; None: those the keywords name
    origin: str = Call.Source.HAND


def _checked(data: CallData) -> tuple[str, list[str]]:
    """The deadline model and the eligible countries, refused with the field at fault."""
    for name in ("identifier", "programme", "title"):
        if not getattr(data, name).strip():
            raise DomainError(name, _("is required"))
    try:
        model = calldates.model_of(data.deadline_model, len(data.deadlines))
        calldates.check(data.opens_at, sorted(data.deadlines), model)
    except calldates.DateError as error:
        raise DomainError(error.field, date_message(error)) from error
    countries = sorted({code.strip().upper() for code in data.eligible_countries if code.strip()})
    known = set(Country.objects.filter(code__in=countries).values_list("code", flat=True))
    if unknown := [code for code in countries if code not in known]:
        raise DomainError(
            "eligible_countries", _("unknown countries: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    for name in ("budget_eur", "expected_grant_eur"):
        value = getattr(data, name)
        if value is not None and value < 0:
            raise DomainError(name, _("must not be negative"))
    if data.url and not data.url.startswith(("https://", "http://")):
        raise DomainError("url", _("give an http or https address"))
    return model, countries


def _terms(data: CallData) -> list[Term]:
    if data.terms is not None:
        found = list(Term.objects.filter(slug__in=data.terms))
        if missing := sorted(set(data.terms) - {term.slug for term in found}):
            raise DomainError(
                "terms", _("unknown terms: %(slugs)s") % {"slugs": ", ".join(missing)}
            )
        return found
    # The keywords that name a technology field, ecosystem or S3 area (in English).
    wanted = {keyword.strip().lower() for keyword in data.keywords}
    return [term for term in Term.objects.all() if term.name.lower() in wanted]


def _cents(value: Decimal | None) -> Decimal | None:
    """As the database gives it back (two decimals), so that an unchanged call compares equal."""
    return value.quantize(Decimal("0.01")) if value is not None else None


def call_save(*, actor: AnyUser, data: CallData, source: str = "web") -> tuple[str, Call]:
    """Creates the call, or updates the one with its identifier: "created", "updated" or
    "unchanged". Agency staff and the platform admin."""
    if not permissions.can_edit_calls(actor):
        raise PermissionDenied
    model, countries = _checked(data)
    deadlines = sorted(data.deadlines)
    call = Call.objects.filter(identifier=data.identifier.strip()).first()
    outcome = "created" if call is None else "updated"
    call = call or Call(identifier=data.identifier.strip())
    values: dict[str, Any] = {
        "call_identifier": data.call_identifier.strip(),
        "programme": data.programme.strip(),
        "title": data.title.strip(),
        "description": data.description.strip(),
        "opens_at": data.opens_at.astimezone(UTC) if data.opens_at else None,
        "deadline_model": model,
        "deadlines": [moment.astimezone(calldates.BRUSSELS).isoformat() for moment in deadlines],
        "deadline_at": deadlines[-1].astimezone(UTC),
        "budget_eur": _cents(data.budget_eur),
        "expected_grant_eur": _cents(data.expected_grant_eur),
        "expected_grants": data.expected_grants,
        "type_of_action": data.type_of_action.strip(),
        "keywords": [keyword.strip() for keyword in data.keywords if keyword.strip()],
        "eligible_countries": countries,
        "url": data.url.strip(),
        "source": data.origin,
    }
    terms = _terms(data)
    before = None if call._state.adding else snapshot(call)
    for name, value in values.items():
        setattr(call, name, value)
    if before is not None and snapshot(call) == before | {
        "terms": sorted(str(term.pk) for term in terms)
    }:
        return "unchanged", call
    with audited(call, actor=actor, source=source, before=before):
        call.save()
        call.terms.set(terms)
    return outcome, call


def call_delete(*, actor: AnyUser, call: Call, source: str = "web") -> None:
    if not permissions.can_edit_calls(actor):
        raise PermissionDenied
    with audited(call, actor=actor, source=source):
        call.delete()


def calls_import(
    *, actor: AnyUser, content: bytes, filename: str, dry_run: bool = False, source: str = "import"
) -> ImportReport:
    """Calls from the portal's search API answer (JSON with `results`) or from a table in the
    importer's columns (CSV, XLSX, JSON list): all or nothing, errors by row and column."""
    # The importers write through these services: imported here, not at the top.
    from atclusters.funding.importers import CallImporter

    if not permissions.can_edit_calls(actor):
        raise PermissionDenied
    importer = CallImporter(actor=actor, source=source)
    if filename.lower().endswith(".json"):
        try:
            document = tables.load_json(content)
        except tables.TableError:
            document = None  # the importer reports it against the file
        if isinstance(document, dict):
            try:
                rows = sedia.rows(document)
            except sedia.FormatError:
                report = ImportReport(kind=CallImporter.kind, dry_run=dry_run)
                report.errors.append(importer.file_error(_("not a search API answer (no results)")))
                return report
            content = tables.write_table(CallImporter.columns, rows, "json")
            importer.origin = Call.Source.PORTAL
    return importer.run(content, filename, dry_run=dry_run)


def feed_save(
    *, actor: AnyUser, agency: Agency, name: str, url: str, active: bool = True,
    feed: CallFeed | None = None, source: str = "web",
) -> CallFeed:  # fmt: skip
    """Adds (or changes) a feed of the agency: an http(s) address on the public internet."""
    feed = feed or CallFeed(agency=agency, created_by=actor if actor and actor.pk else None)
    if not permissions.can_manage_feed(actor, feed):
        raise PermissionDenied
    if not name.strip():
        raise DomainError("name", _("is required"))
    try:
        fetching.check_saved(url)  # the address alone; its host is resolved at each read
    except fetching.Refused as refused:
        raise DomainError("url", fetching.message(refused)) from refused
    with audited(feed, actor=actor, source=source):
        feed.name, feed.url, feed.active = name.strip(), url.strip(), active
        feed.save()
    return feed


def feed_run(
    *, actor: AnyUser, feed: CallFeed, now: datetime | None = None, source: str = "feed"
) -> ImportReport:
    """Reads the feed's address (SSRF-safe, core.fetching) and imports its calls, all or
    nothing; the feed records when and with what result."""
    from atclusters.funding.importers import CallImporter

    if not permissions.can_manage_feed(actor, feed):
        raise PermissionDenied
    try:
        content = fetching.fetch(
            feed.url, max_bytes=settings.IMPORT_MAX_BYTES, timeout=20, accept="application/json"
        ).body
    except fetching.Problem as problem:
        report = ImportReport(kind=CallImporter.kind, dry_run=False)
        report.errors.append(CallImporter.file_error(fetching.message(problem)))
    else:
        report = calls_import(actor=actor, content=content, filename="feed.json", source=source)
    if report.ok:
        result = _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        }  # fmt: skip
    else:
        result = "; ".join(str(error) for error in report.errors[:5])
    with audited(feed, actor=actor, source=source, only=("last_result",)):
        feed.last_run_at = now or timezone.now()
        feed.last_result = result[:2000]
        feed.save(update_fields=["last_run_at", "last_result"])
    return report


def participation_review(
    *, actor: AnyUser, participation: Participation, confirm: bool, source: str = "web"
) -> Participation:
    """Staff confirm an uncertain link of a CORDIS participant to a registry organisation, or
    reject it (the participant is then not linked)."""
    if not permissions.can_review_links(actor):
        raise PermissionDenied
    if participation.review != Participation.Review.PENDING:
        raise DomainError("review", _("is not awaiting review"))
    with audited(participation, actor=actor, source=source):
        if confirm:
            participation.review = Participation.Review.CONFIRMED
        else:
            participation.review = Participation.Review.REJECTED
            participation.organisation = None
            participation.link_method = Participation.Method.NONE
        participation.save()
    return participation


# Rows per INSERT or UPDATE of a CORDIS import: well under SQLite's and PostgreSQL's limits on
# a statement's parameters, large enough that 200,000 rows take a few hundred statements.
CORDIS_BATCH = 1000


def cordis_rows_write[M: (Project, Participation)](
    *, actor: AnyUser, model: type[M], new: list[dict[str, Any]], keys: list[str],
    changed: list[tuple[M, dict[str, Any]]], source: str = "import",
) -> None:  # fmt: skip
    """The new and the changed CORDIS projects or participants of a valid file: the new ones
    (their values, each with its key: the project's CORDIS id, or that and the participant's PIC
    or name) inserted in batches with one audit entry per batch naming their keys; the changed
    ones (each with its new values) updated with an audit entry each, naming what changed."""
    if not permissions.can_import_projects(actor):
        raise PermissionDenied
    audited_bulk_insert(model, new, keys=keys, actor=actor, source=source, batch_size=CORDIS_BATCH)
    audited_bulk_update(model, changed, actor=actor, source=source, batch_size=CORDIS_BATCH)


@dataclass
class CordisResult:
    projects: ImportReport
    participants: ImportReport
    linked: dict[str, int]
    review: int

    @property
    def ok(self) -> bool:
        return self.projects.ok and self.participants.ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "projects": self.projects.rows if self.ok else 0,
            "participants": self.participants.rows if self.ok else 0,
            "linked": self.linked,
            "review": self.review,
            "errors": [
                {"file": name, "row": e.row, "column": e.column, "message": e.message}
                for name, report in (
                    ("projects", self.projects),
                    ("participants", self.participants),
                )
                for e in report.errors
            ],
        }


def cordis_import(
    *, actor: AnyUser, projects: bytes, projects_name: str, participants: bytes,
    participants_name: str, is_demo: bool = False, dry_run: bool = False, source: str = "import",
    limits: tables.Limits | None = None,
) -> CordisResult:  # fmt: skip
    """CORDIS's project and organisation files (the published layout: semicolon-separated,
    quoted), both or neither: every participant linked to a registry organisation by PIC, then
    VAT, then name and country, the uncertain name links awaiting review. `limits`: what the
    files may hold, when not the upload limits (the command line's, for full files)."""
    from atclusters.funding.importers import ParticipantImporter, ProjectImporter

    if not permissions.can_import_projects(actor):
        raise PermissionDenied
    project_importer = ProjectImporter(actor=actor, source=source, is_demo=is_demo)
    project_importer.limits = limits
    project_report = project_importer.check(projects, projects_name, dry_run=dry_run)
    importer = ParticipantImporter(actor=actor, source=source, projects=project_importer.known())
    importer.limits = limits
    if project_report.ok:
        participant_report = importer.check(participants, participants_name, dry_run=dry_run)
    else:
        participant_report = ImportReport(kind=importer.kind, dry_run=dry_run)
    result = CordisResult(
        project_report,
        participant_report,
        {method: importer.linked.get(method, 0) for method in ("pic", "vat", "name")},
        importer.review,
    )
    if result.ok and not dry_run:
        with transaction.atomic():  # both files or neither
            project_importer.write()
            importer.write()
    return result


def proposal_create(
    *, actor: AnyUser, call: Call, cluster: ClusterOrganisation, title: str, source: str = "web"
) -> Proposal:
    """A new proposal of the cluster for the call, at the idea stage; its managers, its agency's
    staff and the platform admin start one."""
    if not permissions.proposal_clusters(actor).filter(pk=cluster.pk).exists():
        raise PermissionDenied
    if not title.strip():
        raise DomainError("title", _("is required"))
    proposal = Proposal(
        call=call, cluster=cluster, title=title.strip()[:300], owner=acting_user(actor)
    )
    return audited_create(proposal, actor=actor, source=source)


def proposal_owner_set(
    *, actor: AnyUser, proposal: Proposal, owner: User, source: str = "web"
) -> Proposal:
    """Hands the proposal to another user (one who may edit its cluster)."""
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied
    if not permissions.proposal_clusters(owner).filter(pk=proposal.cluster_id).exists():
        raise DomainError("owner", _("may not edit the proposal's cluster"))
    with audited(proposal, actor=actor, source=source):
        proposal.owner = owner
        proposal.save(update_fields=["owner"])
    return proposal


def _editable(actor: AnyUser, proposal: Proposal) -> None:
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied
    if proposal.stage in pipeline.CLOSED:
        raise DomainError("stage", _("the proposal is closed"))


def partner_add(
    *, actor: AnyUser, proposal: Proposal, role: str, organisation: Organisation | None = None,
    name: str = "", pic: str = "", vat_number: str = "", country: str = "",
    budget_eur: Decimal | None = None, eu_contribution_eur: Decimal | None = None,
    source: str = "web",
) -> ProposalPartner:  # fmt: skip
    """A partner of the consortium: a registry organisation, or one outside the registry named
    with its country and, when it has them, its PIC (nine digits) and VAT number (the format
    VIES checks for its country)."""
    _editable(actor, proposal)
    return _partner_create(
        actor=actor, proposal=proposal, role=role, organisation=organisation, name=name, pic=pic,
        vat_number=vat_number, country=country, budget_eur=budget_eur,
        eu_contribution_eur=eu_contribution_eur, source=source,
    )  # fmt: skip


def _partner_create(
    *, actor: AnyUser, proposal: Proposal, role: str, organisation: Organisation | None,
    name: str = "", pic: str = "", vat_number: str = "", country: str = "",
    budget_eur: Decimal | None = None, eu_contribution_eur: Decimal | None = None, source: str,
) -> ProposalPartner:  # fmt: skip
    """The partner checked and written; the caller has checked who may add it."""
    if role not in ProposalPartner.Role.values:
        raise DomainError("role", _("unknown role"))
    if organisation is not None:
        name, country = organisation.name, organisation.country_id
        pic = pic or organisation.pic
        vat_number = vat_number or organisation.vat_number
        if proposal.partners.filter(organisation=organisation).exists():
            raise DomainError("organisation", _("is already a partner"))
    if not name.strip():
        raise DomainError("name", _("is required"))
    if pic and not linking.valid_pic(pic):
        raise DomainError("pic", _("a PIC has nine digits"))
    if not Country.objects.filter(code=country.upper()).exists():
        raise DomainError("country", _("unknown country"))
    vat_number = _vat_checked(vat_number, country.upper())
    for field_name, value in (
        ("budget_eur", budget_eur),
        ("eu_contribution_eur", eu_contribution_eur),
    ):
        if value is not None and value < 0:
            raise DomainError(field_name, _("must not be negative"))
    partner = ProposalPartner(
        proposal=proposal, organisation=organisation, name=name.strip()[:300], pic=pic.strip(),
        vat_number=vat_number, country=country.upper(), role=role, budget_eur=budget_eur,
        eu_contribution_eur=eu_contribution_eur,
    )  # fmt: skip
    return audited_create(partner, actor=actor, source=source)


def _vat_checked(value: str, country: str) -> str:
    """The VAT number in its canonical form ("ES B-15.123.456" → "ESB15123456"), when given:
    the country's prefix and the format VIES checks for it (registry/identifiers.py, with its
    source); no call to VIES, which says whether the number is registered, not its format."""
    if not value.strip():
        return ""
    number = registry_selectors.vat_number_normalised(value, country)
    if number is None:
        raise DomainError(
            "vat_number",
            _(
                "%(value)s is not a VAT number of %(country)s: it starts with %(prefix)s and "
                "follows the format the EU's VIES checks for that country"
            )
            % {
                "value": value.strip(),
                "country": country,
                "prefix": registry_selectors.vat_prefix(country),
            },
        )
    return number


def partner_remove(*, actor: AnyUser, partner: ProposalPartner, source: str = "web") -> None:
    _editable(actor, partner.proposal)
    with audited(partner, actor=actor, source=source):
        partner.delete()


def proposal_move(
    *, actor: AnyUser, proposal: Proposal, stage: str, on: date | None = None,
    score: Decimal | None = None, feedback: str = "", source: str = "web",
) -> Proposal:  # fmt: skip
    """Moves the proposal along the pipeline (pipeline.MOVES). It is submitted only with a
    consortium that meets the call's rules; a decision records its day, score and feedback."""
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied
    if not pipeline.can_move(proposal.stage, stage):
        raise DomainError(
            "stage",
            _("a proposal cannot move from %(current)s to %(target)s")
            % {"current": proposal.get_stage_display(), "target": stage},
        )
    if stage == pipeline.SUBMITTED:
        from atclusters.funding import selectors

        failed = [rule for rule in selectors.consortium_check(proposal) if not rule.met]
        if failed:
            raise DomainError(
                "stage",
                _("the consortium does not meet the call's rules: %(rules)s")
                % {"rules": "; ".join(selectors.rule_text(rule) for rule in failed)},
            )
    day = on or timezone.localdate()
    with audited(proposal, actor=actor, source=source):
        proposal.stage = stage
        if stage == pipeline.SUBMITTED:
            proposal.submitted_on = day
        if stage in (pipeline.EVALUATED, *pipeline.DECIDED):
            proposal.score = score if score is not None else proposal.score
            proposal.feedback = feedback.strip() or proposal.feedback
        if stage in pipeline.DECIDED:
            proposal.decided_on = day
        proposal.save()
    return proposal


def proposal_document_upload(
    *, actor: User, proposal: Proposal, upload: UploadedFile, title: str = "",
    document: ProposalDocument | None = None, note: str = "", source: str = "web",
) -> ProposalDocumentVersion:  # fmt: skip
    """A new document of the proposal, or a new version of one of its documents (the earlier
    versions stay downloadable): its editors and its partners' representatives upload, within
    the kernel's bounds on type and size (core.uploads)."""
    if not permissions.can_contribute(actor, proposal):
        raise PermissionDenied
    if document is not None and document.proposal_id != proposal.pk:
        raise DomainError("document", _("belongs to another proposal"))
    return documents.version_upload(  # type: ignore[return-value]
        actor=actor, upload=upload, document=document, title=title, note=note, source=source,
        new_document=lambda name: ProposalDocument(proposal=proposal, title=name),
    )  # fmt: skip


def task_add(
    *, actor: AnyUser, proposal: Proposal, title: str, due_on: date, owner: User | None = None,
    source: str = "web",
) -> ProposalTask:  # fmt: skip
    """A task of the proposal with its deadline, given to one of the proposal's people."""
    _editable(actor, proposal)
    if not title.strip():
        raise DomainError("title", _("is required"))
    if (
        owner is not None
        and not permissions.visible_proposals(owner).filter(pk=proposal.pk).exists()
    ):
        raise DomainError("owner", _("does not take part in the proposal"))
    task = ProposalTask(proposal=proposal, title=title.strip()[:300], owner=owner, due_on=due_on)
    return audited_create(task, actor=actor, source=source)


def task_done(
    *, actor: AnyUser, task: ProposalTask, done: bool = True, on: date | None = None,
    source: str = "web",
) -> ProposalTask:  # fmt: skip
    """Marks the task done (on the day) or open again."""
    if not permissions.can_finish_task(actor, task):
        raise PermissionDenied
    with audited(task, actor=actor, source=source, only=("done_on",)):
        task.done_on = (on or timezone.localdate()) if done else None
        task.save(update_fields=["done_on"])
    return task


def invitation_send(
    *, actor: AnyUser, proposal: Proposal, organisation: Organisation, role: str,
    message: str = "", source: str = "web",
) -> ProposalInvitation:  # fmt: skip
    """Invites a registry organisation to join the consortium in a role; its representatives
    are told by email and answer on the proposal's page."""
    _editable(actor, proposal)
    if role not in ProposalPartner.Role.values:
        raise DomainError("role", _("unknown role"))
    if proposal.partners.filter(organisation=organisation).exists():
        raise DomainError("organisation", _("is already a partner"))
    if proposal.invitations.filter(
        organisation=organisation, status=ProposalInvitation.Status.PENDING
    ).exists():
        raise DomainError("organisation", _("is already invited"))
    people = [user for user in organisation.representatives.all() if user.email]
    if not people:
        raise DomainError("organisation", _("has no representative on the platform to answer"))
    invitation = audited_create(
        ProposalInvitation(
            proposal=proposal, organisation=organisation, role=role,
            message=message.strip()[:2000], invited_by=acting_user(actor),
        ),
        actor=actor,
        source=source,
    )  # fmt: skip
    link = settings.SITE_URL.rstrip("/") + reverse("funding_proposal", args=[proposal.pk])
    values = {
        "cluster": proposal.cluster.name, "title": proposal.title,
        "call": proposal.call.identifier, "organisation": organisation.name, "link": link,
    }  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        email_queue(
            message=EmailMessage(
                subject=_("%(cluster)s invites %(organisation)s to an EU proposal") % values,
                body=_(
                    "%(cluster)s invites %(organisation)s to join the consortium of the "
                    "proposal “%(title)s” for the call %(call)s.\n\nAccept or decline here: "
                    "%(link)s\n"
                )
                % values,
                to=[user.email for user in people],
            )
        )
    return invitation


def invitation_answer(
    *, actor: AnyUser, invitation: ProposalInvitation, accept: bool, source: str = "web"
) -> ProposalInvitation:
    """The invited organisation's representative accepts (the organisation becomes a partner in
    the role offered) or declines."""
    if not permissions.can_answer_invitation(actor, invitation):
        raise PermissionDenied
    if invitation.status != ProposalInvitation.Status.PENDING:
        raise DomainError("invitation", _("has already been answered"))
    if invitation.proposal.stage in pipeline.CLOSED:
        raise DomainError("stage", _("the proposal is closed"))
    with transaction.atomic():
        if accept:
            _partner_create(
                actor=actor, proposal=invitation.proposal, role=invitation.role,
                organisation=invitation.organisation, source=source,
            )  # fmt: skip
        with audited(invitation, actor=actor, source=source):
            invitation.status = (
                ProposalInvitation.Status.ACCEPTED if accept else ProposalInvitation.Status.DECLINED
            )
            invitation.answered_by = acting_user(actor)
            invitation.answered_at = timezone.now()
            invitation.save()
    return invitation
