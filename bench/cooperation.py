"""Partner matching at the scale of the issue (issue 8): 5,000 clusters with descriptions in
four languages and 100,000 organisations, synthetic, in the pure matching module (no database:
reading the registry into profiles is measured by the website bench's data size elsewhere).
Measures the index build, top-20 queries, meta-cluster detection over the 5,000 clusters, the
regional question (issue 25: its data, region and any queries, regional meta-clusters) and the
peak memory; with `BENCH_SEMANTIC_MODEL=wordllama` also the semantic signal. Run by
bench/run.py; on its own: `python bench/cooperation.py OUT.json`."""

import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atclusters.cooperation import metaclusters, semantic, synergy  # noqa: E402
from atclusters.cooperation.matching import Index, Profile, Vocabulary, nace_levels  # noqa: E402

CLUSTERS, ORGANISATIONS, QUERIES = 5_000, 100_000, 200
COUNTRIES = ["ES", "PT", "FR", "IE"]
WORDS = {
    "en": "food seafood canning packaging steel metal aerospace wine dairy digital software "
    "textile fashion energy wind marine port logistics health biotech furniture wood paper",
    "es": "alimentación conservas envases acero metal aeroespacial vino lácteos digital "
    "software textil moda energía eólica marina puerto logística salud madera papel",
    "pt": "alimentação conservas embalagens aço metal aeroespacial vinho laticínios digital "
    "software têxtil moda energia eólica mar porto logística saúde madeira papel",
    "fr": "alimentation conserves emballages acier métal aéronautique vin laitier numérique "
    "logiciel textile mode énergie éolien marine port logistique santé bois papier",
}


BOUNDARIES = ROOT / "atclusters" / "data" / "nuts2_2021.geojson"


def regions_by_country() -> dict[str, list[str]]:
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    found: dict[str, list[str]] = {}
    for feature in features:
        found.setdefault(feature["properties"]["country"], []).append(feature["properties"]["id"])
    return found


def profiles(rng: random.Random) -> list[Profile]:
    divisions = [f"{d:02d}" for d in range(1, 99)]
    made = []
    # Regions from their own generator: the other fields stay as before the regional question.
    places, place_rng = regions_by_country(), random.Random(25)
    for number in range(CLUSTERS):
        language = rng.choice(list(WORDS))
        ecosystem = rng.randint(1, 14)
        words = WORDS[language].split()
        # A description is about its ecosystem's topic (five words) with general words mixed in.
        topic = [words[(ecosystem * 3 + n) % len(words)] for n in range(5)]
        made.append(
            Profile(
                key=f"cluster:{number}",
                name=f"Cluster {number}",
                country=(country := rng.choice(COUNTRIES)),
                region=place_rng.choice(places[country]),
                nace=frozenset(
                    f"{d}.{rng.randint(1, 9)}{rng.randint(1, 9)}" for d in rng.sample(divisions, 2)
                ),
                ecosystems=frozenset({f"ecosystem-{ecosystem}"}),
                technologies=frozenset(f"technology-{rng.randint(1, 60)}" for _ in range(3)),
                s3=frozenset({f"s3-{rng.randint(1, 30)}"}),
                texts={language: " ".join(rng.choices(topic, k=40) + rng.choices(words, k=20))},
            )
        )
    for number in range(ORGANISATIONS):
        made.append(
            Profile(
                key=f"organisation:{number}",
                name=f"Organisation {number}",
                kind="organisation",
                country=rng.choice(COUNTRIES),
                nace=frozenset({f"{rng.choice(divisions)}.{rng.randint(1, 9)}{rng.randint(1, 9)}"}),
            )
        )
    return made


def main(out: Path) -> None:
    rng = random.Random(8)
    made = profiles(rng)
    model = os.environ.get("BENCH_SEMANTIC_MODEL")
    start = time.perf_counter()
    embedder = semantic.load(model) if model else None
    index = Index(made, Vocabulary(value_chain={("17", "10"): "packaging → food"}), embedder)
    build = time.perf_counter() - start
    times = []
    for _ in range(QUERIES):
        query = made[rng.randrange(CLUSTERS)]
        start = time.perf_counter()
        index.match(query, top=20)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    groups = metaclusters.detect(index, threshold=0.3)
    detection = time.perf_counter() - start
    # The regional question (issue 25): adjacency, the clusters' division relatedness, then
    # region and any queries and the regional meta-clusters.
    start = time.perf_counter()
    regional = synergy.SynergyIndex(
        index,
        neighbours=synergy.adjacency(
            json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
        ),
        relatedness=synergy.division_relatedness(
            [nace_levels(p.nace)["division"] for p in made[:CLUSTERS]]
        ),
    )
    regional_build = time.perf_counter() - start
    modes: dict[str, list[float]] = {"region": [], "any": []}
    for mode, spent in modes.items():
        for _ in range(QUERIES):
            query = made[rng.randrange(CLUSTERS)]
            start = time.perf_counter()
            regional.match(query, mode=mode, top=20)
            spent.append(time.perf_counter() - start)
    start = time.perf_counter()
    rows = list(range(CLUSTERS))
    regional_groups = metaclusters.detect(
        index, threshold=0.3, scores=regional.pairwise(rows), min_countries=1, view="region"
    )
    regional_detection = time.perf_counter() - start
    out.write_text(
        json.dumps(
            {
                "build_seconds": build,
                "query_median": statistics.median(times),
                "query_p95": statistics.quantiles(times, n=20)[-1],
                "meta_cluster_seconds": detection,
                "meta_clusters": len(groups),
                "regional_build_seconds": regional_build,
                **{
                    f"{mode}_query_{name}": value
                    for mode, spent in modes.items()
                    for name, value in (
                        ("median", statistics.median(spent)),
                        ("p95", statistics.quantiles(spent, n=20)[-1]),
                    )
                },
                "regional_meta_cluster_seconds": regional_detection,
                "regional_meta_clusters": len(regional_groups),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "cooperation-bench.json"))
