from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString, mark_safe

from atclusters.core.text import sanitise_html

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    """Renders stored rich text through the sanitiser again: text that reached the database by
    another road than the services (admin, SQL) still cannot carry scripts."""
    return mark_safe(sanitise_html(value or ""))


@register.filter
def safe_url(value: str | None) -> str:
    """The link itself only when it is http(s); anything else (javascript:, data:) gives ''."""
    url = (value or "").strip()
    return url if urlsplit(url).scheme.lower() in {"http", "https"} else ""
