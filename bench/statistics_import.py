"""Import of a Eurostat bulk TSV of about a million cells (issue 5 target: under 20 s)."""

import random
import time

from atclusters.core.models import NaceActivity, NutsRegion
from atclusters.mapping import services

YEARS = list(range(2000, 2022))


def eurostat_tsv(rng: random.Random) -> tuple[bytes, int]:
    regions = list(
        NutsRegion.objects.filter(in_2021=True).order_by("code").values_list("code", flat=True)
    )[:1500]
    divisions = list(
        NaceActivity.objects.filter(version="2", level=2)
        .order_by("code")
        .values_list("code", flat=True)
    )[:30]
    lines = ["freq,unit,wstatus,nace_r2,geo\\TIME_PERIOD\t" + "\t".join(map(str, YEARS))]
    for region in regions:
        for division in divisions:
            cells = []
            for _year in YEARS:
                draw = rng.random()
                if draw < 0.05:
                    cells.append(": ")
                elif draw < 0.10:
                    cells.append(f"{rng.uniform(0.1, 90):.2f} p")
                else:
                    cells.append(f"{rng.uniform(0.1, 90):.2f} ")
            lines.append(f"A,THS,EMP,C{division},{region}\t" + "\t".join(cells))
    return ("\n".join(lines) + "\n").encode(), len(regions) * len(divisions) * len(YEARS)


def measure() -> list[tuple[str, str, str]]:
    content, cells = eurostat_tsv(random.Random(5))
    start = time.perf_counter()
    services.dataset_import(
        actor=None,
        content=content,
        file_name="bench.tsv",
        fmt="eurostat-tsv",
        slug="bench-eurostat",
        where={"wstatus": "EMP"},
    )
    seconds = time.perf_counter() - start
    return [
        (
            f"import a Eurostat bulk TSV of {cells:,} cells ({len(content) / 1e6:.0f} MB)",
            f"{seconds:.1f} s ({cells / seconds:,.0f} cells/s)",
            "< 20 s",
        )
    ]
