"""Child processes that live and die with this one (`atclusters demo` serves the site with a
background worker and the scheduler beside it)."""

import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

# Told to stop by a service manager (SIGTERM) or a closed terminal (SIGHUP); Ctrl+C (SIGINT)
# already ends the block, with KeyboardInterrupt.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def child_processes(
    commands: Sequence[Sequence[str]], *, grace_seconds: float = 10.0
) -> Iterator[list[subprocess.Popen]]:
    """Starts each command as a child and stops them all when the block ends, however it ends:
    normally, by an exception, by Ctrl+C, or because this process got SIGTERM or SIGHUP (which
    then end the block with SystemExit, where Python would otherwise die on the spot and leave
    the children running). Each child gets one SIGTERM, so that a worker finishes the job in
    hand, and SIGKILL if it is still there after `grace_seconds`.

    The children run in their own process group: a Ctrl+C at the terminal reaches only this
    process, which passes it on once (a second signal would make the worker cut its job short).
    Call from the main thread (signal handlers can only be set there)."""
    previous = {number: signal.signal(number, _exit_on_signal) for number in STOP_SIGNALS}
    children: list[subprocess.Popen] = []
    try:
        for command in commands:
            # the commands are the caller's own, never user input
            children.append(subprocess.Popen(command, process_group=0))  # noqa: S603
        yield children
    finally:
        # Stopping is not interrupted by a second Ctrl+C or SIGTERM; it takes at most the grace.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        try:
            _stop(children, grace_seconds)
        finally:
            signal.signal(signal.SIGINT, interrupt)
            for number, handler in previous.items():
                signal.signal(number, handler)


def _stop(children: list[subprocess.Popen], grace_seconds: float) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + grace_seconds
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
