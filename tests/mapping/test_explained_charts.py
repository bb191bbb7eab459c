"""Charts and maps that explain themselves: a no-data entry in the map's legend, the source and
the boundaries' copyright inside the drawing, the source under every chart."""

import pytest

from tests.mapping.test_statistics_pages import figures_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def statistics():
    return figures_import(name="Emprego rexional")


def test_the_category_map_has_a_no_data_entry_and_its_source(client, statistics):
    body = client.get("/es/statistics/categories/A/?dataset=small&categories=a10&level=2").text
    drawing = body.split('<svg class="choropleth"')[1].split("</svg>")[0]
    # the three regions of the small set have data; the other NUTS 2 regions are grey
    assert 'class="no-data"></rect><text x="20" y="12">Sin datos</text>' in drawing
    assert (
        '<text x="8" y="' in drawing
        and ">Fuente: Emprego rexional. Límites administrativos © EuroGeographics.</text>"
        in drawing
    )
    assert "(FRH0): sin datos</title>" in drawing


def test_every_portfolio_chart_names_its_source(client, statistics):
    body = client.get("/pt/regions/ES11/portfolio/?dataset=small&categories=a10").text
    captions = body.split('<figcaption class="source">')[1:]
    assert len(captions) == 2
    assert all(c.startswith("Fonte: Emprego rexional") for c in captions)
    assert "Tamanho da bolha: emprego." in captions[0]
