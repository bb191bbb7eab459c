"""The B2B scheduler (issue 22) on the issue's conference: 500 participants, 3,000 accepted
requests, 16 slots, 40 tables; then the same people and requests with 200 tables, where the
participants' availability rather than the tables binds. Each participant is free for a run of
6 to 16 consecutive slots; a fifth of them are asked by many (the popular ones). Pure: no
database. `python bench/events.py` prints the section and rewrites it in docs/benchmarks.md;
`make bench` runs it with the rest."""

import random
import time

from bootstrap import ROOT  # (bench/bootstrap.py: paths, settings, Django set up)

# isort: split

from atclusters.events import scheduling

PARTICIPANTS = 500
REQUESTS = 3_000
SLOTS = 16
SEED = 22
HEADING = "## B2B matchmaking schedule"


def instance(tables: int) -> scheduling.Instance:
    rng = random.Random(SEED)
    slots = [f"s{number:02}" for number in range(SLOTS)]
    people = []
    for number in range(PARTICIPANTS):
        length = rng.randint(6, SLOTS)
        first = rng.randint(0, SLOTS - length)
        people.append({"id": f"p{number:03}", "available": slots[first : first + length]})
    popular = list(range(PARTICIPANTS // 5))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < REQUESTS:
        a = rng.randrange(PARTICIPANTS)
        b = rng.choice(popular) if rng.random() < 0.5 else rng.randrange(PARTICIPANTS)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    requests = [{"a": f"p{a:03}", "b": f"p{b:03}"} for a, b in sorted(pairs)]
    rng.shuffle(requests)  # the order they were accepted in, which first-fit follows
    return scheduling.instance_read(
        {"slots": slots, "tables": tables, "participants": people, "requests": requests}
    )


def section() -> list[str]:
    rows = []
    for tables, goal in ((40, "< 30 s, 0 conflicts, ≥ greedy"), (200, "0 conflicts, > greedy")):
        problem = instance(tables)
        started = time.perf_counter()
        result = scheduling.schedule(problem)
        seconds = time.perf_counter() - started
        conflicts = len(scheduling.conflicts(problem, result.meetings))
        bound = min(tables * SLOTS, REQUESTS)
        rows.append(
            f"| {tables} tables (at most {bound:,} meetings fit) | {seconds:.2f} s | "
            f"{result.held:,} ({result.held / REQUESTS:.1%}) | {result.greedy_held:,} "
            f"({result.greedy_held / REQUESTS:.1%}) | {conflicts} | {goal} |"
        )
    return [
        HEADING,
        "",
        "`bench/events.py` (`python bench/events.py` runs it alone): 500 participants, 3,000 "
        "accepted requests, 16 slots; each participant free for 6 to 16 consecutive slots, a "
        "fifth of them popular. Ours: " + scheduling.METHOD + " (docs/events.md); the baseline: "
        "greedy first-fit in the order the requests were accepted. Conflicts are counted by "
        "`scheduling.conflicts` (a person or a table twice in a slot, a meeting outside "
        "someone's availability, a request held twice).",
        "",
        "| instance | time | held (share of requested) | greedy first-fit | conflicts | goal |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def write_section(lines: list[str]) -> None:
    """Replace this section of docs/benchmarks.md (up to the next section), or add it before
    the metrics library's, which runs last."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    block = "\n".join(lines) + "\n"
    if HEADING in text:
        start = text.index(HEADING)
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + block + (text[end + 1 :] if end != -1 else "")
    elif "## Metrics library" in text:
        at = text.index("## Metrics library")
        text = text[:at] + block + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    lines = section()
    print("\n".join(lines))
    write_section(lines)
