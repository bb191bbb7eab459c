"""Child processes stop with their parent (`atclusters demo` and its worker and scheduler): real
processes, real signals."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# A child that writes down each signal it gets and leaves on SIGTERM (or never, when told to
# ignore it).
CHILD = textwrap.dedent(
    """
    import signal, sys, time
    log, stubborn = sys.argv[1], sys.argv[2] == "stubborn"
    def note(signum, frame):
        with open(log, "a") as out:
            out.write(signal.Signals(signum).name + "\\n")
        if signum == signal.SIGTERM and not stubborn:
            sys.exit(0)
    signal.signal(signal.SIGTERM, note)
    signal.signal(signal.SIGINT, note)
    open(log, "a").close()
    time.sleep(120)
    """
)
PARENT = textwrap.dedent(
    """
    import sys, time
    from atclusters.core.processes import child_processes
    child, logs, mode = sys.argv[1], sys.argv[2:4], sys.argv[4]
    commands = [[sys.executable, "-c", child, log, mode] for log in logs]
    with child_processes(commands, grace_seconds=2) as children:
        print(" ".join(str(each.pid) for each in children), flush=True)
        time.sleep(120)
    """
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def as_from_a_shell() -> None:
    """The signal state of a command a shell starts: Ctrl+C at its default, nothing blocked,
    whatever the test runner's own process has set (an ignored signal stays ignored across
    exec, and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def start_parent(tmp_path: Path, mode: str = "polite") -> tuple[subprocess.Popen, list[int]]:
    logs = [tmp_path / "worker.log", tmp_path / "scheduler.log"]
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, *map(str, logs), mode],
        stdout=subprocess.PIPE,
        text=True,
        process_group=0,  # its own group, as a command started from a shell
        preexec_fn=as_from_a_shell,
    )
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]
    for _ in range(100):  # the children are up once they have created their logs
        if all(log.exists() for log in logs):
            break
        time.sleep(0.05)
    assert len(pids) == 2 and all(alive(pid) for pid in pids)
    return parent, pids


def signals_received(tmp_path: Path) -> list[list[str]]:
    return [(tmp_path / name).read_text().split() for name in ("worker.log", "scheduler.log")]


def gone(pids: list[int]) -> bool:
    for _ in range(50):
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def cleanup():
    started: list[int] = []
    yield started
    for pid in started:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_children_stop_when_the_parent_is_terminated(tmp_path, cleanup):
    parent, pids = start_parent(tmp_path)
    cleanup.extend(pids)
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=20) == 128 + signal.SIGTERM
    assert gone(pids)
    assert signals_received(tmp_path) == [["SIGTERM"], ["SIGTERM"]]


def test_ctrl_c_at_the_terminal_reaches_each_child_once_as_sigterm(tmp_path, cleanup):
    parent, pids = start_parent(tmp_path)
    cleanup.extend(pids)
    os.killpg(parent.pid, signal.SIGINT)  # what the terminal sends to the foreground group
    parent.wait(timeout=20)
    assert gone(pids)
    # The worker finishes its job on the first signal; a second one would cut it short.
    assert signals_received(tmp_path) == [["SIGTERM"], ["SIGTERM"]]


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path, cleanup):
    parent, pids = start_parent(tmp_path, mode="stubborn")
    cleanup.extend(pids)
    started = time.monotonic()
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=20)
    assert gone(pids)
    assert 2 <= time.monotonic() - started < 15
