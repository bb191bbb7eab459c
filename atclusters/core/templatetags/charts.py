"""Charts drawn on the server as SVG.

They need no script and no inline style, so they work with JavaScript off and under a
Content-Security-Policy without 'unsafe-inline' (see docs/decisions/0003-server-rendered-charts.md).
"""

import math
import textwrap
from collections.abc import Callable, Collection, Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from atclusters.core.templatetags.numbers import number, percent

register = template.Library()

ROW_HEIGHT = 22
LABEL_WIDTH = 170
BAR_WIDTH = 110
COUNT_WIDTH = 40


@register.simple_tag
def bar_chart(rows: Sequence[tuple[str, int]], title: str) -> SafeString:
    """A horizontal bar per (label, count); the title names the chart for screen readers, and
    every bar carries its own number as text (long labels are shortened, with the full label
    as the bar's tooltip)."""
    if not rows:
        return SafeString("")
    largest = max(count for _label, count in rows) or 1
    height = ROW_HEIGHT * len(rows)
    count_width = max(COUNT_WIDTH, 8 * max(len(number(count)) for _label, count in rows))
    bars = format_html_join(
        "",
        '<g transform="translate(0 {})"><title>{}</title>'
        '<text x="{}" y="15" text-anchor="end">{}</text>'
        '<rect x="{}" y="3" width="{}" height="16" rx="2" class="bar"></rect>'
        '<text x="{}" y="15">{}</text></g>',
        (
            (
                index * ROW_HEIGHT,
                f"{label}: {number(count)}",
                LABEL_WIDTH - 6,
                _short(label, BAR_LABEL_CHARACTERS),
                LABEL_WIDTH,
                round(BAR_WIDTH * count / largest, 1),
                LABEL_WIDTH + round(BAR_WIDTH * count / largest, 1) + 4,
                number(count),
            )
            for index, (label, count) in enumerate(rows)
        ),
    )
    width = LABEL_WIDTH + BAR_WIDTH + count_width
    summary = "; ".join(f"{label}: {number(count)}" for label, count in rows)
    return format_html(
        '<svg class="bar-chart" role="img" viewBox="0 0 {} {}"><title>{} — {}</title>{}</svg>',
        width,
        height,
        title,
        summary,
        bars,
    )


BAR_LABEL_CHARACTERS = 26
STACK_WIDTH = 360


