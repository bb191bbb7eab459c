"""Server-drawn charts: points drawn apart from their line, labels that never overlap nor
get cut."""

from defusedxml import ElementTree

from atclusters.core.templatetags.charts import (
    BUBBLE_FONT,
    RADAR_FONT,
    _overlaps,
    _text_box,
    bubble_chart,
    choropleth,
    line_chart,
    radar_chart,
)

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


def test_bubble_labels_never_overlap_and_those_that_do_not_fit_are_listed():
    # Twelve categories crowded around LQ 1 and 2 % growth, one apart from them.
    crowded = [(f"Category number {i}", 1 + i / 100, 0.02 + i / 1000, 100.0) for i in range(12)]
    points = [*crowded, ("Marine biotechnology", 3.2, -0.04, 400.0)]
    svg = bubble_chart(points, "Location quotient", "Growth", "Categories")
    document = ElementTree.fromstring(str(svg))
    bubbles = document.findall("g[@class='bubble']")
    labels = [g.find("text") for g in bubbles]
    placed = [t for t in labels if t.get("class") != "key-number"]
    numbered = [t for t in labels if t.get("class") == "key-number"]
    key = [t.text for t in document.findall("text[@class='key']")]
    assert "Marine biotechnology" in [t.text for t in placed]
    assert numbered and len(placed) + len(numbered) == len(points)
    # Each label not drawn beside its bubble is in the key, under its bubble's number.
    for g in bubbles:
        text = g.find("text")
        if text.get("class") == "key-number":
            assert f"{text.text} {g.find('circle/title').text}" in key
    boxes = [
        _text_box(float(t.get("x")), float(t.get("y")), t.text, BUBBLE_FONT, t.get("text-anchor"))
        for t in placed
    ]
    for i, a in enumerate(boxes):
        assert not any(_overlaps(a, b) for b in boxes[i + 1 :])
    height = float(document.get("viewBox").split()[3])
    assert all(float(t.get("y")) < height for t in document.findall("text[@class='key']"))


def test_radar_labels_wrap_on_whole_words_inside_the_drawing():
    long = "Internationalisation and access to foreign markets"
    axes = [(long, 72.0), ("Governance", 50.0), ("Services to members", None), ("Funding", 30.0)]
    svg = str(radar_chart(axes, "Area scores"))
    document = ElementTree.fromstring(svg)
    lines = [span.text for span in document.iter("tspan")]
    assert " ".join(lines[:3]) == f"{long} (72)"  # nothing cut, no word broken
    assert all(len(line) <= 18 + len(" (72)") for line in lines)
    assert "Services to members (—)" in " ".join(lines)
    left, top, width, height = map(float, document.get("viewBox").split())
    for text in document.iter("text"):
        for span in text:
            box = _text_box(
                float(span.get("x")), float(span.get("y")), span.text, RADAR_FONT,
                text.get("text-anchor"),
            )  # fmt: skip
            assert left <= box[0] and box[2] <= left + width
            assert top <= box[1] and box[3] <= top + height


def test_every_legend_swatch_of_a_map_is_named():
    square = [[[-8.0, 42.0], [-7.0, 42.0], [-7.0, 43.0], [-8.0, 43.0], [-8.0, 42.0]]]
    shapes = [("Galicia (ES11)", square, "/regions/ES11/", 3), ("Norte (PT11)", square, "/", 0)]
    svg = choropleth(shapes, ["no member", "", "", "members of the group"], "Regions", note="©")
    document = ElementTree.fromstring(str(svg))
    swatches = [g for g in document.iter("g") if g.find("rect") is not None]
    assert [g.find("text").text for g in swatches] == ["no member", "members of the group"]
    assert [g.find("rect").get("class") for g in swatches] == ["class-0", "class-3"]
