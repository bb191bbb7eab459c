"""What the matches and meta-clusters cite is in the reader's language: the reasons' words and
the NACE activities, terms and categories they name; a reason without a translation fails."""

import pytest
from django.conf import settings
from django.utils import translation

from atclusters.cooperation.matching import REASONS, Reason
from atclusters.cooperation.selectors import reason_text
from atclusters.core.models import NaceActivity, Term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_reason_has_a_translation(language):
    with translation.override(language):
        missing = [code for code, text in REASONS.items() if translation.gettext(text) == text]
    assert missing == []


def test_a_reason_names_activities_and_terms_in_the_reader_language(world):
    meat = NaceActivity.objects.get(version=NaceActivity.Version.REV2, code="10.11")
    dairy = NaceActivity.objects.get(version=NaceActivity.Version.REV2, code="10.51")
    Term.objects.create(
        kind="ecosystem", slug="agri-food-test", name="Agri-food test",
        names={"es": "Agroalimentario prueba", "fr": "Agroalimentaire essai"},
    )  # fmt: skip
    nace = Reason("nace_group", {"activities": f"10.11 {meat.name}, 10.51 {dairy.name}"})
    ecosystem = Reason("ecosystem", {"names": "Agri-food test"})
    with translation.override("es"):
        assert reason_text(nace) == (
            f"mismo grupo NACE 10.11 {meat.names['es']}, 10.51 {dairy.names['es']}"
        )
        assert "Agroalimentario prueba" in reason_text(ecosystem)
    with translation.override("fr"):
        assert "Agroalimentaire essai" in reason_text(ecosystem)
        assert meat.names["fr"] in reason_text(nace)
    with translation.override("en"):
        assert reason_text(ecosystem) == "both in Agri-food test ecosystem"


def test_value_chain_links_read_in_the_reader_language(world):
    link = Reason("value_chain", {"link": "fishing and aquaculture → seafood processing"})
    supplies = Reason("supplies", {"link": "food processing → wholesale"})
    with translation.override("es"):
        assert reason_text(link).endswith(
            "pesca y acuicultura → transformación de productos del mar"
        )
        assert "industria alimentaria → comercio al por mayor" in reason_text(supplies)
    with translation.override("gl"):
        assert "industria alimentaria → comercio por xunto" in reason_text(supplies)
    with translation.override("en"):
        assert reason_text(supplies).endswith(": food processing → wholesale")


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_value_chain_link_has_words_in_each_language(language):
    from atclusters.cooperation.selectors import _value_chain_rows

    rows = _value_chain_rows()
    assert len(rows) == 34
    missing = [row["description"] for row in rows if not row.get(f"description_{language}")]
    assert missing == []
