"""Datasets, category schemes and region groups named in the reader's language; a shipped one
without a name in a platform language fails."""

import pytest
from django.conf import settings
from django.utils import translation

from atclusters.mapping.demo import partner_regions_load, us_cmp_categories_load
from atclusters.mapping.models import CategoryScheme, RegionGroup
from atclusters.mapping.services import region_group_save
from atclusters.mapping.statfiles import StatFileError

pytestmark = pytest.mark.django_db

OTHERS = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_every_shipped_scheme_and_group_is_named_in_every_language(world):
    us_cmp_categories_load()
    partner_regions_load()
    shipped = [*CategoryScheme.objects.all(), *RegionGroup.objects.all()]
    assert len(shipped) == 3
    missing = [
        (item.slug, language)
        for item in shipped
        for language in OTHERS
        if not item.names.get(language) or item.names[language] == item.name
    ]
    assert missing == []


def test_the_statistics_page_shows_them_in_the_reader_language(client, world):
    us_cmp_categories_load()
    partner_regions_load()
    with translation.override("gl"):
        assert str(RegionGroup.objects.get()) == "Rexións socias de ATCLUSTERS"
    body = client.get("/fr/statistics/").text
    assert "Régions partenaires d’ATCLUSTERS" in body
    assert "Clusters de référence des États-Unis (NACE Rév. 2)" in body
    assert "ATCLUSTERS partner regions" not in body


def test_a_name_in_an_unknown_language_is_refused(world):
    with pytest.raises(StatFileError, match="names"):
        region_group_save(actor=None, slug="x", name="X", regions=["ES11"], names={"de": "Gruppe"})
