"""Numbers in the reader's locale, in tables and charts; -100 % growth shown as no data."""

import pytest
from django.template import Context, Template
from django.utils import translation

from atclusters.core.templatetags import charts
from atclusters.core.templatetags.numbers import growth_percent, number, percent


@pytest.mark.parametrize(
    ("language", "thousands", "share", "growth"),
    [
        ("en", "12,345", "6.9\xa0%", "1.2\xa0%"),
        ("es", "12\xa0345", "6,9\xa0%", "1,2\xa0%"),
        ("gl", "12.345", "6,9\xa0%", "1,2\xa0%"),  # Django's gl formats have no grouping
        ("pt", "12.345", "6,9\xa0%", "1,2\xa0%"),
        ("fr", "12\xa0345", "6,9\xa0%", "1,2\xa0%"),
    ],
)
def test_separators_of_each_language(language, thousands, share, growth):
    with translation.override(language):
        assert number(12345.4) == thousands
        assert Template("{{ n|floatformat:'0g' }}").render(Context({"n": 12345})) == thousands
        assert percent(0.0691) == share
        assert growth_percent(0.0123) == growth


def test_growth_of_minus_100_percent_is_no_data():
    with translation.override("es"):
        assert growth_percent(-1.0) == "sin datos"
        assert growth_percent(None) == "sin datos"
        assert growth_percent(-0.25) == "-25,0\xa0%"


def test_chart_ticks_and_counts_in_the_reader_locale():
    with translation.override("gl"):
        bars = charts.bar_chart([("Galicia", 12345)], "Emprego")
        assert ">12.345<" in bars
        bubble = charts.bubble_chart([("A", 2.5, 0.046, 50.0)], "CL", "Crecemento", "Título")
        # y from min(−1 %, 4.6 %) to 4.6 %, padded by 12 % of the span; x up to 2.5 × 1.08
        assert ">-1,7\xa0%</text>" in bubble and ">5,3\xa0%</text>" in bubble
        assert ">2,7</text>" in bubble