@register.simple_tag
def stacked_bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]], parts: Sequence[str], title: str
) -> SafeString:
    """A horizontal bar per (label, [value of each part]) split into its parts, with a legend
    and each part's value as its tooltip."""
    if not rows:
        return SafeString("")
    largest = max(sum(values) for _label, values in rows) or 1
    bars = []
    for index, (label, values) in enumerate(rows):
        start = float(LABEL_WIDTH)
        pieces = []
        for part, value in enumerate(values):
            width = STACK_WIDTH * value / largest
            if width > 0:
                pieces.append(
                    format_html(
                        '<g class="series-{}"><rect x="{}" y="3" width="{}" height="16">'
                        "<title>{}: {}</title></rect></g>",
                        part % LINE_COLOURS,
                        round(start, 1),
                        round(width, 1),
                        parts[part],
                        number(value, 0),
                    )
                )
            start += width
        bars.append(
            format_html(
                '<g transform="translate(0 {})"><text x="{}" y="15" text-anchor="end">{}</text>'
                '{}<text x="{}" y="15">{}</text></g>',
                index * ROW_HEIGHT,
                LABEL_WIDTH - 6,
                _short(label, BAR_LABEL_CHARACTERS),
                SafeString("".join(pieces)),
                round(start, 1) + 4,
                number(sum(values), 0),
            )
        )
    legend_top = ROW_HEIGHT * len(rows) + 10
    legend = format_html_join(
        "",
        '<g class="series-{}" transform="translate({} {})"><rect width="10" height="10"></rect>'
        '<text x="14" y="9">{}</text></g>',
        (
            (part % LINE_COLOURS, LABEL_WIDTH + 130 * (part % 3), legend_top + 16 * (part // 3),
             name)
            for part, name in enumerate(parts)
        ),
    )  # fmt: skip
    height = legend_top + 16 * ((len(parts) + 2) // 3) + 4
    summary = "; ".join(f"{label}: {number(sum(values), 0)}" for label, values in rows)
    return format_html(
        '<svg class="stacked-chart" role="img" viewBox="0 0 {} {}"><title>{} — {}</title>'
        "{}{}</svg>",
        LABEL_WIDTH + STACK_WIDTH + 90,
        height,
        title,
        summary,
        SafeString("".join(bars)),
        legend,
    )


NETWORK_WIDTH = 760
NETWORK_HEIGHT = 520
NETWORK_RADIUS = 190


@register.simple_tag
def network_chart(
    nodes: Sequence[tuple[str, str, str]], edges: Sequence[tuple[str, str, str]], title: str
) -> SafeString:
    """Nodes (key, label, key of the group's head) on a circle, groups kept together; a curved
    line per edge (with its name as a tooltip) and a dotted line from each member to its head.
    Nodes and edges carry their keys so that site.js can make the drawing zoomable and show a
    node's links; without JavaScript it is a still picture."""
    if not nodes:
        return SafeString("")
    centre_x, centre_y = NETWORK_WIDTH / 2, NETWORK_HEIGHT / 2
    position: dict[str, tuple[float, float, float]] = {}
    for index, (key, _label, _group) in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / len(nodes)
        position[key] = (
            round(centre_x + NETWORK_RADIUS * math.cos(angle), 1),
            round(centre_y + NETWORK_RADIUS * math.sin(angle), 1),
            angle,
        )
    links = format_html_join(
        "",
        '<path d="M{} {} Q{} {} {} {}" class="edge" data-a="{}" data-b="{}">'
        "<title>{}</title></path>",
        (
            (*position[a][:2], centre_x, centre_y, *position[b][:2], a, b, name)
            for a, b, name in edges
            if a in position and b in position
        ),
    )
    belongs = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="belongs"></line>',
        (
            (*position[key][:2], *position[group][:2])
            for key, _label, group in nodes
            if group != key and group in position
        ),
    )
    points = format_html_join(
        "",
        '<g class="{}" data-key="{}" data-label="{}"><circle cx="{}" cy="{}" r="{}"></circle>'
        '<text x="{}" y="{}" text-anchor="{}">{}</text></g>',
        (_node_drawing(key, label, group, position[key]) for key, label, group in nodes),
    )
    return format_html(
        '<svg class="network-chart" role="img" viewBox="0 0 {} {}"><title>{}</title>{}{}{}</svg>',
        NETWORK_WIDTH,
        NETWORK_HEIGHT,
        title,
        belongs,
        links,
        points,
    )


def _node_drawing(
    key: str, label: str, group: str, at: tuple[float, float, float]
) -> tuple[str, str, str, float, float, int, float, float, str, str]:
    x, y, angle = at
    head = key == group
    cosine = math.cos(angle)
    anchor = "start" if cosine > 0.2 else "end" if cosine < -0.2 else "middle"
    label_x = round(x + 14 * cosine, 1)
    label_y = round(y + 14 * math.sin(angle) + 4, 1)
    return (
        "node head" if head else "node",
        key,
        label,
        x,
        y,
        9 if head else 5,
        label_x,
        label_y,
        anchor,
        _short(label, 28),
    )


BUBBLE_WIDTH, BUBBLE_HEIGHT, BUBBLE_MARGIN = 640, 380, 60
BUBBLE_FONT, BUBBLE_KEY_LINE = 11, 15
KEY_COLUMN_CHARACTERS = 36  # a label that fits half the plot's width at BUBBLE_FONT
# A sans-serif's average advance as a share of its size: enough to keep estimated labels apart.
CHARACTER_WIDTH = 0.6

Box = tuple[float, float, float, float]


def _text_box(x: float, y: float, text: str, size: float, anchor: str) -> Box:
    """The box (left, top, right, bottom) a line of text takes, its baseline at y."""
    width = len(text) * size * CHARACTER_WIDTH
    left = x - width / 2 if anchor == "middle" else x if anchor == "start" else x - width
    return (left, y - size * 0.8, left + width, y + size * 0.25)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _bubble_labels(
    circles: Sequence[tuple[str, float, float, float]],
) -> tuple[dict[int, SafeString], list[tuple[int, int]]]:
    """Labels placed without overlapping one another, the largest bubbles first: on the
    bubble, above, below, right or left of it, inside the plot. A label that fits nowhere is
    replaced by a number on its bubble and listed under the chart (index, number)."""
    frame = (BUBBLE_MARGIN - 40, 4, BUBBLE_WIDTH - 4, BUBBLE_HEIGHT - BUBBLE_MARGIN)
    taken: list[Box] = []
    placed: dict[int, SafeString] = {}
    unplaced: list[int] = []
    for index in sorted(range(len(circles)), key=lambda i: -circles[i][3]):
        label, cx, cy, radius = circles[index]
        candidates = [
            (cx, cy + 4, "middle"),
            (cx, cy - radius - 3, "middle"),
            (cx, cy + radius + BUBBLE_FONT, "middle"),
            (cx + radius + 3, cy + 4, "start"),
            (cx - radius - 3, cy + 4, "end"),
        ]
        for x, y, anchor in candidates:
            box = _text_box(x, y, label, BUBBLE_FONT, anchor)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1]
            if inside and box[3] <= frame[3] and not any(_overlaps(box, t) for t in taken):
                taken.append(box)
                placed[index] = format_html(
                    '<text x="{}" y="{}" text-anchor="{}">{}</text>', round(x, 1), y, anchor, label
                )
                break
        else:
            unplaced.append(index)
    listed = []
    for number_, index in enumerate(sorted(unplaced, key=lambda i: circles[i][0].lower()), 1):
        _label, cx, cy, _radius = circles[index]
        placed[index] = format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="key-number">{}</text>',
            cx,
            cy + 4,
            number_,
        )
        listed.append((index, number_))
    return placed, listed


