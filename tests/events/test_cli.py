"""`atclusters events …` as scripts use it: JSON out, exit code 2 naming the bad item."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.events import services
from atclusters.events.models import B2BRequest

pytestmark = pytest.mark.django_db


def run(*args) -> object:
    out = StringIO()
    call_command("events", *args, stdout=out)
    return json.loads(out.getvalue())


def test_schedule_an_instance_file(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(
        json.dumps(
            {
                "slots": ["s1", "s2"],
                "tables": 1,
                "participants": [
                    {"id": "p1", "available": ["s1", "s2"]},
                    {"id": "p2", "available": ["s1"]},
                    {"id": "p3", "available": ["s1", "s2"]},
                ],
                "requests": [{"a": "p1", "b": "p3", "priority": 1}, {"a": "p1", "b": "p2"}],
            }
        )
    )
    answer = run("schedule-b2b", "--input", str(path), "--json")
    assert (answer["held"], answer["requested"], answer["greedy_held"]) == (2, 2, 1)
    assert {"a": "p1", "b": "p2", "slot": "s1", "table": 1} in answer["meetings"]


def test_a_bad_instance_exits_2_naming_the_item(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"slots": ["s1"], "tables": 1, "participants": [{"id": "p1"}],
                                "requests": [{"a": "p1", "b": "p9"}]}))  # fmt: skip
    with pytest.raises(CommandError) as refused:
        call_command("events", "schedule-b2b", "--input", str(path), stdout=StringIO())
    assert refused.value.returncode == 2
    assert "requests[0].b" in str(refused.value) and "p9" in str(refused.value)


def test_schedule_a_stored_conference(world, events):
    conference = events.conference
    world.outsider.representatives.add(world.manager)
    profiles = []
    for user, organisation in ((world.rep, world.member), (world.manager, world.outsider)):
        registration = services.registration_create(actor=user, event=conference, user=user)
        profiles.append(
            services.b2b_profile_save(
                actor=user,
                registration=registration,
                organisation=organisation,
                available=conference.b2b_slots,
            )
        )
    request = services.b2b_request_create(
        actor=world.rep, requester=profiles[0], recipient=profiles[1]
    )
    services.b2b_request_answer(actor=world.manager, request=request, accept=True)
    answer = run("schedule-b2b", str(conference.pk), "--json")
    assert answer["meetings"] == [
        {"a": "member", "b": "outsider", "slot": conference.b2b_slots[0], "table": 1}
    ]
    assert B2BRequest.objects.get().table == 1
    with pytest.raises(CommandError) as refused:
        call_command("events", "schedule-b2b", "999", stdout=StringIO())
    assert refused.value.returncode == 2


def test_list_actions_and_certificates(world, events):
    services.action_add(
        actor=None, meeting=events.meeting, title="Call", owner=world.rep,
        due=events.meeting.starts_at.date(),
    )  # fmt: skip
    assert [a["title"] for a in run("actions", "--json")] == ["Call"]
    listed = run("list", "--json")
    assert {e["title"] for e in listed["events"]} == {"Procurement course", "Atlantic conference"}
    assert run("certificates", str(events.training.pk), "--json") == []
    with pytest.raises(CommandError):
        call_command("events", "certificates", str(events.conference.pk), stdout=StringIO())


def test_import_participants_all_or_nothing(tmp_path, world, events):
    good = tmp_path / "good.csv"
    good.write_text("username,organisation\nrep,member\nmanager,\nnobody,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("username,organisation\nrep,member\nghost,\nnobody,nowhere\n")
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("events", "import-participants", str(events.training.pk), str(bad),
                     "--json", stdout=out)  # fmt: skip
    assert exited.value.code == 2
    errors = json.loads(out.getvalue())["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "username"), (4, "organisation")]
    assert not events.training.registrations.exists()
    report = run("import-participants", str(events.training.pk), str(good), "--json")
    assert report["created"] == 3
    statuses = dict(events.training.registrations.values_list("user__username", "status"))
    assert statuses == {"rep": "confirmed", "manager": "confirmed", "nobody": "waiting"}
