"""A stylesheet written into an SVG as presentation attributes (atclusters/core/svgstyle.py)."""

from defusedxml.ElementTree import fromstring

from atclusters.core import svgstyle

NS = "{http://www.w3.org/2000/svg}"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="line-chart" viewBox="0 0 10 10">'
    '<title>Members</title><g class="series-0"><polyline class="axis" points="0,0 1,1"/><circle class="apart" r="2"/>'
    '</g><rect class="bar" fill="red" width="3" height="3"/><text>a &amp; b</text></svg>'
)
CSS = """/* a comment { fill: red } */
.line-chart { width: 100%; font-size: 11px; background: #fff; border: 1px solid #d0d7de;
  border-radius: 6px; }
.line-chart .axis { stroke: #5b6b7a; } .line-chart polyline { fill: none; stroke-width: 2; }
.series-0 polyline, .series-0 circle { stroke: #1f77b4; }
.line-chart circle.apart { fill: #fff; stroke-width: 2; }
.bar { fill: #0b5fa5; }
.line-chart .axis:hover { stroke: #000; } figure > .line-chart { min-width: 900px; }
"""


def test_rules_become_attributes_by_the_cascade_and_states_are_left_out():
    root = fromstring(svgstyle.inline(SVG, CSS))
    title, frame, group, rect, text = list(root)
    assert title.text == "Members"  # still first, the chart's accessible name
    polyline, circle = list(group)
    assert root.get("font-size") == "11px" and root.get("width") is None
    # Two classes (.line-chart .axis) beat a class and a name (.series-0 polyline); :hover is
    # a state of the page, not of the file.
    assert (polyline.get("stroke"), polyline.get("stroke-width"), polyline.get("fill")) == (
        "#5b6b7a", "2", "none",
    )  # fmt: skip
    assert (circle.get("fill"), circle.get("stroke"), circle.get("stroke-width")) == (
        "#fff", "#1f77b4", "2",
    )  # fmt: skip
    assert rect.get("fill") == "#0b5fa5"  # a rule beats the attribute, as in CSS
    assert text.text == "a & b"
    assert (frame.tag, frame.get("fill"), frame.get("stroke"), frame.get("rx")) == (
        f"{NS}rect", "#fff", "#d0d7de", "6",
    )  # fmt: skip
    assert "style" not in svgstyle.inline(SVG, CSS)