@register.simple_tag
def bubble_chart(
    points: Sequence[tuple[str, float, float, float]], x_label: str, y_label: str, title: str
) -> SafeString:
    """Points (label, x, y, size) on linear axes; bubble areas proportional to size. A dashed
    line marks x = 1 (a location quotient of 1) and y = 0 (no growth) when they are in range."""
    usable = [p for p in points if all(math.isfinite(v) for v in p[1:])]
    if not usable:
        return SafeString("")
    xs = [float(x) for _label, x, _y, _size in usable]
    ys = [float(y) for _label, _x, y, _size in usable]
    sizes = [float(size) for _label, _x, _y, size in usable]
    x_low, x_high = min(0.0, *xs), max(1.2, *xs) * 1.08
    y_low, y_high = min(-0.01, *ys), max(0.01, *ys)
    y_pad = (y_high - y_low) * 0.12
    y_low, y_high = y_low - y_pad, y_high + y_pad
    largest = max(sizes) or 1.0
    inner_w, inner_h = BUBBLE_WIDTH - 2 * BUBBLE_MARGIN, BUBBLE_HEIGHT - 2 * BUBBLE_MARGIN

    def sx(value: float) -> float:
        return round(BUBBLE_MARGIN + (value - x_low) / (x_high - x_low) * inner_w, 1)

    def sy(value: float) -> float:
        return round(
            BUBBLE_HEIGHT - BUBBLE_MARGIN - (value - y_low) / (y_high - y_low) * inner_h, 1
        )

    guides = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="guide"></line>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="guide"></line>',
        sx(1.0), BUBBLE_MARGIN, sx(1.0), BUBBLE_HEIGHT - BUBBLE_MARGIN,
        BUBBLE_MARGIN, sy(0.0), BUBBLE_WIDTH - BUBBLE_MARGIN, sy(0.0),
    )  # fmt: skip
    circles = [
        (label, sx(x), sy(y), round(4 + 26 * math.sqrt(size / largest), 1))
        for label, x, y, size in usable
    ]
    placed, listed = _bubble_labels(circles)
    bubbles = format_html_join(
        "",
        '<g class="bubble"><circle cx="{}" cy="{}" r="{}"><title>{}</title></circle>{}</g>',
        (
            (cx, cy, radius, label, placed.get(index, SafeString("")))
            for index, (label, cx, cy, radius) in enumerate(circles)
        ),
    )
    columns = (
        2 if all(len(circles[index][0]) <= KEY_COLUMN_CHARACTERS for index, _n in listed) else 1
    )
    key = format_html_join(
        "",
        '<text x="{}" y="{}" class="key">{}</text>',
        (
            (
                BUBBLE_MARGIN + (position % columns) * (BUBBLE_WIDTH - 2 * BUBBLE_MARGIN) / 2,
                BUBBLE_HEIGHT + 4 + BUBBLE_KEY_LINE * (position // columns),
                f"{number_} {circles[index][0]}",
            )
            for position, (index, number_) in enumerate(listed)
        ),
    )
    rows = math.ceil(len(listed) / columns)
    height = BUBBLE_HEIGHT + BUBBLE_KEY_LINE * rows + (8 if listed else 0)
    ticks = format_html(
        '<text x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle">1</text>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">0</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        sx(x_low), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14, number(x_low, 1),
        sx(1.0), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14,
        sx(x_high), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14, number(x_high, 1),
        BUBBLE_MARGIN - 4, sy(y_low) + 4, percent(y_low),
        BUBBLE_MARGIN - 4, sy(0.0) + 4,
        BUBBLE_MARGIN - 4, sy(y_high) + 4, percent(y_high),
    )  # fmt: skip
    axes = format_html(
        '<line x1="{m}" y1="{b}" x2="{r}" y2="{b}" class="axis"></line>'
        '<line x1="{m}" y1="{m}" x2="{m}" y2="{b}" class="axis"></line>'
        '<text x="{cx}" y="{ly}" text-anchor="middle">{xl}</text>'
        '<text x="14" y="{cy}" text-anchor="middle" transform="rotate(-90 14 {cy})">{yl}</text>',
        m=BUBBLE_MARGIN, b=BUBBLE_HEIGHT - BUBBLE_MARGIN, r=BUBBLE_WIDTH - BUBBLE_MARGIN,
        cx=BUBBLE_WIDTH / 2, ly=BUBBLE_HEIGHT - 12, cy=BUBBLE_HEIGHT / 2, xl=x_label, yl=y_label,
    )  # fmt: skip
    return format_html(
        '<svg class="bubble-chart" role="img" viewBox="0 0 {} {}"><title>{}</title>{}{}{}{}{}'
        "</svg>",
        BUBBLE_WIDTH,
        height,
        title,
        axes,
        ticks,
        guides,
        bubbles,
        key,
    )


LINE_WIDTH, LINE_HEIGHT, LINE_MARGIN, LINE_LEGEND = 640, 320, 64, 260
LABEL_CHARACTERS = 36


def _short(label: str, limit: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


LINE_COLOURS = 10  # .series-0 … .series-9 in charts.css


def _joined_stretches(
    points: Sequence[tuple[int, float]], apart: Collection[int]
) -> list[list[tuple[int, float]]]:
    """The runs of two or more consecutive points none of which is apart."""
    stretches: list[list[tuple[int, float]]] = [[]]
    for x, value in points:
        if x in apart:
            stretches.append([])
        else:
            stretches[-1].append((x, value))
    return [stretch for stretch in stretches if len(stretch) > 1]


@register.simple_tag
def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[int, float]]]],
    y_label: str,
    title: str,
    x_text: Callable[[int], str] = str,
    apart: Collection[int] = (),
    apart_label: str = "",
) -> SafeString:
    """A line per (label, [(year, value)…]) on shared axes, with a legend; each point carries
    its value as a tooltip. `x_text` writes an x value (e.g. a day number as a date). Points at
    an x in `apart` (e.g. a year that is not comparable with the others) are hollow and joined
    to no line; the legend explains them with `apart_label`."""
    usable = [
        (label, [(year, float(v)) for year, v in points if v is not None and math.isfinite(v)])
        for label, points in series
    ]
    usable = [(label, points) for label, points in usable if points]
    if not usable:
        return SafeString("")
    years = [year for _label, points in usable for year, _v in points]
    values = [v for _label, points in usable for _year, v in points]
    x_low, x_high = min(years), max(max(years), min(years) + 1)
    y_low, y_high = min(0.0, *values), max(values) or 1.0
    inner_w = LINE_WIDTH - 2 * LINE_MARGIN
    inner_h = LINE_HEIGHT - 2 * LINE_MARGIN

    def sx(year: float) -> float:
        return round(LINE_MARGIN + (year - x_low) / (x_high - x_low) * inner_w, 1)

    def sy(value: float) -> float:
        return round(LINE_HEIGHT - LINE_MARGIN - (value - y_low) / (y_high - y_low) * inner_h, 1)

    lines = format_html_join(
        "",
        '<g class="series-{}">{}{}'
        '<rect x="{}" y="{}" width="12" height="12"></rect><text x="{}" y="{}">{}</text></g>',
        (
            (
                index % LINE_COLOURS,
                format_html_join(
                    "",
                    '<polyline points="{}"></polyline>',
                    (
                        (" ".join(f"{sx(year)},{sy(v)}" for year, v in stretch),)
                        for stretch in _joined_stretches(points, apart)
                    ),
                ),
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3"{}><title>{} {}: {}</title></circle>',
                    (
                        (
                            sx(year),
                            sy(v),
                            SafeString(' class="apart"' if year in apart else ""),
                            label,
                            x_text(year),
                            number(v),
                        )
                        for year, v in points
                    ),
                ),
                LINE_WIDTH + 8,
                LINE_MARGIN + 18 * index - 10,
                LINE_WIDTH + 26,
                LINE_MARGIN + 18 * index,
                _short(label),
            )
            for index, (label, points) in enumerate(usable)
        ),
    )
    if apart_label and set(apart) & set(years):
        lines += format_html(
            '<g class="apart-key"><circle cx="{}" cy="{}" r="4" class="apart"></circle>'
            '<text x="{}" y="{}">{}</text></g>',
            LINE_WIDTH + 14,
            LINE_MARGIN + 18 * len(usable) - 4,
            LINE_WIDTH + 26,
            LINE_MARGIN + 18 * len(usable),
            _short(apart_label),
        )
    frame = format_html(
        '<line x1="{m}" y1="{b}" x2="{r}" y2="{b}" class="axis"></line>'
        '<line x1="{m}" y1="{m}" x2="{m}" y2="{b}" class="axis"></line>'
        '<text x="{m}" y="{ty}" text-anchor="middle">{x0}</text>'
        '<text x="{r}" y="{ty}" text-anchor="middle">{x1}</text>'
        '<text x="{lx}" y="{yb}" text-anchor="end">{y0}</text>'
        '<text x="{lx}" y="{yt}" text-anchor="end">{y1}</text>'
        '<text x="14" y="{cy}" text-anchor="middle" transform="rotate(-90 14 {cy})">{yl}</text>',
        m=LINE_MARGIN, b=LINE_HEIGHT - LINE_MARGIN, r=LINE_WIDTH - LINE_MARGIN,
        ty=LINE_HEIGHT - LINE_MARGIN + 16, x0=x_text(x_low), x1=x_text(x_high), lx=LINE_MARGIN - 4,
        yb=sy(y_low) + 4, yt=sy(y_high) + 4, y0=number(y_low), y1=number(y_high),
        cy=LINE_HEIGHT / 2, yl=y_label,
    )  # fmt: skip
    return format_html(
        '<svg class="line-chart" role="img" viewBox="0 0 {} {}"><title>{}</title>{}{}</svg>',
        LINE_WIDTH + LINE_LEGEND,
        LINE_HEIGHT,
        title,
        frame,
        lines,
    )


