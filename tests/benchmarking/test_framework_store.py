"""Stored frameworks: import, export, versions that never change, who may import."""

import io
import json

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from atclusters.benchmarking import frameworks, selectors, services
from atclusters.benchmarking.models import Framework
from atclusters.core.permissions import PermissionDenied
from tests.hostile_files import nested_json

pytestmark = pytest.mark.django_db


def test_import_export_and_import_again_changes_nothing(tmp_path, capsys):
    call_command("benchmarking", "framework", "import")  # both shipped documents
    framework = Framework.objects.get(kind="benchmarking")
    assert framework.indicators.count() == 36
    assert framework.indicators.get(code="F02").higher_is_better is False
    exported = tmp_path / "framework.json"
    call_command("benchmarking", "framework", "export", "-o", str(exported))
    call_command("benchmarking", "framework", "import", str(exported))
    assert "unchanged" in capsys.readouterr().out
    assert Framework.objects.count() == 2
    assert frameworks.load(exported.read_text(), "framework.json")["indicators"][0]["code"] == "S01"


def test_the_gold_assessment_is_stored_with_its_kind_and_knock_outs(tmp_path, capsys):
    call_command("benchmarking", "framework", "import")
    gold = Framework.objects.get(kind="gold_assessment")
    assert (gold.slug, gold.version, gold.label_rules) == (
        "atclusters-gold-assessment", 1, {"gold": {"min_share_meeting_thresholds": 0.8}},
    )  # fmt: skip
    knock_outs = gold.indicators.filter(knock_out=True).values_list("code", flat=True)
    assert list(knock_outs) == ["K01", "K02", "K03", "K04", "K05", "K06"]
    exported = tmp_path / "gold.yaml"
    call_command(
        "benchmarking", "framework", "export", "--framework", "atclusters-gold-assessment",
        "-o", str(exported),
    )  # fmt: skip
    assert frameworks.load(exported.read_text(), "gold.yaml") == selectors.normalised(
        frameworks.gold_assessment()
    )
    call_command("benchmarking", "framework", "import", str(exported))
    assert "atclusters-gold-assessment v1: unchanged (26 indicators)" in capsys.readouterr().out


def test_a_stored_version_never_changes(tmp_path):
    services.framework_import(actor=None, document=frameworks.default_framework())
    changed = frameworks.default_framework()
    changed["indicators"][0]["threshold"] = 80
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True))
    with pytest.raises(CommandError, match="give the changed framework a new version"):
        call_command("benchmarking", "framework", "import", str(path))
    changed["version"] += 1
    path.write_text(yaml.safe_dump(changed, allow_unicode=True))
    call_command("benchmarking", "framework", "import", str(path))
    newest = selectors.framework_named("atclusters-cluster-management")
    assert (
        newest.version == changed["version"] and newest.indicators.get(code="S01").threshold == 80
    )


def test_only_platform_admins_import_frameworks(world):
    for user in (world.staff, world.manager, world.nobody):
        with pytest.raises(PermissionDenied):
            services.framework_import(actor=user, document=frameworks.default_framework())
    outcome, _framework = services.framework_import(
        actor=world.admin, document=frameworks.default_framework()
    )
    assert outcome == "created"


def test_bad_documents_name_the_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: x\nversion: 1\nindicators: []\n")
    with pytest.raises(CommandError) as error:
        call_command("benchmarking", "framework", "import", str(path))
    assert "name: give the text in en, es, gl, pt, fr" in str(error.value)
    assert not Framework.objects.exists()


def test_hostile_documents_store_nothing_from_the_command_line_or_the_api(
    tmp_path, client, bearer, world
):
    document = frameworks.default_framework()
    document["indicators"][0]["label"]["es"] = "Socios\u0000"
    hostile = {
        "nul.json": json.dumps(document).encode(),
        "nested.json": nested_json(),
        "repeated.json": b'{"slug": "a", "version": 1, "version": 2}',
    }
    for name, content in hostile.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CommandError, match="nothing stored"):
            call_command("benchmarking", "framework", "import", str(path))
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post(
            "/api/v1/benchmarking/frameworks", {"file": upload}, headers=bearer("admin")
        )
        assert response.status_code == 422, name
        assert response.json()["detail"]["file"][0].startswith(
            {
                "nul.json": "indicators[0].label.es: contains the NUL character",
                "nested.json": "nested.json: Invalid JSON: nested deeper than 32 levels.",
                "repeated.json": "repeated.json: Invalid JSON: the key 'version' appears",
            }[name]
        ), name
    assert not Framework.objects.exists()


def test_only_platform_admins_learn_what_a_framework_document_lacks(client, bearer):
    """Permission first: a cluster manager's broken document is refused as forbidden, not
    checked (no 422 listing its problems)."""
    upload = io.BytesIO(b"not: [valid")
    upload.name = "broken.yaml"
    response = client.post(
        "/api/v1/benchmarking/frameworks", {"file": upload}, headers=bearer("manager")
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only platform admins import frameworks."}
