"""Calls ranked for a cluster by the cooperation matching engine, with reasons; calls a
cluster's country may not apply to are left out; the deadline calendar and "My work"."""

import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atclusters.core.models import Term
from atclusters.funding import selectors
from tests.funding.factories import BEFORE, call_saved, portal_imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(world):
    cluster = world.cluster
    cluster.description_en = (
        "Food processing companies of Galicia: seafood canning, dairy and minimally processed "
        "foods for healthier diets."
    )
    cluster.save()
    cluster.ecosystems.add(Term.objects.get(kind="ecosystem", slug="agri-food"))
    return cluster


def test_a_food_cluster_gets_the_food_call_first_with_reasons(food):
    portal_imported()
    ranked = selectors.ranked_calls(food, top=5, now=BEFORE)
    assert ranked[0].call.identifier == "HORIZON-CL6-2026-FARM2FORK-01-03"
    reasons = ranked[0].reasons
    assert "both in Agri-food ecosystem" in reasons
    assert any(reason.startswith("similar descriptions") for reason in reasons)
    assert "the call's keywords in your description: Food processing" in reasons
    assert ranked[0].deadline.isoformat() == "2026-09-17T17:00:00+02:00"
    # The climate call shares nothing with the cluster.
    assert "LIFE-2026-SAP-CLIMA" not in [r.call.identifier for r in ranked]
    assert all(later.score <= earlier.score for earlier, later in itertools.pairwise(ranked))


def test_the_reasons_names_are_read_once_per_answer_not_once_per_reason(food):
    """Each reason cites names in the reader's language (NACE, terms, categories): read per
    reason, ten calls' reasons cost hundreds of queries and made a ranking 10x slower."""
    for n in range(10):
        call_saved(f"FOOD-{n}", keywords=["Food processing"])
    selectors.ranked_calls(food, top=10, now=BEFORE)  # indexes built
    with CaptureQueriesContext(connection) as one:
        one_call = selectors.ranked_calls(food, top=1, now=BEFORE)
    with CaptureQueriesContext(connection) as ten:
        ten_calls = selectors.ranked_calls(food, top=10, now=BEFORE)
    assert len(one_call) == 1 and len(ten_calls) == 10
    assert sum(len(r.reasons) for r in ten_calls) >= 10
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_calls_the_clusters_country_may_not_apply_to_are_left_out(food):
    call_saved("ONLY-FR", eligible_countries=["FR"], keywords=["Food processing"])
    call_saved("ES-TOO", eligible_countries=["ES", "FR"], keywords=["Food processing"])
    found = [r.call.identifier for r in selectors.ranked_calls(food, top=5, now=BEFORE)]
    assert found == ["ES-TOO"]


def test_closed_calls_and_draft_clusters_are_not_ranked(world, food):
    portal_imported()
    assert selectors.ranked_calls(food, now=BEFORE.replace(year=2028)) == []
    assert selectors.ranked_calls(world.draft, now=BEFORE) == []


def test_the_deadline_calendar_lists_each_stage(client, food):
    portal_imported()
    with time_machine.travel(BEFORE, tick=False):
        text = client.get(reverse("funding_calendar")).content.decode()
        ranked = client.get(reverse("funding_calendar"), {"cluster": food.slug}).content.decode()
        hidden = client.get(reverse("funding_calendar"), {"cluster": "hidden"})
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Deadline\\, stage 1: HORIZON-CL6-2026-FARM2FORK-01-03" in text
    assert "DTEND:20260917T150000Z" in text and "DTEND:20270217T160000Z" in text
    assert text.count("BEGIN:VEVENT") == 4  # two stages, two single deadlines
    assert "FARM2FORK" in ranked and "LIFE-2026" not in ranked
    assert hidden.status_code == 404


def test_my_work_alerts_the_manager_to_calls_closing_soon(client, world, food):
    portal_imported()
    client.force_login(world.manager)
    with time_machine.travel(BEFORE.replace(month=9, day=1), tick=False):
        page = client.get(reverse("dashboard")).content.decode()
    assert "Calls for Food Cluster closing within 30 days" in page
    assert "Innovative food processing technologies" in page
    client.force_login(world.rep)
    with time_machine.travel(BEFORE.replace(month=9, day=1), tick=False):
        assert "closing within" not in client.get(reverse("dashboard")).content.decode()


def test_a_call_closed_earlier_today_is_not_ranked(food):
    from datetime import timedelta

    moment = BEFORE + timedelta(hours=1)
    call_saved("CLOSES-TODAY", deadlines=[moment], keywords=["Food processing"])
    assert [r.call.identifier for r in selectors.ranked_calls(food, now=BEFORE)] == ["CLOSES-TODAY"]
    assert selectors.ranked_calls(food, now=moment + timedelta(minutes=1)) == []


def test_managers_are_emailed_fitting_calls_two_weeks_before_the_deadline(world, food, mailoutbox):
    from datetime import timedelta

    from atclusters.funding import tasks

    portal_imported()
    two_weeks_before = BEFORE.replace(month=9, day=3)  # the first stage closes on 17 September
    with time_machine.travel(two_weeks_before, tick=False):
        assert tasks.deadline_alerts.call() == 1
    [mail] = mailoutbox
    assert mail.to == [world.manager.email]
    assert "14 days to the deadline" in mail.subject
    assert "HORIZON-CL6-2026-FARM2FORK-01-03" in mail.body and "Agri-food" in mail.body
    with time_machine.travel(two_weeks_before + timedelta(days=1), tick=False):
        assert tasks.deadline_alerts.call() == 0
