"""bench/sections.py: `make loadtest` rewrites its section of docs/benchmarks.md alone, and
`make bench` (which rewrites the rest) keeps it before the metrics section."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
spec = importlib.util.spec_from_file_location("bench_sections", BENCH / "sections.py")
assert spec and spec.loader
sections = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sections)

BEFORE = "# Benchmarks\n\n## Website\n\nfigures\n\n## Metrics library and command line\n\nm\n"


def test_a_new_section_goes_before_the_metrics_section(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(BEFORE, encoding="utf-8")
    sections.section_write(path, sections.LOAD, ["## Load (first)", "", "| a |"])
    assert path.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n## Website\n\nfigures\n\n## Load (first)\n\n| a |\n\n"
        "## Metrics library and command line\n\nm\n"
    )


def test_a_section_is_replaced_alone_and_kept_as_written(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(BEFORE, encoding="utf-8")
    sections.section_write(path, sections.LOAD, ["## Load (first)", "", "old"])
    sections.section_write(path, sections.LOAD, ["## Load (second)", "", "### Soak", "", "new"])
    text = path.read_text(encoding="utf-8")
    assert "old" not in text and "(first)" not in text
    assert text.startswith("# Benchmarks\n\n## Website\n\nfigures\n\n## Load (second)\n")
    assert text.endswith("new\n\n## Metrics library and command line\n\nm\n")
    assert sections.section_kept(path, sections.LOAD) == [
        "## Load (second)",
        "",
        "### Soak",
        "",
        "new",
        "",
    ]


def test_without_a_metrics_section_it_goes_at_the_end(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Website\n\nfigures\n", encoding="utf-8")
    assert sections.section_kept(path, sections.LOAD) == []
    sections.section_write(path, sections.LOAD, ["## Load", "", "x"])
    assert path.read_text(encoding="utf-8").endswith("figures\n\n## Load\n\nx\n\n")
