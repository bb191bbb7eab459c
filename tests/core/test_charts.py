"""Server-drawn charts: points drawn apart from their line."""

from atclusters.core.templatetags.charts import line_chart

SERIES = [("Galicia", [(2016, 1.44), (2017, 1.41), (2018, 2.76)]), ("Norte", [(2017, 0.9)])]


def test_points_apart_are_hollow_joined_to_no_line_and_explained():
    svg = line_chart(SERIES, "LQ", "Farming", apart={2018}, apart_label="Incomplete year")
    galicia = svg.split('<g class="series-0">')[1].split("</g>")[0]
    # One line from 2016 to 2017 only; 2018 is a hollow point of its own.
    assert galicia.count("<polyline") == 1
    assert galicia.count('class="apart"') == 1 and "Galicia 2018: 2.76" in galicia
    assert '<g class="apart-key">' in svg and "Incomplete year</text>" in svg


def test_without_points_apart_nothing_is_marked():
    svg = line_chart(SERIES, "LQ", "Farming", apart={2010}, apart_label="Incomplete year")
    # Galicia's line; Norte's single point needs none.
    assert "apart" not in svg and svg.count("<polyline") == 1
    assert line_chart(SERIES, "LQ", "Farming") == svg
