"""Sections of docs/benchmarks.md that a command other than `make bench` writes (`make loadtest`
writes "## Load"): each is kept when the rest of the file is rewritten, and replaced alone."""

from pathlib import Path

LOAD = "## Load"
# The section that bench/metrics.py rewrites runs to the end of the file: others go before it.
METRICS = "## Metrics library"


def _bounds(text: str, heading: str) -> tuple[int, int] | None:
    start = text.find(f"\n{heading}")
    if start < 0:
        return None
    start += 1
    following = text.find("\n## ", start + len(heading))
    return start, len(text) if following < 0 else following + 1


def section_kept(path: Path, heading: str) -> list[str]:
    """The lines of the section as the file holds it now (none when it has none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    bounds = _bounds(text, heading)
    if bounds is None:
        return []
    return [*text[bounds[0] : bounds[1]].rstrip("\n").split("\n"), ""]


def section_write(path: Path, heading: str, lines: list[str]) -> None:
    """Replaces the section, or puts it before the metrics section (or at the end)."""
    text = path.read_text(encoding="utf-8")
    block = "\n".join(lines).rstrip("\n") + "\n\n"
    bounds = _bounds(text, heading)
    if bounds is None:
        metrics = text.find(f"\n{METRICS}")
        at = metrics + 1 if metrics >= 0 else len(text)
        bounds = (at, at)
        if metrics < 0:
            text = text.rstrip("\n") + "\n\n"
            bounds = (len(text), len(text))
    path.write_text(text[: bounds[0]] + block + text[bounds[1] :], encoding="utf-8")
