"""Draws the atclusters icon (three linked clusters on the accent blue) as the SVG the pages use
and the PNG and ICO files browsers and the web app manifest ask for. Run once after a change:
    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "atclusters" / "static" / "atclusters"
ACCENT, WHITE = "#0b5fa5", "#ffffff"
# On a 512 grid: three nodes and the links between them.
NODES = [(160, 330, 70), (352, 330, 70), (256, 165, 70)]
LINKS = [(0, 1), (1, 2), (2, 0)]
LINK_WIDTH = 34


def svg() -> str:
    links = "".join(
        f'<line x1="{NODES[a][0]}" y1="{NODES[a][1]}" x2="{NODES[b][0]}" y2="{NODES[b][1]}"/>'
        for a, b in LINKS
    )
    nodes = "".join(f'<circle cx="{x}" cy="{y}" r="{r}"/>' for x, y, r in NODES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" rx="96" fill="{ACCENT}"/>'
        f'<g stroke="{WHITE}" stroke-width="{LINK_WIDTH}">{links}</g>'
        f'<g fill="{WHITE}">{nodes}</g></svg>\n'
    )


def raster(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges without an SVG renderer
    big = Image.new("RGBA", (512 * scale, 512 * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw.rounded_rectangle((0, 0, 512 * scale - 1, 512 * scale - 1), 96 * scale, fill=ACCENT)
    for a, b in LINKS:
        (xa, ya, _), (xb, yb, _) = NODES[a], NODES[b]
        draw.line(
            (xa * scale, ya * scale, xb * scale, yb * scale), fill=WHITE, width=LINK_WIDTH * scale
        )
    for x, y, r in NODES:
        draw.ellipse(((x - r) * scale, (y - r) * scale, (x + r) * scale, (y + r) * scale), WHITE)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    (STATIC / "icon.svg").write_text(svg(), encoding="utf-8")
    for size in (192, 512):
        raster(size).save(STATIC / f"icon-{size}.png", optimize=True)
    raster(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
