"""Watch rows for the world of tests.factories, made through the services."""

from atclusters.registry.models import ClusterOrganisation
from atclusters.watch import feeds, services
from atclusters.watch.models import Source, Topic
from tests.watch.conftest import FEEDS


def source_added(cluster: ClusterOrganisation, url: str = "", name: str = "Food news") -> Source:
    return services.source_add(
        actor=None, cluster=cluster, name=name,
        url=url or f"https://feeds.example.invalid/{cluster.slug}/{name.replace(' ', '-')}",
        source="test",
    )  # fmt: skip


def topic_added(cluster: ClusterOrganisation, **overrides) -> Topic:
    values = {
        "name": "Preservation",
        "mode": "technological",
        "query": '"shelf life" OR preservation OR "high pressure processing"',
        "threshold": 40,
    } | overrides
    return services.topic_save(actor=None, cluster=cluster, source="test", **values)


def rss_ingested(source: Source, name: str = "rss.xml") -> services.IngestReport:
    feed = feeds.parse((FEEDS / name).read_bytes())
    return services.items_ingest(actor=None, source_row=source, feed=feed, origin="test")
