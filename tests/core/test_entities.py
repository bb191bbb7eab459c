"""One description per entity: the form, the import columns and the API's input schema derive
from one declaration (core/entities.py), the languages from core/languages.py."""

from datetime import date
from decimal import Decimal

import pytest

from atclusters.core import entities, languages
from atclusters.core.entities import Attribute, Entity
from atclusters.core.schemas import input_schema
from atclusters.registry.api import ClusterIn, OrganisationIn
from atclusters.registry.forms import ClusterForm, OrganisationForm
from atclusters.registry.importers import ClusterImporter, OrganisationImporter
from atclusters.registry.models import CLUSTER, ORGANISATION, ClusterOrganisation


def test_the_form_the_file_and_the_api_read_the_clusters_one_declaration():
    assert ClusterForm.Meta.fields == CLUSTER.form_fields()
    assert ClusterImporter.columns == CLUSTER.columns()
    assert set(ClusterIn.model_fields) == {a.name for a in CLUSTER.api_attributes()}
    descriptions = [f"description_{code}" for code in languages.CODES]
    for derived in (ClusterForm.Meta.fields, ClusterImporter.columns, list(ClusterIn.model_fields)):
        assert set(descriptions) <= set(derived)
    # where each one appears, and the file's name for the region
    assert "nuts_code" in ClusterImporter.columns and "nuts_region" in ClusterForm.Meta.fields
    assert ClusterImporter.field_columns == {"nuts_region": "nuts_code"}
    assert "status" in ClusterImporter.columns and "status" not in ClusterForm.Meta.fields
    assert "logo" in ClusterForm.Meta.fields and "logo" not in ClusterImporter.columns
    assert not {"slug", "agency", "status", "logo"} & set(ClusterIn.model_fields)


def test_the_organisations_too():
    assert OrganisationForm.Meta.fields == ORGANISATION.form_fields()
    assert OrganisationImporter.columns == ORGANISATION.columns()
    assert set(OrganisationIn.model_fields) == {a.name for a in ORGANISATION.api_attributes()}


def test_the_schema_types_come_from_the_model_fields():
    fields = ClusterIn.model_fields
    assert fields["name"].annotation == str | None
    assert fields["year_established"].annotation == int | None
    assert fields["latitude"].annotation == Decimal | None
    assert fields["label_date"].annotation == date | None
    assert fields["nuts_code"].annotation == str | None  # a region by its code
    assert fields["sectors"].annotation == list[str] | None
    assert all(field.default is None for field in fields.values())  # a PATCH gives what changes


@pytest.mark.django_db
def test_the_derived_relations_and_empty_values():
    assert CLUSTER.many_to_many() == (
        "sectors", "technology_fields", "ecosystems", "s3_areas", "networks",
    )  # fmt: skip
    empties = {a.field: CLUSTER.empty_value(a) for a in CLUSTER.api_attributes()}
    assert empties["acronym"] == "" and empties["label_date"] is None


def test_a_new_language_gives_every_declared_text_its_field(monkeypatch):
    monkeypatch.setattr(languages, "CODES", (*languages.CODES, "it"))
    entity = Entity(ClusterOrganisation, (Attribute("name"), *entities.per_language("summary")))
    assert entity.columns()[-1] == "summary_it"
    assert len(entity.form_fields()) == 1 + len(languages.CODES)


def test_a_schema_is_built_for_any_declaration():
    entity = Entity(ClusterOrganisation, (Attribute("name"), Attribute("country", api=False)))
    schema = input_schema(entity, "NameOnlyIn")
    assert list(schema.model_fields) == ["name"]
    assert schema.__name__ == "NameOnlyIn"


def test_per_language_model_fields_keep_their_place_and_their_labels():
    from django.utils import translation

    from atclusters.facilities.models import Resource
    from atclusters.services.models import Programme

    names = [field.name for field in Resource._meta.fields]
    assert names[names.index("hub") + 1 : names.index("kind")] == [
        f"name_{code}" for code in languages.CODES
    ]
    assert not Resource._meta.get_field("name_en").blank  # English required, the others not
    assert Resource._meta.get_field("name_fr").blank
    with translation.override("es"):
        assert str(Programme._meta.get_field("how_to_claim_gl").verbose_name) == (
            "cómo solicitarlo (gallego)"
        )
    assert str(ClusterOrganisation._meta.get_field("description_pt").verbose_name) == (
        "description (Portuguese)"
    )


def test_a_new_language_gives_each_per_language_field_its_own(monkeypatch):
    from django.db import models

    monkeypatch.setattr(languages, "CODES", (*languages.CODES, "it"))
    monkeypatch.setitem(languages.IN_LABEL, "it", "(Italian)")
    texts = entities.PerLanguage("summary", models.TextField, "summary")
    assert list(texts.fields)[-2:] == ["summary_fr", "summary_it"]
    assert str(texts.fields["summary_it"].verbose_name) == "summary (Italian)"


@pytest.mark.django_db
def test_the_apis_descriptions_one_per_language_are_sanitised_on_the_way_out(client, world):
    ClusterOrganisation.objects.filter(pk=world.cluster.pk).update(  # around the services
        description_gl='<p>Ondas</p><script>alert(1)</script><img src=x onerror="alert(1)">'
    )
    cluster = client.get("/api/v1/clusters/food").json()
    assert {f"description_{code}" for code in languages.CODES} <= set(cluster)
    assert cluster["description_gl"] == "<p>Ondas</p>"  # no script, no image


@pytest.mark.django_db
def test_an_importer_reads_each_declared_column_as_its_model_field_says():
    from atclusters.core.importing import Row, read_plain

    entity = Entity(
        ClusterOrganisation,
        (Attribute("name"), Attribute("year_established"), Attribute("status"),
         Attribute("label"), Attribute("latitude"), Attribute("country"), Attribute("sectors")),
    )  # fmt: skip
    errors: list = []
    row = Row(2, {"name": "x" * 201, "year_established": "1700", "status": "",
                  "label": "platinum", "latitude": "42,5"}, errors)  # fmt: skip
    data = read_plain(row, entity)
    assert {(error.column, error.message) for error in errors} == {
        ("name", "is longer than 200 characters"),
        ("year_established", "1700 is outside 1800–2100"),
        ("label", "unknown value 'platinum'; allowed: bronze, silver, gold"),
    }
    assert data["latitude"] == Decimal("42.5")
    assert "status" not in data  # empty: the default (or what is stored) stays
    assert not {"country", "sectors"} & set(data)  # references: the importer looks them up
    errors.clear()
    read_plain(Row(3, {}, errors), entity)
    assert [(error.column, error.message) for error in errors] == [("name", "is required")]
