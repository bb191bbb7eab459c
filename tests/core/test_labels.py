"""Reference data in the reader's language (atclusters/data/reference_labels.csv)."""

import pytest
from django.utils import translation

from atclusters.core.labels import collation_key, localised, sorted_by_label
from atclusters.core.models import Country, NaceActivity, NutsRegion, Term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "spain", "kingdom"),
    [
        ("en", "Spain", "United Kingdom"),
        ("es", "España", "Reino Unido"),
        ("gl", "España", "Reino Unido"),
        ("pt", "Espanha", "Reino Unido"),
        ("fr", "Espagne", "Royaume-Uni"),
    ],
)
def test_countries_and_level_0_regions_in_the_reader_language(language, spain, kingdom):
    with translation.override(language):
        assert Country.objects.get(code="ES").label == spain
        assert str(Country.objects.get(code="GB")) == kingdom
        # NUTS writes the United Kingdom as UK and Greece as EL
        assert NutsRegion.objects.get(code="UK").label == kingdom
        assert NutsRegion.objects.get(code="ES11").label == "Galicia"


def test_nace_titles_from_eurostat_and_by_hand():
    food = NaceActivity.objects.get(version="2", code="10")
    with translation.override("fr"):
        assert food.label == "Industries alimentaires"  # Eurostat RAMON
    with translation.override("gl"):
        assert food.label == "Industria da alimentación"  # by hand: RAMON has no Galician
        # groups and classes too, by hand
        fish = NaceActivity.objects.get(version="2", code="10.20")
        assert fish.label == "Procesado e conservación de peixe, crustáceos e moluscos"
        # a Rev. 2.1 class with the English title of a Rev. 2 class takes its Galician title
        assert NaceActivity.objects.get(version="2.1", code="10.20").label == fish.label
    with translation.override("pt"):
        # Rev. 2.1 division 10 has the English title of Rev. 2's: it takes its translations
        assert NaceActivity.objects.get(version="2.1", code="10").label == "Indústrias alimentares"
        # a title new in Rev. 2.1, translated by hand
        assert NaceActivity.objects.get(version="2.1", code="47").label == "Comércio a retalho"
        assert (
            NaceActivity.objects.get(version="2.1", code="47.91").label
            == "Atividades de intermediação do comércio a retalho não especializado"
        )
    with translation.override("fr"):
        assert (
            NaceActivity.objects.get(version="2.1", code="38.22").label
            == "Valorisation énergétique"
        )


@pytest.mark.parametrize(
    ("version", "language"), [(v, lang) for v in ("2", "2.1") for lang in ("es", "gl", "pt", "fr")]
)
def test_every_nace_title_has_a_translation(version, language):
    untranslated = [
        a.code
        for a in NaceActivity.objects.filter(version=version).only("code", "names")
        if not a.names.get(language)
    ]
    assert untranslated == []


def test_taxonomy_terms_keep_an_administrator_translation():
    from atclusters.core.reference import reference_load

    term = Term.objects.get(kind="ecosystem", slug="agri-food")
    with translation.override("es"):
        assert term.label == "Agroalimentario"
    term.names["es"] = "Agroalimentación"
    term.save()
    reference_load()
    term.refresh_from_db()
    assert term.names["es"] == "Agroalimentación" and term.names["fr"] == "Agroalimentaire"


def test_an_untranslated_name_stays_as_entered():
    assert localised("ERRIN", {}, "pt") == "ERRIN"
    assert localised("Health", {"es": "Salud"}, "gl") == "Salud"
    assert localised("Health", {"es": "Salud", "gl": "Saúde"}, "gl") == "Saúde"


def test_names_sort_without_regard_to_case_or_accents():
    names = ["ASINCAR", "Ávila Tech", "AgroCluster", "zeta", "Aclunaga"]
    assert sorted_by_label(names, str) == [
        "Aclunaga",
        "AgroCluster",
        "ASINCAR",
        "Ávila Tech",
        "zeta",
    ]
    assert collation_key("Área") < collation_key("Azul")


def test_the_directory_sorts_names_regardless_of_case(client):
    from tests.factories import ClusterFactory

    for name in ("ASINCAR", "AgroCluster", "aclunaga"):
        ClusterFactory(name=name)
    body = client.get("/en/clusters/?sort=name").text
    assert body.index(">aclunaga<") < body.index(">AgroCluster<") < body.index(">ASINCAR<")


def test_the_us_benchmark_categories_in_the_reader_language():
    from atclusters.mapping.demo import us_cmp_categories_load
    from atclusters.mapping.selectors import category_names

    us_cmp_categories_load()
    with translation.override("gl"):
        names = category_names("us-cmp-nace2")
        assert names["livestock-processing"] == "Transformación de produtos gandeiros"
        assert category_names("us-cmp-naics2012")["apparel"] == "Confección"
        assert category_names("a10")["F"] == "Construción"
    with translation.override("en"):
        assert category_names("us-cmp-nace2")["livestock-processing"] == "Livestock Processing"
    assert len(names) == 67
