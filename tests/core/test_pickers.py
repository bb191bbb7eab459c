"""Pickers: names in the reader's language find codes, on the search endpoint and typed into a
plain field without JavaScript."""

import pytest
from django.utils import translation

from atclusters.core.pickers import Pick, pick_resolve, pick_search, picker
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Spain", "españa", "ESPAGNE", "es", "Espanha"])
def test_spain_in_any_language_finds_es(typed):
    with translation.override("pt"):
        found = pick_search(picker("country").choices(None), typed)
    assert found[0].value == "ES" and found[0].label == "Espanha"


def test_the_exact_code_first_then_names_that_start_with_the_text_then_the_rest():
    picks = [
        Pick("FR", "Francia"),
        Pick("IE", "Irlanda"),
        Pick("GF", "Guayana Francesa"),
        Pick("XX", "Alfrancia"),
    ]
    assert [p.value for p in pick_search(picks, "fr")] == ["FR", "GF", "XX"]
    assert pick_search(picks, "   ") == []


def test_a_typed_name_resolves_to_its_code_or_says_what_it_may_mean():
    picks = picker("region").choices(None)
    assert pick_resolve(picks, "galicia") == ("ES11", [])
    assert pick_resolve(picks, "es11")[0] == "ES11"
    value, candidates = pick_resolve(picks, "Bretagne")  # the NUTS 1 FRH and the NUTS 2 FRH0
    assert value is None and {c.value for c in candidates} == {"FRH", "FRH0"}


def test_the_search_endpoint_answers_in_the_reader_language(client):
    body = client.get("/fr/pick/country/?q=allem").text
    assert 'data-value="DE"' in body and "Allemagne" in body
    assert "1 résultat" in body or "résultat" in body
    assert client.get("/fr/pick/nothing/?q=x").status_code == 404
    empty = client.get("/es/pick/region/?q=zzzz").text
    assert "Nada coincide con “zzzz”." in empty and 'role="option"' in empty


def test_the_directory_takes_a_country_name_typed_without_javascript(client):
    ClusterFactory(name="Clúster gallego", country_id="ES")
    ClusterFactory(name="Cluster breton", country_id="FR", nuts_region_id="FRH0")
    body = client.get("/es/clusters/?country=Francia").text
    assert "Cluster breton" in body and "Clúster gallego" not in body
    # the field shows the country's name; the code travels
    assert 'name="country"' in body and 'value="Francia"' in body
    assert 'data-picker="/es/pick/country/"' in body
    body = client.get("/es/clusters/?country=FR").text
    assert 'data-picker-text="Francia (FR)"' in body
    wrong = client.get("/es/clusters/?country=Narnia").text
    assert "Nada coincide con “Narnia”." in wrong and "Clúster gallego" in wrong


def test_choices_follow_the_reader_collation_not_the_database_order(client, world):
    from atclusters.core.models import Term

    Term.objects.create(kind="technology_field", slug="zz", name="ASINCAR test")
    Term.objects.create(kind="technology_field", slug="yy", name="AgroCluster test")
    client.force_login(world.manager)
    with translation.override("es"):
        body = client.get("/es/clusters/food/edit/").text
    fields = body.split('name="technology_fields"')[1].split("</select>")[0]
    assert fields.index("AgroCluster test") < fields.index("ASINCAR test")
    countries = body.split('name="country"')[1].split("</select>")[0]
    # by Spanish name: Alemania (DE) before Austria (AT) before España (ES) before Francia (FR)
    assert [countries.index(n) for n in ("Alemania", "Austria", "España", "Francia")] == sorted(
        countries.index(n) for n in ("Alemania", "Austria", "España", "Francia")
    )
