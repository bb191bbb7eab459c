from django import template

from atclusters.cooperation.matching import Reason
from atclusters.cooperation.selectors import reason_text

register = template.Library()


@register.filter
def explain(reason: Reason) -> str:
    """A match's reason in the reader's language."""
    return reason_text(reason)
