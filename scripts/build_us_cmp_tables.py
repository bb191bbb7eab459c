"""The U.S. Cluster Mapping Project's tables in the platform's form: its cluster categories in
NAICS 2012 (for U.S. County Business Patterns) and the relatedness of its 51 traded
categories, both keyed by the category codes of `us_cmp_clusters_nace2.csv`.

Run by hand when a source changes:
`uv run python scripts/build_us_cmp_tables.py CMP_NAICS2012_CSV RELATED_CLUSTERS_JSON`
(../shared/data/clusters/us_cmp_naics2012_clusters.csv and
../shared/data/clusters/us_cmp_related_clusters_2014.json, from clustermapping/cmp
`data/web/viz/json/relatedClusters.json`). The outputs are committed.
"""

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from build_cluster_categories import OUT, slug


def naics_categories(source: Path) -> None:
    """Each cluster and its NAICS 2012 industries; the 39 codes that only the vendor EMSI uses
    (`emsi_specific`) are left out: no Census table publishes them."""
    members: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["emsi_specific"] != "True":
                members[row["cluster"]].add(row["naics"])
                kinds[row["cluster"]] = row["traded_local"].lower()
    with (OUT / "us_cmp_clusters_naics2012.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "industries", "kind"])
        for cluster in sorted(members):
            writer.writerow(
                [slug(cluster), cluster, ";".join(sorted(members[cluster])), kinds[cluster]]
            )


def relatedness(source: Path) -> None:
    pairs = sorted(
        {
            (
                slug(row["cluster_name"]),
                slug(row["cluster_name_2"]),
                row["rel_all_90_v3"],
                row["cr_all"],
                row["cr_all_pc"],
            )
            for row in json.loads(source.read_text(encoding="utf-8"))
            if row["cluster_name"] != row["cluster_name_2"]
        }
    )
    with (OUT / "us_cmp_cluster_relatedness.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["category", "related_category", "related", "score", "percentile"])
        writer.writerows(pairs)


if __name__ == "__main__":
    naics_categories(Path(sys.argv[1]))
    relatedness(Path(sys.argv[2]))