MAP_WIDTH = 640


@register.simple_tag
def choropleth(
    shapes: Sequence[tuple[str, list, str, int | None]],
    legend: Sequence[str],
    title: str,
    no_data: str = "",
    note: str = "",
) -> SafeString:
    """Regions as (tooltip, GeoJSON polygon or multipolygon coordinates, link, class index or
    None for no data), drawn in an equirectangular projection at 45° N framed on the regions
    that have data in continental Europe (outermost regions such as the Canaries and the
    Azores would shrink the rest to a corner); the legend names each class, and `no_data` the
    grey of regions without data when there are some. `note` (the source, the boundaries'
    copyright) is written under the legend, so that a downloaded map keeps it."""
    if not shapes:
        return SafeString("")
    scale_x = math.cos(math.radians(45))
    polygons = [
        (tooltip, [coordinates] if _depth(coordinates) == 3 else coordinates, link, klass)
        for tooltip, coordinates, link, klass in shapes
    ]
    framed = [
        poly
        for _t, polys, _l, klass in polygons
        if klass is not None
        for poly in polys
        if _in_frame(poly[0])
    ] or [poly for _t, polys, _l, _k in polygons for poly in polys]
    xs = [x * scale_x for poly in framed for x, _y in poly[0]]
    ys = [y for poly in framed for _x, y in poly[0]]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    margin = max(right - left, top - bottom) * 0.05
    left, right, bottom, top = left - margin, right + margin, bottom - margin, top + margin
    factor = MAP_WIDTH / max(right - left, 1e-6)
    height = round((top - bottom) * factor) + 1

    def path(polys: list) -> str:
        parts = []
        for poly in polys:
            for ring in poly:
                points = " ".join(
                    f"{round((x * scale_x - left) * factor, 1)} {round((top - y) * factor, 1)}"
                    for x, y in ring
                )
                parts.append(f"M{points}Z")
        return "".join(parts)

    regions = format_html_join(
        "",
        '<a href="{}" aria-label="{}"><path d="{}" class="{}"><title>{}</title></path></a>',
        (
            (link, tooltip, path(polys), "no-data" if klass is None else f"class-{klass}", tooltip)
            for tooltip, polys, link, klass in polygons
        ),
    )
    # A class without a label is not used by this map (its index keeps the colour scale).
    entries = [(f"class-{index}", label) for index, label in enumerate(legend) if label]
    if no_data and any(klass is None for *_rest, klass in polygons):
        entries.append(("no-data", no_data))
    keys = format_html_join(
        "",
        '<g transform="translate(8 {})"><rect width="14" height="14" class="{}"></rect>'
        '<text x="20" y="12">{}</text></g>',
        ((height + 8 + 20 * index, klass, label) for index, (klass, label) in enumerate(entries)),
    )
    bottom_line = height + 16 + 20 * len(entries)
    if note:
        keys = format_html(
            '{}<text x="8" y="{}" class="note">{}</text>', keys, bottom_line + 4, note
        )
        bottom_line += 20
    # Regions reaching beyond the frame are cut at its edge, above the legend.
    return format_html(
        '<svg class="choropleth" role="group" aria-label="{}" viewBox="0 0 {} {}"><title>{}</title>'
        '<clipPath id="choropleth-frame"><rect width="{}" height="{}"></rect></clipPath>'
        '<g clip-path="url(#choropleth-frame)">{}</g>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="frame"></line>{}</svg>',
        title,
        MAP_WIDTH,
        bottom_line,
        title,
        MAP_WIDTH,
        height,
        regions,
        height,
        MAP_WIDTH,
        height,
        keys,
    )


