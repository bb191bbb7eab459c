"""Writes of the benchmarking domain. `actor=None` is the trusted command line."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atclusters.benchmarking import disclosure, frameworks, selectors, workbook
from atclusters.benchmarking.models import (
    ClusterPolicy,
    Framework,
    Indicator,
    PeerPool,
    PeerRelease,
    PeerSet,
    PeerView,
    PolicyProgramme,
    Round,
    Submission,
)
from atclusters.core import smallcells
from atclusters.core.audit import acting_user, audited, audited_create
from atclusters.core.errors import InvalidFields
from atclusters.core.importing import import_limits
from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.core.tables import TableError
from atclusters.registry.models import ClusterOrganisation
from atclusters.registry.permissions import can_edit_cluster

# Document key → model field, for the optional indicator fields.
OPTIONAL_FIELDS = {
    "unit": "unit",
    "min": "minimum",
    "max": "maximum",
    "choices": "choices",
    "higher_is_better": "higher_is_better",
    "threshold": "threshold",
    "weight": "weight",
    "computed": "computed",
    "knock_out": "knock_out",
}


def framework_import(
    *, actor: AnyUser, document: dict[str, Any], source: str = "web"
) -> tuple[str, Framework]:
    """Stores a checked framework document as a new version. The same version again:
    unchanged if identical, refused if different (stored versions never change)."""
    if not is_platform_admin(actor):
        raise PermissionDenied
    problems = frameworks.check(document)
    if problems:
        raise frameworks.FrameworkError(problems)
    existing = Framework.objects.filter(slug=document["slug"], version=document["version"]).first()
    if existing is not None:
        if selectors.framework_document(existing) == selectors.normalised(document):
            return "unchanged", existing
        raise frameworks.FrameworkError(
            [
                f"version: {document['slug']} version {document['version']} is stored with "
                "other content; give the changed framework a new version"
            ]
        )
    new = Framework(
        slug=document["slug"],
        version=document["version"],
        kind=frameworks.kind_of(document),
        name=document["name"],
        areas=document["areas"],
        label_rules=document.get("label_rules") or {},
        created_by=acting_user(actor),
    )
    with audited(new, actor=actor, source=source) as framework:
        framework.save()
        Indicator.objects.bulk_create(
            Indicator(
                framework=framework,
                position=position,
                code=item["code"],
                area=item["area"],
                type=item["type"],
                label=item["label"],
                help=item["help"],
                **{field: item[key] for key, field in OPTIONAL_FIELDS.items() if key in item},
            )
            for position, item in enumerate(document["indicators"])
        )
    return "created", framework


def _indicators(framework: Framework) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in selectors.framework_document(framework)["indicators"]}


def round_open(
    *,
    actor: AnyUser,
    agency: Agency,
    framework: Framework,
    year: int,
    title: str,
    deadline: date,
    clusters: list[ClusterOrganisation],
) -> Round:
    """Opens a round for the agency's clusters; each gets a draft pre-filled with what the
    platform computes."""
    if not (is_platform_admin(actor) or agency.pk in staff_agency_ids(actor)):
        raise PermissionDenied
    foreign = [cluster.slug for cluster in clusters if cluster.agency_id != agency.pk]
    if foreign:
        raise InvalidFields(
            {
                "clusters": _("not clusters of %(agency)s: %(clusters)s")
                % {"agency": agency, "clusters": ", ".join(foreign)}
            }
        )
    indicators = _indicators(framework)
    new = Round(
        agency=agency,
        framework=framework,
        year=year,
        title=title,
        deadline=deadline,
        opened_by=acting_user(actor),
    )
    with audited(new, actor=actor) as round_:
        round_.save()
        for cluster in clusters:
            figures = selectors.computed_indicators(cluster=cluster, year=year)
            prefilled = {
                code: figures[item["computed"]].value
                for code, item in indicators.items()
                if item.get("computed") in figures
                and figures[item["computed"]].value not in (None, "")
            }
            audited_create(
                Submission(round=round_, cluster=cluster, values=prefilled, computed=prefilled),
                actor=actor,
            )
    return round_


def _may_answer(actor: AnyUser, submission: Submission) -> bool:
    return can_edit_cluster(actor, submission.cluster) if actor is not None else True


EDITABLE = (Submission.Status.DRAFT, Submission.Status.CHANGES_REQUESTED)

ANSWER_ERRORS = {
    frameworks.NOT_A_NUMBER: gettext_lazy("“%(raw)s” is not a number"),
    frameworks.BELOW_MINIMUM: gettext_lazy("must be at least %(bound)s"),
    frameworks.ABOVE_MAXIMUM: gettext_lazy("must be at most %(bound)s"),
    frameworks.NOT_YES_OR_NO: gettext_lazy("“%(raw)s” is not yes or no"),
    frameworks.NOT_A_CHOICE: gettext_lazy("“%(raw)s” is not one of %(choices)s"),
    frameworks.NOT_A_DATE: gettext_lazy("“%(raw)s” is not a date (YYYY-MM-DD)"),
    frameworks.TOO_LONG: gettext_lazy("longer than %(limit)s characters"),
}


def answer_error(error: frameworks.AnswerInvalid) -> str:
    """Why an answer does not fit its indicator, in the reader's language."""
    values = {
        key: number_format(int(value) if float(value).is_integer() else value)
        if isinstance(value, float | int)
        else value
        for key, value in error.values.items()
    }
    return str(ANSWER_ERRORS[error.code]) % values


