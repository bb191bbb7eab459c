"""Identifier errors reach users in their language: identifiers.py gives codes and parameters,
the organisation's validation (forms and API) and the importer write the messages, naming the
country by its name in that language."""

import pytest
from django.utils import translation

from atclusters.registry.importers import importer_for

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_vat_number_in_the_reader_language(client, bearer, world):
    body = {"name": "Bad VAT", "type": "sme", "country": "PT", "vat_number": "ES123"}
    for language, expected in (
        ("es", "Un número de IVA de Portugal empieza por PT."),
        ("fr", "Un numéro de TVA (Portugal) commence par PT."),
    ):
        refused = client.post(
            "/api/v1/organisations", body, content_type="application/json",
            headers={**bearer("staff"), "Accept-Language": language},
        )  # fmt: skip
        assert refused.status_code == 422
        assert refused.json()["detail"]["vat_number"] == [expected]


def test_the_importer_names_the_bad_identifiers_in_the_reader_language(world):
    text = "name,type,country,vat_number,national_id,pic,lei\nBad Ids,sme,FR,,732829321,12345,\n"
    with translation.override("pt"):
        report = importer_for("organisations", actor=None).run(text.encode(), "o.csv")
    errors = {e.column: e.message for e in report.errors}
    assert errors["national_id"] == (
        "Um SIREN francês tem 9 algarismos com um algarismo de controlo de Luhn válido."
    )
    assert errors["pic"] == "Um PIC da UE tem 9 algarismos."
    with translation.override("gl"):
        report = importer_for("organisations", actor=None).run(text.encode(), "o.csv")
    assert {e.column: e.message for e in report.errors}["pic"] == "Un PIC da UE ten 9 díxitos."
