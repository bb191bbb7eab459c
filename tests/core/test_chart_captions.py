"""Every chart, on the public pages and the staff's, says where its figures come from and of
when: a <figure> whose <figcaption> names the source and the year or period, and what is
incomplete."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import atclusters

TEMPLATES = Path(atclusters.__file__).parent
CAPTIONS = ("<figcaption", "_chart_caption.html", "_chart_source.html")


def test_every_figure_of_a_template_has_a_caption():
    bare = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        text = path.read_text(encoding="utf-8")
        figures = re.findall(r"<figure.*?</figure>", text, flags=re.S)
        bare += [name for figure in figures if not any(c in figure for c in CAPTIONS)]
        # a chart drawn straight into the page, not into a figure
        bare += [name for _tag in re.findall(r"{% (?:stacked_)?bar_chart [^%]*? %}", text)
                 if not re.search(r"{% (?:stacked_)?bar_chart [^%]* as \w+ %}", text)]  # fmt: skip
    assert bare == []


class _Charts(HTMLParser):
    """Each chart's caption text ("" when the chart is in no figure or the figure has none)."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.captions: list[str] = []
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "figure":
            self.figures.append({"charts": 0, "caption": ""})
        elif tag == "svg" and classes.endswith("-chart"):
            if self.figures:
                self.figures[-1]["charts"] += 1
            else:
                self.captions.append("")
        elif tag == "figcaption":
            self.in_caption = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.in_caption = False
        elif tag == "figure" and self.figures:
            figure = self.figures.pop()
            self.captions += [figure["caption"]] * figure["charts"]

    def handle_data(self, data):
        if self.in_caption and self.figures:
            self.figures[-1]["caption"] += data


def chart_captions(html: str) -> list[str]:
    parser = _Charts()
    parser.feed(html)
    return [" ".join(caption.split()) for caption in parser.captions]


@pytest.mark.django_db
def test_the_profile_charts_name_their_source_and_year(client, world):
    from django.utils import timezone

    year = str(timezone.now().year)
    captions = chart_captions(client.get("/es/clusters/food/").text)
    assert len(captions) == 2
    assert captions == [f"Fuente: el registro de miembros de la plataforma. Cifras de {year}."] * 2