def _status(submission: Submission) -> dict[str, str]:
    return {"status": str(submission.get_status_display())}


def submission_save(
    *,
    actor: AnyUser,
    submission: Submission,
    answers: dict[str, Any],
    reasons: dict[str, str] | None = None,
) -> Submission:
    """Saves answers (all or nothing): each is typed and checked against its indicator; an
    answer that differs from the computed value needs a reason."""
    if not _may_answer(actor, submission):
        raise PermissionDenied
    if submission.status not in EDITABLE:
        raise InvalidFields(
            {"status": _("a %(status)s answer set is not editable") % _status(submission)}
        )
    indicators = _indicators(submission.round.framework)
    reasons = {**submission.reasons, **(reasons or {})}
    values = dict(submission.values)
    errors: dict[str, str] = {}
    for code, raw in answers.items():
        if code not in indicators:
            errors[code] = _("not an indicator of this framework")
            continue
        try:
            value = frameworks.parse_value(indicators[code], raw)
        except frameworks.AnswerInvalid as error:
            errors[code] = answer_error(error)
            continue
        values[code] = value
        if code in submission.computed and value != submission.computed[code]:
            if not str(reasons.get(code, "")).strip():
                errors[code] = _("differs from the computed value: give a reason")
        else:
            reasons.pop(code, None)
    if errors:
        raise InvalidFields(errors)
    with audited(submission, actor=actor):
        submission.values = {code: value for code, value in values.items() if value is not None}
        submission.reasons = reasons
        submission.save(update_fields=["values", "reasons", "updated_at"])
    return submission


def submission_submit(*, actor: AnyUser, submission: Submission) -> Submission:
    if not _may_answer(actor, submission):
        raise PermissionDenied
    if submission.status not in EDITABLE:
        raise InvalidFields(
            {"status": _("a %(status)s answer set cannot be sent") % _status(submission)}
        )
    missing = {
        code: _("answer missing")
        for code in selectors.required_codes(submission.round.framework)
        if submission.values.get(code) is None
    }
    if missing:
        raise InvalidFields(missing)
    with audited(submission, actor=actor):
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["status", "submitted_at", "updated_at"])
    return submission


def submission_review(
    *,
    actor: AnyUser,
    submission: Submission,
    validate: bool,
    comment: str = "",
    at: datetime | None = None,
) -> Submission:
    """Agency staff validate a submitted answer set or send it back with a comment. `at` is
    when the review took place, now unless a trusted caller records a past one (the demo's
    earlier rounds): a benchmarking counts from the day it was validated (Silver's window)."""
    agency = submission.round.agency_id
    if not (is_platform_admin(actor) or agency in staff_agency_ids(actor)):
        raise PermissionDenied
    if submission.status != Submission.Status.SUBMITTED:
        raise InvalidFields({"status": _("only a submitted answer set can be reviewed")})
    if not validate and not comment.strip():
        raise InvalidFields({"comment": _("say what should change")})
    with audited(submission, actor=actor):
        submission.status = (
            Submission.Status.VALIDATED if validate else Submission.Status.CHANGES_REQUESTED
        )
        submission.review_comment = comment
        submission.validated_at = (at or timezone.now()) if validate else None
        if validate:  # the peer groups of the year are drawn from the profile as it is now
            submission.profile = selectors.profile_snapshot(submission)
        submission.save(
            update_fields=["status", "review_comment", "validated_at", "profile", "updated_at"]
        )
    return submission


