"""Demo statistics: real employment by NUTS region × broad sector (see data/SOURCES.md)."""

import csv
import gzip

from atclusters.core.reference import DATA_DIR
from atclusters.mapping import services
from atclusters.mapping.models import CategoryScheme, Dataset, Industries, RatingSet, RegionGroup
from atclusters.mapping.selectors import US_CMP_NAICS_SCHEME, US_CMP_SCHEME

DEMO_DATASET = "eurostat-nama-10r-3empers"
US_CMP_FILE = DATA_DIR / "us_cmp_clusters_nace2.csv"
US_CMP_NAICS_FILE = DATA_DIR / "us_cmp_clusters_naics2012.csv"
DEMO_FILE = DATA_DIR / "stats" / "atlantic_nuts_employment_by_sector.csv.gz"


def demo_statistics_load() -> Dataset:
    """Imports the shipped dataset once; running it again changes nothing."""
    existing = Dataset.objects.filter(slug=DEMO_DATASET).first()
    if existing is not None:
        return existing
    return services.dataset_import(
        actor=None,
        content=gzip.decompress(DEMO_FILE.read_bytes()),
        file_name=DEMO_FILE.name,
        fmt="tidy-csv",
        slug=DEMO_DATASET,
        name="Employment by NUTS region and sector (Eurostat nama_10r_3empers)",
        names={
            "es": "Empleo por región NUTS y sector (Eurostat nama_10r_3empers)",
            "gl": "Emprego por rexión NUTS e sector (Eurostat nama_10r_3empers)",
            "pt": "Emprego por região NUTS e setor (Eurostat nama_10r_3empers)",
            "fr": "Emploi par région NUTS et secteur (Eurostat nama_10r_3empers)",
        },
        nuts_version=Dataset.NutsVersion.NUTS_2016,
        source="Eurostat nama_10r_3empers, via Google Data Commons (datacommonsorg/data cf37304)",
        licence="© European Union, Eurostat — reuse with acknowledgement",
    )


def _categories(path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [
            {**row, "industries": row["industries"].split(";")} for row in csv.DictReader(handle)
        ]


def us_cmp_categories_load() -> list[CategoryScheme]:
    """The U.S. benchmark cluster categories in NACE Rev. 2 (docs/cluster-categories.md) and,
    for U.S. County Business Patterns, in their original NAICS 2012."""
    return [
        services.category_scheme_save(
            actor=None,
            slug=US_CMP_SCHEME,
            name="U.S. benchmark clusters (NACE Rev. 2)",
            names={
                "es": "Clústeres de referencia de EE. UU. (NACE Rev. 2)",
                "gl": "Clústeres de referencia dos EUA (NACE Rev. 2)",
                "pt": "Clusters de referência dos EUA (NACE Rev. 2)",
                "fr": "Clusters de référence des États-Unis (NACE Rév. 2)",
            },
            categories=_categories(US_CMP_FILE),
        ),
        services.category_scheme_save(
            actor=None,
            slug=US_CMP_NAICS_SCHEME,
            name="U.S. benchmark clusters (NAICS 2012)",
            names={
                "es": "Clústeres de referencia de EE. UU. (NAICS 2012)",
                "gl": "Clústeres de referencia dos EUA (NAICS 2012)",
                "pt": "Clusters de referência dos EUA (NAICS 2012)",
                "fr": "Clusters de référence des États-Unis (SCIAN 2012)",
            },
            categories=_categories(US_CMP_NAICS_FILE),
            industries=Industries.NAICS,
        ),
    ]


PARTNER_REGIONS = ["ES11", "ES12", "ES13", "FRH0", "IE05", "PT11"]


def partner_regions_load() -> RegionGroup:
    """The six ATCLUSTERS partner regions as a region group (a macro-region and a base)."""
    existing = RegionGroup.objects.filter(slug="atclusters-partners").first()
    if existing is not None:
        return existing
    return services.region_group_save(
        actor=None,
        slug="atclusters-partners",
        name="ATCLUSTERS partner regions",
        names={
            "es": "Regiones socias de ATCLUSTERS",
            "gl": "Rexións socias de ATCLUSTERS",
            "pt": "Regiões parceiras do ATCLUSTERS",
            "fr": "Régions partenaires d’ATCLUSTERS",
        },
        regions=PARTNER_REGIONS,
    )


def demo_ratings_compute() -> int:
    """Computes now the stored ratings the worker has not done yet, so that the demo's pages
    are ready when it starts serving."""
    pending = RatingSet.objects.exclude(status=RatingSet.Status.DONE).select_related("dataset")
    for rating_set in pending:
        services.ratings_compute(rating_set)
    return len(pending)


def domain_demo_load() -> list[str]:
    dataset = demo_statistics_load()
    us_cmp_categories_load()
    partner_regions_load()
    demo_ratings_compute()
    return [f"Statistics: {dataset.name}, {dataset.observation_count:,} observations."]
