"""The production settings documented in deploy/atclusters.env.example pass Django's deployment
checklist (`atclusters check --deploy`) with no warning, and the probes are not redirected."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_environment(tmp_path: Path) -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "atclusters.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    # The checklist reads no database; a file of its own keeps the test off any server.
    values["DATABASE_URL"] = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    values["ATCLUSTERS_VAR_DIR"] = str(tmp_path)
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    return {k: v for k, v in os.environ.items() if k in keep} | values


def test_the_documented_production_settings_pass_the_deployment_checklist(tmp_path):
    checked = subprocess.run(
        [sys.executable, "-m", "atclusters", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path), cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_probes_are_answered_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 301