class _PoolState:
    """A pool's answers and every group shown for it, read under the pool's lock, with the
    groups released during this call added as they are made."""

    def __init__(self, pool: PeerPool, codes: list[str]):
        self.pool = pool
        self.codes = codes
        self.answers = selectors.pool_answers(framework_slug=pool.framework_slug, year=pool.year)
        shown = selectors.pool_views(pool)
        self.members = dict(shown.members)
        self.releases = shown.releases
        self._unanswered = {  # most answers report every indicator
            pk: [code for code in codes if answer.values.get(code) is None]
            for pk, answer in self.answers.by_id.items()
        }
        self._sets: dict[frozenset[int], frozenset[int]] = {}
        self._reporting: dict[frozenset[int], dict[str, frozenset[int]]] = {}
        knowledge = selectors.reader_knowledge(answers=self.answers)
        self.shown = disclosure.ShownGroups(lambda cluster: knowledge.get(cluster, [frozenset()]))
        self.views: dict[tuple[int, str], PeerView] = {}  # the newest of each cluster's group
        for view in reversed(shown.views):  # in the order shown
            self.add(view)

    def reporting(self, members: frozenset[int]) -> dict[str, frozenset[int]]:
        """Per indicator, the members that reported it; one object per distinct set, so that
        the groups sharing a set share the guard's work."""
        found = self._reporting.get(members)
        if found is None:
            unanswered: dict[str, set[int]] = {}
            for pk in members:
                for code in self._unanswered[pk]:
                    unanswered.setdefault(code, set()).add(pk)
            found = self._reporting[members] = {}
            for code in self.codes:
                reporting = members - unanswered[code] if code in unanswered else members
                found[code] = self._sets.setdefault(reporting, reporting)
        return found

    def _shown(self, view: PeerView) -> disclosure.Shown:
        reporting = self.reporting(self.members[view.release_id])
        return disclosure.Shown(
            cluster=view.cluster_id,
            group=view.group,
            reporting={code: reporting[code] for code in view.shown if code in reporting},
        )

    def judge(
        self, cluster_id: int, members: frozenset[int]
    ) -> tuple[list[str], dict[str, dict[str, str]]]:
        """The indicators a group may show in the cluster's comparison, and why the others
        with enough peers may not (`disclosure.conflicts`)."""
        own = self.answers.of_cluster(cluster_id)
        reporting = self.reporting(members)
        enough = {
            code: found
            for code, found in reporting.items()
            if smallcells.enough(len(found - own), settings.BENCHMARKING_MIN_GROUP)
        }
        conflicting = disclosure.conflicts(
            cluster=cluster_id,
            reporting=enough,
            shown=self.shown,
            min_group=settings.BENCHMARKING_MIN_GROUP,
        )
        withheld = {
            code: {
                "reason": conflict.reason,
                "group": (
                    conflict.other.group
                    if conflict.other and conflict.other.cluster == cluster_id
                    else ""
                ),
            }
            for code, conflict in conflicting.items()
        }
        return [code for code in enough if code not in conflicting], withheld

    def release(self, key: str, members: frozenset[int]) -> PeerRelease:
        for release in self.releases.get(key, []):
            if self.members[release.pk] == members:
                return release
        release = PeerRelease.objects.create(pool=self.pool, key=key)
        release.members.set(members)
        self.releases.setdefault(key, []).insert(0, release)
        self.members[release.pk] = members
        return release

    def add(self, view: PeerView) -> None:
        self.views[view.cluster_id, view.group] = view
        self.shown.add(self._shown(view))