# Longitude and latitude bounds of the framing: Europe without its outermost regions.
FRAME_WEST, FRAME_SOUTH, FRAME_EAST, FRAME_NORTH = -25.0, 34.0, 45.0, 72.0


def _in_frame(ring: list) -> bool:
    x, y = ring[0]
    return FRAME_WEST <= x <= FRAME_EAST and FRAME_SOUTH <= y <= FRAME_NORTH


def _depth(value: list) -> int:
    depth = 0
    while isinstance(value, list):
        value, depth = value[0], depth + 1
    return depth


RADAR_SIZE, RADAR_RADIUS, RADAR_FONT, RADAR_LINE_CHARACTERS = 420, 130, 14, 18


def _radar_label(
    x: float, y: float, centre: float, lines: list[str]
) -> tuple[SafeString, list[Box]]:
    """A spoke's label in whole words on as many lines as it needs, beside the spoke's end:
    above it at the top, below it at the bottom, centred on it at the sides."""
    anchor = "middle" if abs(x - centre) < 20 else "start" if x > centre else "end"
    line_height = RADAR_FONT * 1.2
    if abs(x - centre) < 20:
        first = y - (len(lines) - 1) * line_height if y < centre else y + RADAR_FONT * 0.8
    else:
        first = y + RADAR_FONT * 0.35 - (len(lines) - 1) * line_height / 2
    baselines = [round(first + i * line_height, 1) for i in range(len(lines))]
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, baseline, line) for baseline, line in zip(baselines, lines, strict=True)),
    )
    boxes = [
        _text_box(x, baseline, line, RADAR_FONT, anchor)
        for baseline, line in zip(baselines, lines, strict=True)
    ]
    return format_html('<text text-anchor="{}">{}</text>', anchor, spans), boxes


