"""Demo statistics: real employment by NUTS region × broad sector (see data/SOURCES.md)."""

import csv
import gzip

from atclusters.core.reference import DATA_DIR
from atclusters.mapping import services
from atclusters.mapping.models import CategoryScheme, Dataset

DEMO_DATASET = "eurostat-nama-10r-3empers"
US_CMP_SCHEME = "us-cmp-nace2"
US_CMP_FILE = DATA_DIR / "us_cmp_clusters_nace2.csv"
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
        nuts_version=Dataset.NutsVersion.NUTS_2016,
        source="Eurostat nama_10r_3empers, via Google Data Commons (datacommonsorg/data cf37304)",
        licence="© European Union, Eurostat — reuse with acknowledgement",
    )


def us_cmp_categories_load() -> CategoryScheme:
    """The U.S. benchmark cluster categories in NACE Rev. 2 (docs/cluster-categories.md)."""
    with US_CMP_FILE.open(encoding="utf-8") as handle:
        categories = [
            {**row, "industries": row["industries"].split(";")} for row in csv.DictReader(handle)
        ]
    return services.category_scheme_save(
        actor=None,
        slug=US_CMP_SCHEME,
        name="U.S. benchmark clusters (NACE Rev. 2)",
        categories=categories,
    )
