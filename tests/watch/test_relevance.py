"""Canonical links, content hashes (canonical.py) and the topic scores with their explanation
(relevance.py)."""

import pytest

from atclusters.watch import canonical, relevance


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Example.com:80/a?utm_source=x&b=2&a=1#top", "http://example.com/a?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        (
            "https://example.com:8443/x?fbclid=1&gclid=2&mc_cid=3&ref=rss",
            "https://example.com:8443/x",
        ),
        ("https://example.com/x?id=7&UTM_Campaign=a", "https://example.com/x?id=7"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical.canonical_url(url) == expected


def test_content_hash_ignores_markup_case_accents_and_spaces():
    a = canonical.content_hash("Nueva  Ley de Envases", "<p>Los envases <b>reciclables</b>.</p>")
    b = canonical.content_hash("nueva ley de envases", "Los envases reciclables")
    assert a == b
    assert a != canonical.content_hash("nueva ley de envases", "Otro texto")


def test_the_score_and_its_explanation():
    query = relevance.parse('"shelf life" OR preservation\nconservación OR "vida útil"')
    found = relevance.score(
        query, title="Coatings extend the shelf life of fish",
        text="Preservation in cold storage.", language="en",
    )  # fmt: skip
    assert found.score == 40 + 20 + 20
    assert found.explanation == {
        "matched": True,
        "terms": ["shelf life", "preservation"],
        "in_title": ["shelf life"],
        "parts": {"query": 40, "title": 20, "terms": 20},
    }


def test_words_match_by_stem_in_the_items_language():
    query = relevance.parse("sensor AND riego")
    assert (
        relevance.score(
            query, title="Sensores de humedad", text="para el riego", language="es"
        ).score
        == 80
    )


def test_and_or_not_phrases_and_parentheses():
    query = relevance.parse('drone AND (satellite OR "remote sensing") -military')
    assert relevance.score(query, title="Drone and satellite", text="", language="en").score > 0
    not_all = relevance.score(query, title="Drone news", text="", language="en")
    assert not_all.score == 0 and not_all.explanation["missing"] == ["satellite", "remote sensing"]
    excluded = relevance.score(query, title="Military drone satellite", text="", language="en")
    assert excluded.score == 0 and excluded.explanation["excluded_by"] == ["military"]
    phrase = relevance.parse('"remote sensing"')
    assert relevance.score(phrase, title="sensing remote", text="", language="en").score == 0


def test_two_spellings_of_a_stem_count_once():
    query = relevance.parse("launch OR launches")
    found = relevance.score(query, title="It launches", text="a launch", language="en")
    assert found.explanation["terms"] == ["launch"]
    assert found.explanation["parts"]["terms"] == 10


@pytest.mark.parametrize("query", ["", "   \n ", "(a OR b", "a OR", "NOT", "a )"])
def test_queries_that_do_not_parse(query):
    with pytest.raises(relevance.QueryError):
        relevance.parse(query)


def test_language_guess():
    assert relevance.language_guess("x", "gl") == "gl"
    assert relevance.language_guess("Les entreprises et les pôles pour la recherche") == "fr"
    assert relevance.language_guess("Los sensores para las empresas del sector") == "es"
    assert relevance.language_guess("12345") == "en"


COATINGS = (
    "Edible coatings extend the shelf life of fresh fish by five days",
    "A chitosan-based edible coating tested on hake fillets kept them fresh five days longer in "
    "cold storage, a result that matters for seafood processors and their packaging costs.",
)
EDITED = (
    "Edible coatings extend shelf life of fresh fish by five days",
    "A chitosan-based edible coating, tested on hake fillets, kept them fresh five days longer in "
    "cold storage; a result that matters to seafood processors and their packaging costs.",
)
OTHER = (
    "High-pressure processing lines become affordable for SMEs",
    "Smaller high pressure processing (HPP) machines let small producers of juices and ready "
    "meals preserve food without heat, keeping taste and vitamins.",
)


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def test_simhash_finds_a_lightly_edited_copy_and_not_another_story():
    original, edited, other = (canonical.simhash(*text) for text in (COATINGS, EDITED, OTHER))
    assert -(1 << 63) <= original < 1 << 63  # fits a bigint
    assert distance(original, edited) == 7 and canonical.near(original, edited)
    assert distance(original, other) == 32 and not canonical.near(original, other)
    assert canonical.simhash("Too short", "to tell") == 0
    assert not canonical.near(0, 0)


def test_the_near_index_finds_every_copy_within_the_bits_and_compares_few():
    import random

    draw = random.Random(7)
    index: canonical.NearIndex[int] = canonical.NearIndex()
    fingerprints = [draw.getrandbits(64) - (1 << 63) for _ in range(2000)]
    for key, fingerprint in enumerate(fingerprints):
        index.add(key, fingerprint)
    for key in range(0, 2000, 50):
        flipped = fingerprints[key] & ((1 << 64) - 1)
        for bit in draw.sample(range(64), canonical.NEAR_BITS):  # as far as a copy may be
            flipped ^= 1 << bit
        signed = flipped - (1 << 64) if flipped >= 1 << 63 else flipped
        assert index.find(signed)[0] == key
    assert index.find(0) == []
