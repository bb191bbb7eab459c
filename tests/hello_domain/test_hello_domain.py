"""A domain needs no edit outside its folder and one INSTALLED_APPS line: the hello domain
(this folder) is plugged into the platform by tests/hello_domain/settings.py alone, and its
URL, API route, navigation entry, home section, sitemap, periodic job, demo loader, "My work"
section and search results all appear (contract_checks.py, run with those settings in a
process of its own, since the URLs and the API are built once per process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_domain_plugs_in_with_one_installed_apps_line():
    # A database of its own on PostgreSQL: the child would otherwise create, and at its end
    # drop, the very test database this run is using.
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] += "_hello"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ds=tests.hello_domain.settings",
            "tests/hello_domain/contract_checks.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "8 passed" in run.stdout.splitlines()[-1]


def test_without_that_line_the_platform_has_no_trace_of_it(client):
    from atclusters.core import domains

    assert "hello" not in {config.label for config in domains.registered()}
    assert client.get("/en/hello/").status_code == 404