def _peer_view(
    state: _PoolState, *, actor: AnyUser, submission: Submission, group: str, source: str
) -> PeerView:
    """The group as the cluster's comparison shows it: the view shown before, as long as the
    group has not changed; else the group as it is now or as last released for another cluster
    defined the same way, whichever may show more, provided it shows at least what was shown
    before (docs/benchmarking.md, "Differencing")."""
    key, members = selectors.peer_group(submission=submission, group=group, answers=state.answers)
    current = state.views.get((submission.cluster_id, group))
    if current is not None and state.members[current.release_id] == members:
        return current
    candidates = [members]
    released = state.releases.get(key)
    if released and state.members[released[0].pk] != members:
        candidates.append(state.members[released[0].pk])
    judged = [(chosen, *state.judge(submission.cluster_id, chosen)) for chosen in candidates]
    chosen, shown, withheld = max(judged, key=lambda outcome: len(outcome[1]))
    if current is not None and (
        state.members[current.release_id] == chosen or not set(shown) >= set(current.shown)
    ):
        return current
    new = PeerView(
        release=state.release(key, chosen),
        cluster=submission.cluster,
        group=group,
        shown=shown,
        withheld=withheld,
        created_by=acting_user(actor),
    )
    # The entry says what the group is, not the release's primary key.
    summary: dict[str, list[Any]] = {
        "group": [None, group],
        "release": [None, key],
        "peers": [None, len(chosen - state.answers.of_cluster(submission.cluster_id))],
        "shown": [None, shown],
        "withheld": [None, sorted(withheld)],
    }
    with audited(new, actor=actor, source=source, changes=summary) as view:
        view.save()
    state.add(view)
    return view


def peer_comparison_show(
    *, actor: AnyUser, submission: Submission, group: str = "all", source: str = "web"
) -> dict[str, Any]:
    """The comparison of validated answers with a peer group, as every reader of the cluster's
    comparison sees it (`selectors.peer_comparison`). Showing releases groups: the cluster's
    first comparison of a framework and year releases its seven standard groups together, in
    the order of `PEER_GROUPS`; a hand-picked group is released when first asked. Each group
    released is checked against every group shown for that framework and year, for any
    cluster, and kept; later reads show it as released. Releases happen under the pool's row
    lock (docs/benchmarking.md, "Differencing")."""
    if actor is not None and not can_edit_cluster(actor, submission.cluster):
        raise PermissionDenied
    if submission.status != Submission.Status.VALIDATED:
        raise ValueError("only validated answers are compared with peers")
    if submission.round.framework.kind != Framework.Kind.BENCHMARKING:
        raise ValueError("a Gold assessment is not compared with peers")
    framework = submission.round.framework
    answers = selectors.pool_answers(
        framework_slug=framework.slug, year=submission.round.year, with_values=False
    )
    _key, members = selectors.peer_group(submission=submission, group=group, answers=answers)
    view = selectors.latest_view(submission=submission, group=group)
    if view is None or selectors.release_members(view.release) != members:
        with transaction.atomic():
            pool = PeerPool.objects.get_or_create(
                framework_slug=framework.slug, year=submission.round.year
            )[0]
            pool = PeerPool.objects.select_for_update().get(pk=pool.pk)
            state = _PoolState(pool, selectors.numeric_codes(framework))
            for name in selectors.PEER_GROUPS:
                if (submission.cluster_id, name) not in state.views:
                    _peer_view(state, actor=actor, submission=submission, group=name, source=source)
            view = _peer_view(state, actor=actor, submission=submission, group=group, source=source)
    return selectors.peer_comparison(submission=submission, view=view)


def peer_set_save(
    *, actor: AnyUser, cluster: ClusterOrganisation, name: str, members: list[ClusterOrganisation]
) -> PeerSet:
    """A hand-picked peer group for the cluster. Sets cannot be changed or removed once
    made (see `PeerSet`); a different choice is a new set."""
    if actor is not None and not can_edit_cluster(actor, cluster):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("give the group a name")
    elif PeerSet.objects.filter(cluster=cluster, name=name).exists():
        errors["name"] = _("%(cluster)s already has a peer group named “%(name)s”") % {
            "cluster": cluster,
            "name": name,
        }
    chosen = {member.pk: member for member in members if member.pk != cluster.pk}
    if not smallcells.enough(len(chosen), settings.BENCHMARKING_MIN_GROUP):
        errors["members"] = _("choose at least %(least)s other clusters (%(chosen)s chosen)") % {
            "least": settings.BENCHMARKING_MIN_GROUP,
            "chosen": len(chosen),
        }
    if errors:
        raise InvalidFields(errors)
    new = PeerSet(cluster=cluster, name=name, created_by=acting_user(actor))
    with audited(new, actor=actor) as peer_set:
        peer_set.save()
        peer_set.members.set(chosen.values())
    return peer_set


