"""Demo statistics: real employment by NUTS region × broad sector (see data/SOURCES.md)."""

import gzip

from atclusters.core.reference import DATA_DIR
from atclusters.mapping import services
from atclusters.mapping.models import Dataset

DEMO_DATASET = "eurostat-nama-10r-3empers"
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
