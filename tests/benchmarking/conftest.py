"""A round of the default framework opened by the world's agency for its published cluster."""

from datetime import date

import pytest

from atclusters.benchmarking import frameworks, services


@pytest.fixture
def submission(world):
    framework = services.framework_import(actor=None, document=frameworks.default_framework())[1]
    round_ = services.round_open(
        actor=world.staff,
        agency=world.agency,
        framework=framework,
        year=2025,
        title="Galician clusters 2025",
        deadline=date(2026, 3, 31),
        clusters=[world.cluster],
    )
    return round_.submissions.get()


def all_answers(submission) -> dict:
    answers = {}
    for item in frameworks.default_framework()["indicators"]:
        if item["code"] in submission.values:
            continue
        answers[item["code"]] = {"boolean": "yes", "choice": "bronze", "text": "x"}.get(
            item["type"], "1"
        )
    return answers