def _may_edit_policy(actor: AnyUser, agency: Agency) -> bool:
    return actor is None or is_platform_admin(actor) or agency.pk in staff_agency_ids(actor)


PROGRAMME_FIELDS = (
    "name", "instrument", "budget_eur", "clusters_supported", "eligibility", "legal_basis",
    "aid_programme", "results",
)  # fmt: skip


def _programme_errors(position: int, item: dict[str, Any]) -> dict[str, str]:
    errors = {}
    prefix = f"programmes[{position}]"
    if not str(item.get("name", "")).strip():
        errors[f"{prefix}.name"] = _("missing")
    if item.get("instrument") not in PolicyProgramme.Instrument.values:
        errors[f"{prefix}.instrument"] = _("must be one of %(values)s") % {
            "values": ", ".join(PolicyProgramme.Instrument.values)
        }
    if item.get("legal_basis") not in PolicyProgramme.LegalBasis.values:
        errors[f"{prefix}.legal_basis"] = _("must be one of %(values)s") % {
            "values": ", ".join(PolicyProgramme.LegalBasis.values)
        }
    try:
        budget = Decimal(str(item.get("budget_eur")))
        if not budget.is_finite() or budget < 0 or budget >= Decimal("1e12"):
            raise InvalidOperation
    except InvalidOperation:
        errors[f"{prefix}.budget_eur"] = _("must be an amount in euros, 0 or more")
    supported = item.get("clusters_supported", 0)
    if not isinstance(supported, int) or isinstance(supported, bool) or supported < 0:
        errors[f"{prefix}.clusters_supported"] = _("must be a whole number, 0 or more")
    results = item.get("results", {})
    if not isinstance(results, dict) or not all(
        isinstance(value, int | float | str) and not isinstance(value, bool)
        for value in results.values()
    ):
        errors[f"{prefix}.results"] = _("must map indicator names to numbers or text")
    unknown = set(item) - set(PROGRAMME_FIELDS)
    if unknown:
        errors[f"{prefix}"] = _("unknown fields: %(fields)s") % {
            "fields": ", ".join(sorted(unknown))
        }
    return errors


def _programme_text(values: dict[str, Any]) -> dict[str, str]:
    return {field: str(values.get(field, "")) for field in PROGRAMME_FIELDS}


def policy_save(
    *,
    actor: AnyUser,
    agency: Agency,
    year: int,
    summary: str,
    clusters_recognised: int,
    programmes: list[dict[str, Any]],
    source: str = "web",
) -> ClusterPolicy:
    """Records (or replaces) the agency's cluster policy of a year with its programmes, all or
    nothing."""
    if not _may_edit_policy(actor, agency):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not 1990 <= year <= 2100:
        errors["year"] = _("must be a year between 1990 and 2100")
    if not isinstance(clusters_recognised, int) or clusters_recognised < 0:
        errors["clusters_recognised"] = _("must be a whole number, 0 or more")
    for position, item in enumerate(programmes):
        errors.update(_programme_errors(position, item))
    if errors:
        raise InvalidFields(errors)
    policy = ClusterPolicy.objects.filter(agency=agency, year=year).first() or ClusterPolicy(
        agency=agency, year=year
    )
    before = [_programme_text(vars(p)) for p in policy.programmes.all()] if policy.pk else []
    after = [_programme_text(item) for item in programmes]
    with audited(policy, actor=actor, source=source, changes={"programmes": [before, after]}):
        policy.summary = summary
        policy.clusters_recognised = clusters_recognised
        policy.save()
        policy.programmes.all().delete()
        PolicyProgramme.objects.bulk_create(
            PolicyProgramme(
                policy=policy,
                name=str(item["name"]).strip(),
                instrument=item["instrument"],
                budget_eur=Decimal(str(item["budget_eur"])),
                clusters_supported=item.get("clusters_supported", 0),
                eligibility=item.get("eligibility", ""),
                legal_basis=item["legal_basis"],
                aid_programme=item.get("aid_programme", ""),
                results=item.get("results", {}),
            )
            for item in programmes
        )
    return policy


