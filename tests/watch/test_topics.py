"""Topics defined by example (the words that set a curator's example items apart) and by the
cluster's sectors (NACE activities in five languages), each item filed with the words it has."""

import pytest

from atclusters.core.errors import DomainError
from atclusters.core.models import NaceActivity
from atclusters.core.permissions import PermissionDenied
from atclusters.watch import relevance, services
from atclusters.watch.models import Item, Match
from tests.watch.factories import rss_ingested, source_added


def test_example_terms_are_the_words_the_examples_share_and_the_others_lack():
    examples = [
        ("Seafood processing under high pressure", "en"),
        ("High pressure keeps seafood fresh", "en"),
    ]
    others = [("Processing plants in Vigo", "en"), ("Fresh bread", "en")]
    assert relevance.example_terms(examples, others) == [
        {"term": "high", "examples": 2, "others": 0},
        {"term": "pressure", "examples": 2, "others": 0},
        {"term": "seafood", "examples": 2, "others": 0},
    ]  # "processing" and "fresh" are in one example each; the others have them too
    # Words of one stem count as one, shown as first written; Spanish stemmed as Spanish.
    assert relevance.example_terms([("Envases y envase", "es")], []) == [
        {"term": "envases", "examples": 1, "others": 0}
    ]
    assert relevance.example_terms([], others) == []


def test_nace_query_takes_each_names_words():
    names = {
        "en": "Processing and preserving of fish, crustaceans and molluscs",
        "es": "Procesado y conservación de pescados, crustáceos y moluscos",
    }
    assert relevance.nace_query(names) == (
        "processing | preserving | fish | crustaceans | molluscs | procesado | conservación"
        " | pescados | crustáceos | moluscos"
    )


@pytest.mark.django_db
def test_a_topic_defined_by_example(world):
    rss_ingested(source_added(world.cluster))
    coatings = Item.objects.get(title__startswith="Edible coatings")
    tuna = Item.objects.get(title__startswith="Competitor")
    topic = services.topic_from_examples(
        actor=world.manager, cluster=world.cluster, name="Seafood", mode="commercial",
        items=[coatings, tuna],
    )  # fmt: skip
    # Both examples speak of seafood; the high-pressure and tray items do not.
    assert topic.example_terms == [{"term": "seafood", "examples": 2, "others": 0}]
    assert (topic.query, topic.threshold) == ("seafood", 50)
    assert set(topic.examples.all()) == {coatings, tuna}
    filed = {m.item.title[:14]: m.explanation["terms"] for m in Match.objects.filter(topic=topic)}
    assert filed == {"Edible coating": ["seafood"], "Competitor wat": ["seafood"]}
    with pytest.raises(DomainError) as none:
        services.topic_from_examples(
            actor=world.manager, cluster=world.cluster, name="None", mode="commercial", items=[]
        )
    assert none.value.field == "items"
    foreign = source_added(world.other_cluster)
    rss_ingested(foreign)
    with pytest.raises(DomainError):
        services.topic_from_examples(
            actor=world.manager, cluster=world.cluster, name="Foreign", mode="commercial",
            items=[Item.objects.filter(cluster=world.other_cluster).first()],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.topic_from_examples(
            actor=world.rep, cluster=world.cluster, name="Rep", mode="commercial", items=[tuna]
        )


@pytest.mark.django_db
def test_topics_from_the_clusters_sectors(world):
    fish = NaceActivity.objects.get(version="2", code="10.20")
    world.cluster.sectors.add(fish)
    rss_ingested(source_added(world.cluster))
    [topic] = services.topics_from_sectors(actor=world.manager, cluster=world.cluster)
    assert (topic.name, topic.mode, topic.nace, topic.threshold) == (
        "10.20 Processing and preserving of fish, crustaceans and molluscs", "commercial",
        fish, 60,
    )  # fmt: skip
    assert "pescados" in topic.query and "peixe" in topic.query  # Spanish and Galician names
    filed = {m.item.title[:14]: m.explanation["terms"] for m in Match.objects.filter(topic=topic)}
    assert filed == {
        "Edible coating": ["fish"],
        "High-pressure ": ["processing", "preserving"],
    }
    assert services.topics_from_sectors(actor=world.manager, cluster=world.cluster) == []
