"""A benchmarking round from opening to validation: pre-filled answers, typed and all-or-nothing
saving, reasons for overriding computed values, submission, review, and who may do what."""

from datetime import date

import pytest

from atclusters.benchmarking import services
from atclusters.benchmarking.models import Submission
from atclusters.core.errors import InvalidFields
from atclusters.core.permissions import PermissionDenied
from tests.benchmarking.conftest import all_answers

pytestmark = pytest.mark.django_db


def test_a_round_runs_end_to_end(world, submission):
    assert submission.values["S01"] == 1  # the world's cluster has one current member
    assert submission.computed["S03"] == 1
    with pytest.raises(InvalidFields) as missing:
        services.submission_submit(actor=world.manager, submission=submission)
    assert "G04" in missing.value.errors
    services.submission_save(
        actor=world.manager, submission=submission, answers=all_answers(submission)
    )
    services.submission_submit(actor=world.manager, submission=submission)
    with pytest.raises(InvalidFields, match="say what should change"):
        services.submission_review(actor=world.staff, submission=submission, validate=False)
    services.submission_review(
        actor=world.staff, submission=submission, validate=False, comment="G01 looks low"
    )
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    services.submission_save(actor=world.manager, submission=submission, answers={"G01": "1.5"})
    services.submission_submit(actor=world.manager, submission=submission)
    services.submission_review(actor=world.staff, submission=submission, validate=True)
    submission.refresh_from_db()
    assert submission.status == "validated" and submission.values["G01"] == 1.5
    with pytest.raises(InvalidFields, match="not editable"):
        services.submission_save(actor=world.manager, submission=submission, answers={"G01": "2"})


def test_saving_is_all_or_nothing_and_overrides_need_a_reason(world, submission):
    with pytest.raises(InvalidFields) as error:
        services.submission_save(
            actor=world.manager,
            submission=submission,
            answers={"G01": "2", "S02": "140", "S01": "3", "X99": "1"},
        )
    assert error.value.errors == {
        "S02": "must be at most 100",
        "S01": "differs from the computed value: give a reason",
        "X99": "not an indicator of this framework",
    }
    submission.refresh_from_db()
    assert "G01" not in submission.values  # nothing saved
    services.submission_save(
        actor=world.manager,
        submission=submission,
        answers={"S01": "3"},
        reasons={"S01": "two members joined after the registry was updated"},
    )
    assert submission.values["S01"] == 3 and "S01" in submission.reasons


def test_who_may_open_fill_and_review(world, submission):
    for user in (world.other_staff, world.rep, world.nobody):
        with pytest.raises(PermissionDenied):
            services.submission_save(actor=user, submission=submission, answers={"G01": "1"})
    with pytest.raises(PermissionDenied):
        services.round_open(
            actor=world.manager, agency=world.agency, framework=submission.round.framework,
            year=2025, title="x", deadline=date(2026, 1, 1), clusters=[],
        )  # fmt: skip
    with pytest.raises(InvalidFields, match="not clusters of"):
        services.round_open(
            actor=world.staff, agency=world.agency, framework=submission.round.framework,
            year=2025, title="x", deadline=date(2026, 1, 1), clusters=[world.other_cluster],
        )  # fmt: skip
    services.submission_save(
        actor=world.manager, submission=submission, answers=all_answers(submission)
    )
    services.submission_submit(actor=world.manager, submission=submission)
    with pytest.raises(PermissionDenied):
        services.submission_review(actor=world.manager, submission=submission, validate=True)
    with pytest.raises(PermissionDenied):
        services.submission_review(actor=world.other_staff, submission=submission, validate=True)
