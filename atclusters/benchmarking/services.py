"""Writes of the benchmarking domain. `actor=None` is the trusted command line."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from atclusters.benchmarking import frameworks, selectors
from atclusters.benchmarking.models import Framework, Indicator, Round, Submission
from atclusters.core.audit import acting_user, audit_record, snapshot
from atclusters.core.models import Agency, AuditEntry
from atclusters.registry.models import ClusterOrganisation
from atclusters.registry.permissions import (
    AnyUser,
    PermissionDenied,
    can_edit_cluster,
    is_platform_admin,
    staff_agency_ids,
)

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
    with transaction.atomic():
        framework = Framework.objects.create(
            slug=document["slug"],
            version=document["version"],
            name=document["name"],
            areas=document["areas"],
            label_rules=document.get("label_rules") or {},
            created_by=acting_user(actor),
        )
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
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            instance=framework,
            changes={key: [None, value] for key, value in snapshot(framework).items()},
            source=source,
        )
    return "created", framework


class SubmissionInvalid(ValueError):
    """Answers that cannot be saved or submitted: `errors` maps indicator codes to reasons."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{code}: {reason}" for code, reason in errors.items()))
        self.errors = errors


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
        raise SubmissionInvalid({"clusters": f"not clusters of {agency}: {', '.join(foreign)}"})
    indicators = _indicators(framework)
    with transaction.atomic():
        round_ = Round.objects.create(
            agency=agency,
            framework=framework,
            year=year,
            title=title,
            deadline=deadline,
            opened_by=acting_user(actor),
        )
        for cluster in clusters:
            figures = selectors.computed_indicators(cluster=cluster, year=year)
            prefilled = {
                code: figures[item["computed"]].value
                for code, item in indicators.items()
                if item.get("computed") in figures
                and figures[item["computed"]].value not in (None, "")
            }
            Submission.objects.create(
                round=round_, cluster=cluster, values=prefilled, computed=prefilled
            )
    return round_


def _may_answer(actor: AnyUser, submission: Submission) -> bool:
    return can_edit_cluster(actor, submission.cluster) if actor is not None else True


EDITABLE = (Submission.Status.DRAFT, Submission.Status.CHANGES_REQUESTED)


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
        raise SubmissionInvalid({"status": f"a {submission.status} submission is not editable"})
    indicators = _indicators(submission.round.framework)
    reasons = {**submission.reasons, **(reasons or {})}
    values = dict(submission.values)
    errors: dict[str, str] = {}
    for code, raw in answers.items():
        if code not in indicators:
            errors[code] = "not an indicator of this framework"
            continue
        try:
            value = frameworks.parse_value(indicators[code], raw)
        except ValueError as error:
            errors[code] = str(error)
            continue
        values[code] = value
        if code in submission.computed and value != submission.computed[code]:
            if not str(reasons.get(code, "")).strip():
                errors[code] = "differs from the computed value: give a reason"
        else:
            reasons.pop(code, None)
    if errors:
        raise SubmissionInvalid(errors)
    submission.values = {code: value for code, value in values.items() if value is not None}
    submission.reasons = reasons
    submission.save(update_fields=["values", "reasons", "updated_at"])
    return submission


def submission_submit(*, actor: AnyUser, submission: Submission) -> Submission:
    if not _may_answer(actor, submission):
        raise PermissionDenied
    if submission.status not in EDITABLE:
        raise SubmissionInvalid({"status": f"a {submission.status} submission cannot be sent"})
    missing = {
        code: "answer missing"
        for code, item in _indicators(submission.round.framework).items()
        if item["type"] != "text" and submission.values.get(code) is None
    }
    if missing:
        raise SubmissionInvalid(missing)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    return submission


def submission_review(
    *, actor: AnyUser, submission: Submission, validate: bool, comment: str = ""
) -> Submission:
    """Agency staff validate a submitted answer set or send it back with a comment."""
    agency = submission.round.agency_id
    if not (is_platform_admin(actor) or agency in staff_agency_ids(actor)):
        raise PermissionDenied
    if submission.status != Submission.Status.SUBMITTED:
        raise SubmissionInvalid({"status": "only a submitted answer set can be reviewed"})
    if not validate and not comment.strip():
        raise SubmissionInvalid({"comment": "say what should change"})
    submission.status = (
        Submission.Status.VALIDATED if validate else Submission.Status.CHANGES_REQUESTED
    )
    submission.review_comment = comment
    submission.validated_at = timezone.now() if validate else None
    submission.save(update_fields=["status", "review_comment", "validated_at", "updated_at"])
    return submission
