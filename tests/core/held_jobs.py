"""A background job for tests/core/test_worker.py, run by real worker processes: it notes each
start and runs for as long as its hold file exists."""

import time
from pathlib import Path

from django.tasks import task


@task()
def held_job(*, hold: str, log: str) -> str:
    with Path(log).open("a") as out:
        out.write("started\n")
    while Path(hold).exists():
        time.sleep(0.05)
    return "done"
