"""Every table and chart of the statistics pages as a file: CSV, XLSX, SVG (PNG is drawn
from the SVG in the browser, see static/atclusters/downloads.js)."""

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import SafeString

from atclusters.core import svgstyle
from atclusters.core import tables as tabular
from atclusters.core.reference import PACKAGE_DIR

CHART_STYLE = PACKAGE_DIR / "static" / "atclusters" / "charts.css"
TABLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

VIEW_BOX = re.compile(r'viewBox="(\S+) (\S+) (\S+) (\S+)"')
Table = tuple[Sequence[str], list[dict[str, Any]]]


def standalone_svg(svg: str) -> str:
    """The chart as a file of its own: namespaced, sized, with the chart styles written into
    its elements as attributes (`core/svgstyle.py`: a `<style>` element would be blocked by our
    Content-Security-Policy when the file is opened from the site)."""
    opening_end = svg.index(">") + 1
    _x, _y, width, height = VIEW_BOX.search(svg[:opening_end]).groups()  # type: ignore[union-attr]
    opening = svg[:opening_end].replace(
        "<svg ",
        f'<svg xmlns="{svgstyle.SVG_NS}" width="{width}" height="{height}" ',
        1,
    )
    styled = svgstyle.inline(opening + svg[opening_end:], CHART_STYLE.read_text(encoding="utf-8"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{styled}'


def download(
    request: HttpRequest,
    stem: str,
    tables: dict[str, Callable[[], Table]],
    charts: dict[str, Callable[[], SafeString]],
) -> HttpResponse | None:
    """The file that `?download=csv|xlsx&table=NAME` or `?download=svg&chart=NAME` asks for;
    None when the request asks for none (the page itself)."""
    kind = request.GET.get("download")
    if not kind:
        return None
    if kind == "svg":
        name = request.GET.get("chart") or next(iter(charts), "")
        if name not in charts:
            raise Http404
        svg = charts[name]()
        if not svg:
            raise Http404
        response = HttpResponse(standalone_svg(svg), content_type="image/svg+xml")
        extension = "svg"
    elif kind in TABLE_TYPES:
        name = request.GET.get("table") or next(iter(tables), "")
        if name not in tables:
            raise Http404
        columns, rows = tables[name]()
        response = HttpResponse(
            tabular.write_table(columns, rows, kind), content_type=TABLE_TYPES[kind]
        )
        extension = kind
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}.{extension}"'
    return response
