"""How a number or a text is written into an exported table cell (no Django here: the metrics
command line writes its tables with these rules before anything else is loaded)."""

import math
from decimal import Decimal

# OWASP, "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection): a cell whose text
# begins with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def finite(value: int | float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def plain_number(value: int | float | Decimal) -> str:
    """A number in positional decimal notation, never with an exponent (Decimal("1.2E+5") and
    1.2e5 are both "120000"): whole numbers without decimals, others without trailing zeros
    ("120000.5"), floats to 15 significant digits (what a double holds, and what spreadsheets
    keep); "" for NaN and infinities."""
    if not finite(value):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(format(value, ".15g"))
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def neutralised(text: str) -> str:
    """Text that a spreadsheet shows rather than runs (OWASP's rule for CSV): an apostrophe
    before a leading =, +, -, @, tab or carriage return."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
