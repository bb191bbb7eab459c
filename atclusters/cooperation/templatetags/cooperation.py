from django import template

from atclusters.cooperation.matching import Reason
from atclusters.cooperation.selectors import reader_names, reason_text

register = template.Library()


@register.simple_tag(takes_context=True)
def explain(context, reason: Reason) -> str:
    """A match's reason in the reader's language; the names it cites are read once a page."""
    cache = context.render_context
    if "reader_names" not in cache:
        cache["reader_names"] = reader_names()
    return reason_text(reason, cache["reader_names"])