def submission_upload(*, actor: AnyUser, submission: Submission, content: bytes) -> Submission:
    """Answers from the round's filled Excel template, all or nothing; errors name the cells
    (`Answers!H7`)."""
    if not _may_answer(actor, submission):
        raise PermissionDenied
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise InvalidFields(
            {
                "file": _("%(size)s bytes; the limit is %(limit)s bytes")
                % {
                    "size": number_format(len(content), force_grouping=True),
                    "limit": number_format(settings.IMPORT_MAX_BYTES, force_grouping=True),
                }
            }
        )
    codes = list(_indicators(submission.round.framework))
    try:
        filled = workbook.read(content, codes=codes, limits=import_limits())
    except TableError as error:
        raise InvalidFields({"file": str(error)}) from error
    if (filled.round_id, filled.cluster) != (submission.round_id, submission.cluster.slug):
        raise InvalidFields(
            {
                f"{workbook.SHEET}!B1": _(
                    "this file is the template of round %(round)s for %(cluster)s, not of round "
                    "%(expected_round)s for %(expected_cluster)s"
                )
                % {
                    "round": filled.round_id,
                    "cluster": filled.cluster,
                    "expected_round": submission.round_id,
                    "expected_cluster": submission.cluster.slug,
                }
            }
        )
    try:
        return submission_save(
            actor=actor, submission=submission, answers=filled.answers, reasons=filled.reasons
        )
    except InvalidFields as error:
        raise InvalidFields(
            {
                f"{workbook.SHEET}!{filled.answer_cell(code)}" if code in filled.rows else code: (
                    f"{code}: {reason}"
                )
                for code, reason in error.errors.items()
            }
        ) from error


COUNTRY_LANGUAGES = {"ES": "es", "PT": "pt", "FR": "fr"}


def deadline_reminders_send(*, today: date) -> int:
    """Emails the managers of every cluster whose answers are not sent yet when a reminder
    point (`BENCHMARKING_REMINDER_DAYS` before the deadline) has been reached; each point once,
    so running it again the same day, or after a missed day, sends nothing twice."""
    points = sorted(settings.BENCHMARKING_REMINDER_DAYS)
    due = (
        Submission.objects.filter(status__in=EDITABLE, round__deadline__gte=today)
        .filter(round__deadline__lte=today + timedelta(days=max(points, default=0)))
        .select_related("round", "round__agency", "cluster")
        .prefetch_related("cluster__managers")
    )
    sent = 0
    for submission in due:
        days_left = (submission.round.deadline - today).days
        reached = [point for point in points if point >= days_left]
        if not reached or set(reached) <= set(submission.reminders_sent):
            continue
        recipients = [
            manager.email for manager in submission.cluster.managers.all() if manager.email
        ]
        if recipients:
            _reminder_email(submission, days_left, recipients)
            sent += 1
        submission.reminders_sent = sorted(set(submission.reminders_sent) | set(reached))
        submission.save(update_fields=["reminders_sent"])
    return sent


def _reminder_email(submission: Submission, days_left: int, recipients: list[str]) -> None:
    language = COUNTRY_LANGUAGES.get(submission.round.agency.country_id, "en")
    with translation.override(language):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "benchmarking_submission", args=[submission.pk]
        )
        send_mail(
            subject=_("Benchmarking: %(cluster)s's answers are due on %(deadline)s")
            % {"cluster": submission.cluster.name, "deadline": submission.round.deadline},
            message=_(
                "%(agency)s asks %(cluster)s to answer the round “%(round)s” by %(deadline)s "
                "(%(days)s days left). The answers have not been sent yet.\n\n"
                "Answer here:\n%(link)s\n"
            )
            % {
                "agency": submission.round.agency.name,
                "cluster": submission.cluster.name,
                "round": submission.round.title,
                "deadline": submission.round.deadline,
                "days": days_left,
                "link": link,
            },
            from_email=None,
            recipient_list=recipients,
        )
