from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _url(request: HttpRequest, kind: str, slot: str, name: str) -> str:
    query = request.GET.copy()
    for key in ("download", "table", "chart"):
        query.pop(key, None)
    query["download"], query[slot] = kind, name
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def table_downloads(context, name: str) -> SafeString:
    """CSV and XLSX links for the page's table `name`, with the page's own choices."""
    request = context["request"]
    return format_html(
        '<p class="downloads">{} <a href="{}" download>CSV</a> · <a href="{}" download>XLSX</a></p>',
        _("Download the table:"),
        _url(request, "csv", "table", name),
        _url(request, "xlsx", "table", name),
    )


@register.simple_tag(takes_context=True)
def chart_downloads(context, name: str) -> SafeString:
    """SVG link for the page's chart `name`, and a PNG button (drawn in the browser)."""
    request = context["request"]
    svg = _url(request, "svg", "chart", name)
    return format_html(
        '<p class="downloads">{} <a href="{}" download>SVG</a> '
        '<button type="button" class="link" data-png-from="{}" data-png-name="{}.png" hidden>'
        "PNG</button></p>",
        _("Download the chart:"),
        svg,
        svg,
        f"{context['file_stem']}-{name}",
    )