@register.simple_tag
def radar_chart(axes: Sequence[tuple[str, float | None]], title: str) -> SafeString:
    """Scores 0–100 on one spoke each (an axis without a score is drawn at 0 and marked "—"),
    with rings at 25, 50 (the peers' median), 75 and 100. Labels are never cut: they wrap on
    whole words, and the drawing is as wide as its longest label needs."""
    if len(axes) < 3:
        return SafeString("")
    centre = RADAR_SIZE / 2

    def point(index: int, score: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        distance = RADAR_RADIUS * score / 100
        return (
            round(centre + distance * math.cos(angle), 1),
            round(centre + distance * math.sin(angle), 1),
        )

    rings = format_html_join(
        "",
        '<polygon points="{}" class="{}"></polygon>',
        (
            (
                " ".join(f"{x},{y}" for x, y in (point(i, level) for i in range(len(axes)))),
                "ring median" if level == 50 else "ring",
            )
            for level in (25, 50, 75, 100)
        ),
    )
    labels, boxes = [], []
    for index, (label, score) in enumerate(axes):
        lines = textwrap.wrap(label, RADAR_LINE_CHARACTERS, break_long_words=False) or [""]
        lines[-1] += f" ({'—' if score is None else round(score)})"
        drawn, taken = _radar_label(*point(index, 112), centre, lines)
        labels.append((*point(index, 100), drawn))
        boxes += taken
    spokes = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="spoke"></line>{}',
        ((centre, centre, x, y, drawn) for x, y, drawn in labels),
    )
    shape = " ".join(
        f"{x},{y}" for x, y in (point(i, score or 0) for i, (_label, score) in enumerate(axes))
    )
    summary = "; ".join(
        f"{label}: {'—' if score is None else round(score)}" for label, score in axes
    )
    left = math.floor(min(0.0, *(box[0] for box in boxes))) - 4
    top = math.floor(min(0.0, *(box[1] for box in boxes))) - 4
    right = math.ceil(max(float(RADAR_SIZE), *(box[2] for box in boxes))) + 4
    bottom = math.ceil(max(float(RADAR_SIZE), *(box[3] for box in boxes))) + 4
    return format_html(
        '<svg class="radar-chart" role="img" viewBox="{} {} {} {}" width="{}">'
        "<title>{} — {}</title>"
        '{}{}<polygon points="{}" class="score"></polygon></svg>',
        left,
        top,
        right - left,
        bottom - top,
        right - left,
        title,
        summary,
        rings,
        spokes,
        shape,
    )
