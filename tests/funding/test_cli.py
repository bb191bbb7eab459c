"""`atclusters eu …` (`funding` is the same command) as scripts use it: JSON out, exit codes
0 / 2."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.core.models import AuditEntry, Term
from atclusters.funding.models import CallFeed
from tests.factories import OrganisationFactory
from tests.funding.factories import BEFORE, FIXTURES

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, object]:
    out = StringIO()
    try:
        call_command("eu", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    text = out.getvalue()
    return code, json.loads(text) if "--json" in args else text


def test_import_calls_then_rank_them_for_a_cluster(world, tmp_path):
    import time_machine

    world.cluster.description_en = "Food processing: seafood canning and dairy."
    world.cluster.save()
    world.cluster.ecosystems.add(Term.objects.get(kind="ecosystem", slug="agri-food"))
    code, report = run("import-calls", str(FIXTURES / "sedia_search.json"), "--json")
    assert code == 0 and report["created"] == 3
    assert AuditEntry.objects.filter(model="funding.call", source="cli").count() == 3
    with time_machine.travel(BEFORE, tick=False):
        code, ranked = run("calls", "--cluster", world.cluster.slug, "--top", "1", "--json")
    assert code == 0
    assert list(ranked[0]) == ["identifier", "title", "deadline", "score", "reasons"]
    assert ranked[0]["identifier"] == "HORIZON-CL6-2026-FARM2FORK-01-03"
    assert ranked[0]["deadline"] == "2026-09-17T17:00:00+02:00"
    bad = tmp_path / "calls.csv"
    bad.write_text("identifier,programme,title,deadlines\nX,LIFE,T,tomorrow\n")
    code, report = run("import-calls", str(bad), "--json")
    assert code == 2 and report["errors"][0]["row"] == 2
    assert report["errors"][0]["column"] == "deadlines"


def test_import_cordis_reports_links_and_the_review(world):
    OrganisationFactory(name="Universidade do Algarve", country_id="PT")
    OrganisationFactory(name="Atlantic Canning Cooperative", country_id="ES")
    OrganisationFactory(name="X", pic="999111222")
    code, result = run(
        "import-cordis", str(FIXTURES / "project.csv"), str(FIXTURES / "organization.csv"),
        "--json",
    )  # fmt: skip
    assert code == 0
    assert {key: result[key] for key in ("projects", "participants", "linked", "review")} == {
        "projects": 2, "participants": 5, "linked": {"pic": 1, "vat": 0, "name": 2}, "review": 1,
    }  # fmt: skip
    code, _figures = run("track-record", "--region", "PT", "--json")
    assert code == 0
    with pytest.raises(CommandError) as refused:
        call_command("eu", "import-cordis", "nope.csv", "nope.csv", stdout=StringIO())
    assert refused.value.returncode == 2


def test_a_feed_on_a_private_address_is_refused(world):
    with pytest.raises(CommandError) as refused:
        call_command(
            "eu", "add-feed", "--agency", world.agency.slug, "--name", "x",
            "--url", "ftp://10.0.0.1/", stdout=StringIO(),
        )  # fmt: skip
    assert refused.value.returncode == 2 and CallFeed.objects.count() == 0
    code, answer = run(
        "add-feed", "--agency", world.agency.slug, "--name", "Food",
        "--url", "https://api.example.org/search", "--json",
    )  # fmt: skip
    assert code == 0 and CallFeed.objects.get().pk == answer["feed_id"]


def test_funding_is_the_same_command_as_eu(world):
    from atclusters.funding.management.commands import eu, funding

    assert funding.Command is eu.Command
    out = StringIO()
    call_command("funding", "calls", "--json", stdout=out)
    assert json.loads(out.getvalue()) == run("calls", "--json")[1]


def test_the_command_line_takes_cordis_files_beyond_the_upload_row_limit(world, settings):
    from atclusters.funding import services
    from tests.funding.factories import fixture

    settings.IMPORT_MAX_ROWS = 3  # the upload limit; the fixture has 5 participants
    uploaded = services.cordis_import(
        actor=None, projects=fixture("project.csv"), projects_name="project.csv",
        participants=fixture("organization.csv"), participants_name="organization.csv",
    )  # fmt: skip
    assert not uploaded.ok and "the limit is 3" in uploaded.participants.errors[0].message
    files = (str(FIXTURES / "project.csv"), str(FIXTURES / "organization.csv"))
    code, result = run("import-cordis", *files, "--json")
    assert code == 0 and (result["projects"], result["participants"]) == (2, 5)
    settings.FUNDING_CORDIS_MAX_ROWS = 3
    code, result = run("import-cordis", *files, "--dry-run", "--json")
    assert code == 2 and "the limit is 3" in result["errors"][0]["message"]
