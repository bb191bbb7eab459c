"""Charts drawn on the server as SVG.

They need no script and no inline style, so they work with JavaScript off and under a
Content-Security-Policy without 'unsafe-inline' (see docs/decisions/0003-server-rendered-charts.md).
"""

import math
from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

ROW_HEIGHT = 22
LABEL_WIDTH = 170
BAR_WIDTH = 110
COUNT_WIDTH = 40


@register.simple_tag
def bar_chart(rows: Sequence[tuple[str, int]], title: str) -> SafeString:
    """A horizontal bar per (label, count); the title names the chart for screen readers, and
    every bar carries its own number as text."""
    if not rows:
        return SafeString("")
    largest = max(count for _label, count in rows) or 1
    height = ROW_HEIGHT * len(rows)
    bars = format_html_join(
        "",
        '<g transform="translate(0 {})"><text x="{}" y="15" text-anchor="end">{}</text>'
        '<rect x="{}" y="3" width="{}" height="16" rx="2" class="bar"></rect>'
        '<text x="{}" y="15">{}</text></g>',
        (
            (
                index * ROW_HEIGHT,
                LABEL_WIDTH - 6,
                label,
                LABEL_WIDTH,
                round(BAR_WIDTH * count / largest, 1),
                LABEL_WIDTH + round(BAR_WIDTH * count / largest, 1) + 4,
                count,
            )
            for index, (label, count) in enumerate(rows)
        ),
    )
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    summary = "; ".join(f"{label}: {count}" for label, count in rows)
    return format_html(
        '<svg class="bar-chart" role="img" viewBox="0 0 {} {}"><title>{} — {}</title>{}</svg>',
        width,
        height,
        title,
        summary,
        bars,
    )


NETWORK_WIDTH = 760
NETWORK_HEIGHT = 520
NETWORK_RADIUS = 190


@register.simple_tag
def network_chart(
    nodes: Sequence[tuple[str, str, str]], edges: Sequence[tuple[str, str, str]], title: str
) -> SafeString:
    """Nodes (key, label, key of the group's head) on a circle, groups kept together; a curved
    line per edge (with its name as a tooltip) and a dotted line from each member to its head."""
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
        '<path d="M{} {} Q{} {} {} {}" class="edge"><title>{}</title></path>',
        (
            (*position[a][:2], centre_x, centre_y, *position[b][:2], name)
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
        '<g class="{}"><circle cx="{}" cy="{}" r="{}"></circle>'
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
) -> tuple[str, float, float, int, float, float, str, str]:
    x, y, angle = at
    head = key == group
    cosine = math.cos(angle)
    anchor = "start" if cosine > 0.2 else "end" if cosine < -0.2 else "middle"
    label_x = round(x + 14 * cosine, 1)
    label_y = round(y + 14 * math.sin(angle) + 4, 1)
    return (
        "node head" if head else "node",
        x,
        y,
        9 if head else 5,
        label_x,
        label_y,
        anchor,
        label,
    )


BUBBLE_WIDTH, BUBBLE_HEIGHT, BUBBLE_MARGIN = 640, 380, 60


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
    bubbles = format_html_join(
        "",
        '<g class="bubble"><circle cx="{}" cy="{}" r="{}"><title>{}</title></circle>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
        (
            (
                sx(x),
                sy(y),
                round(4 + 26 * math.sqrt(size / largest), 1),
                label,
                sx(x),
                sy(y) + 4,
                label,
            )
            for label, x, y, size in usable
        ),
    )
    ticks = format_html(
        '<text x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle">1</text>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" text-anchor="end">0</text>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        sx(x_low), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14, f"{x_low:.1f}",
        sx(1.0), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14,
        sx(x_high), BUBBLE_HEIGHT - BUBBLE_MARGIN + 14, f"{x_high:.1f}",
        BUBBLE_MARGIN - 4, sy(y_low) + 4, f"{y_low:.1%}",
        BUBBLE_MARGIN - 4, sy(0.0) + 4,
        BUBBLE_MARGIN - 4, sy(y_high) + 4, f"{y_high:.1%}",
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
        '<svg class="bubble-chart" role="img" viewBox="0 0 {} {}"><title>{}</title>{}{}{}{}</svg>',
        BUBBLE_WIDTH,
        BUBBLE_HEIGHT,
        title,
        axes,
        ticks,
        guides,
        bubbles,
    )
