"""A stylesheet written into an SVG as presentation attributes (`fill="#0b5fa5"`), so that a
chart saved as a file of its own looks as it does on the page without a `<style>` element: a
Content-Security-Policy without 'unsafe-inline' (ours, `SECURE_CSP`) blocks that element, and
the `style` attribute too, when the file is opened in the browser from our site. Pure Python.

Rules apply by the cascade: the more specific selector wins, then the later rule; a rule beats
an attribute already on the element, as CSS does (SVG 2, 6.8 "Presentation attributes").
Only selectors of element names and classes joined by descendant combinators are read
(`.line-chart .axis`, `circle.apart`): the others (`:hover`, `:focus`, `[data-interactive]`,
`figure > …`) are states of the page and its layout, not of a file. The root's `background`,
`border` and `border-radius` become a rectangle behind the chart."""

import re
from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
# The CSS properties of our charts that SVG also takes as attributes (SVG 2, "Property index").
PRESENTATION = frozenset({
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
    "opacity", "font-size", "font-weight", "font-family", "text-anchor", "color",
})  # fmt: skip
FRAME = ("background", "border", "border-radius")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMPOUND = re.compile(r"([a-zA-Z][\w-]*)?((?:\.[\w-]+)*)")

Compound = tuple[str | None, frozenset[str]]


def _compounds(selector: str) -> list[Compound] | None:
    """`.line-chart circle.apart` → [(None, {line-chart}), (circle, {apart})]; None for a
    selector this module does not read."""
    compounds = []
    for part in selector.split():
        match = COMPOUND.fullmatch(part)
        if match is None or not part:
            return None
        tag, classes = match.groups()
        compounds.append((tag, frozenset(filter(None, classes.split(".")))))
    return compounds or None


def rules(css: str) -> list[tuple[tuple[int, int, int], list[Compound], dict[str, str]]]:
    """The stylesheet's readable rules, each with its precedence (classes, element names,
    position), its selector and its declarations."""
    found = []
    for position, (selectors, body) in enumerate(RULE.findall(COMMENT.sub("", css))):
        declarations = {}
        for declaration in body.split(";"):
            name, _colon, value = declaration.partition(":")
            if value.strip():
                declarations[name.strip().lower()] = value.strip()
        for selector in selectors.split(","):
            compounds = _compounds(selector.strip())
            if compounds is not None:
                classes = sum(len(names) for _tag, names in compounds)
                tags = sum(1 for tag, _names in compounds if tag)
                found.append(((classes, tags, position), compounds, declarations))
    found.sort(key=lambda rule: rule[0])
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _matches(compound: Compound, element: ElementTree.Element) -> bool:
    tag, classes = compound
    return (tag is None or _local(element.tag) == tag) and classes <= set(
        element.get("class", "").split()
    )


def _selects(compounds: list[Compound], path: list[ElementTree.Element]) -> bool:
    """Whether the selector selects the last element of `path` (root first)."""
    if not _matches(compounds[-1], path[-1]):
        return False
    remaining = compounds[:-1]
    for ancestor in reversed(path[:-1]):
        if remaining and _matches(remaining[-1], ancestor):
            remaining = remaining[:-1]
    return not remaining


def _frame(root: ElementTree.Element, declarations: dict[str, str]) -> None:
    """The root's background and border as a rectangle behind everything else."""
    frame = ElementTree.Element(f"{{{SVG_NS}}}rect", {"width": "100%", "height": "100%"})
    frame.set("fill", declarations.get("background", "none"))
    if "border" in declarations:
        width, *_style, colour = declarations["border"].split()
        frame.set("stroke", colour)
        frame.set("stroke-width", width.removesuffix("px"))
    if "border-radius" in declarations:
        frame.set("rx", declarations["border-radius"].removesuffix("px"))
    titled = len(root) > 0 and _local(root[0].tag) == "title"  # the title stays first
    root.insert(1 if titled else 0, frame)


def inline(svg: str, css: str) -> str:
    """`svg` (namespaced, with an XML declaration or not) with `css` written into its elements
    as attributes, serialised without an XML declaration."""
    root = fromstring(svg)
    stylesheet = rules(css)
    frame: dict[str, str] = {}

    def style(element: ElementTree.Element, path: list[ElementTree.Element]) -> None:
        path = [*path, element]
        for _precedence, compounds, declarations in stylesheet:
            if _selects(compounds, path):
                for name, value in declarations.items():
                    if name in PRESENTATION:
                        element.set(name, value)
                    elif element is root and name in FRAME:
                        frame[name] = value
        for child in element:
            style(child, path)

    style(root, [])
    if frame:
        _frame(root, frame)
    ElementTree.register_namespace("", SVG_NS)
    return ElementTree.tostring(root, encoding="unicode")
